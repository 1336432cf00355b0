import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCell, type TestCell } from '../../../../scripts/testbed/cell';
import { sampleReceipt } from '../../../../scripts/testbed/sample-receipt';
import type { CellReceiptsPage } from '../../contract/channels/activity';
import type { CellSaveResult } from '../../contract/channels/cells';
import type { IpcResult } from '../../contract/domain';
import type { IpcRouter } from '../router';
import { createServices } from '../services/app-services';
import { createIpcRouter } from '../router';

/** `activity:cell-receipts` through the real router against the real sshd test cell. */
const sender = { transport: 'browser-shell' as const, id: 'itest', trusted: true };
let cell: TestCell;
let home: string;
let router: IpcRouter;

async function call<T>(channel: string, arg?: unknown): Promise<IpcResult<T>> {
  return (await router.dispatch(channel, arg, sender)) as IpcResult<T>;
}

beforeAll(async () => {
  cell = await startTestCell();
  home = mkdtempSync(join(tmpdir(), 'pic-activity-cell-'));
  // As after the host-key confirmation in the Cells view.
  writeFileSync(join(home, 'known_hosts'), `[127.0.0.1]:${cell.port} ${(await cell.hostKey()).line}\n`);
  router = createIpcRouter(createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => false) }));
}, 60_000);

afterAll(async () => {
  await cell?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('activity:cell-receipts', () => {
  it('lists the receipts a configured cell stores, torn line reported, and refuses unknown ids and extra args', async () => {
    const saved = await call<CellSaveResult>('cells:add', { name: 'lab', destination: cell.userAtHost, port: String(cell.port), identityFile: cell.clientKey, root: cell.root, sshConfig: '' });
    if (!saved.ok || !saved.data.saved) throw new Error(`cells:add failed: ${JSON.stringify(saved)}`);
    const cellId = saved.data.profile.id;
    const a = sampleReceipt({ service: { id: 'notes', name: 'Notes', version: '1.2.0' } });
    const b = sampleReceipt({ service: { id: 'wiki', name: 'Wiki', version: '3.0.0' } });
    await cell.writeFile('store/receipts.jsonl', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n{"kind":"pic-st`);

    const r = await call<CellReceiptsPage>('activity:cell-receipts', { cellId, limit: 50 });
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    expect(r.data.exists).toBe(true);
    expect(r.data.receipts.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(r.data.skippedCount).toBe(1);
    const filtered = await call<CellReceiptsPage>('activity:cell-receipts', { cellId, service: 'notes' });
    expect(filtered.ok && filtered.data.receipts.map((x) => x.id)).toEqual([a.id]);

    const unknown = await call('activity:cell-receipts', { cellId: 'nope' });
    expect(unknown.ok ? null : unknown.error.code).toBe('CELL_NOT_FOUND');
    const extra = await call('activity:cell-receipts', { cellId, destination: 'root@elsewhere' });
    expect(extra.ok).toBe(false);
  }, 60_000);
});
