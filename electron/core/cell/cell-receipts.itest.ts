import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCell, type TestCell } from '../../../scripts/testbed/cell';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';
import { MAX_CELL_RECEIPTS_BYTES, readCellReceipts } from './cell-receipts';
import { adHocProfile, type CellProfile } from './profiles';
import { closeCellConnection } from './ssh';
import type { SshContext } from './ssh-context';

// The receipts a real cell keeps (issue 8 item 1): read over the system ssh from the test cell.
describe('receipts stored on a cell', () => {
  let cell: TestCell;
  let dir: string;
  let ctx: SshContext;
  let profile: CellProfile;

  beforeAll(async () => {
    cell = await startTestCell();
    dir = await mkdtemp(join(tmpdir(), 'pic-cell-receipts-'));
    const { line } = await cell.hostKey();
    await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${cell.port} ${line}\n`);
    ctx = { dataDir: dir };
    profile = adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root });
  }, 60_000);

  afterAll(async () => {
    if (profile) await closeCellConnection(profile, ctx).catch(() => undefined);
    await cell?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says so when the cell has no receipts file', async () => {
    await cell.remove('store/receipts.jsonl').catch(() => undefined);
    const page = await readCellReceipts(profile, ctx);
    expect(page).toMatchObject({ exists: false, total: 0, receipts: [] });
  });

  it('lists two receipts newest first and reports the torn last line', async () => {
    const older = sampleReceipt({ service: { id: 'notes', name: 'Notes', version: '1.2.0' } });
    const newer = sampleReceipt({ service: { id: 'wiki', name: 'Wiki', version: '3.0.0' } });
    const text = `${JSON.stringify(older)}\n${JSON.stringify(newer)}\n{"kind":"pic-store-receipt","vers`;
    await cell.writeFile('store/receipts.jsonl', text);
    const page = await readCellReceipts(profile, ctx);
    expect(page.exists).toBe(true);
    expect(page.sizeBytes).toBe(Buffer.byteLength(text));
    expect(page.truncatedHead).toBe(false);
    expect(page.receipts.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(page.receipts[0]).toEqual(newer);
    expect(page.skippedCount).toBe(1);
    expect(page.skipped[0]?.line).toBe(3);
    // Filters apply to a cell's receipts exactly as to the local log.
    const wiki = await readCellReceipts(profile, ctx, { service: 'wiki' });
    expect(wiki.receipts.map((r) => r.id)).toEqual([newer.id]);
  });

  it('reads only the newest part of a log larger than the bound', async () => {
    const one = `${JSON.stringify(sampleReceipt())}\n`;
    const count = Math.ceil((MAX_CELL_RECEIPTS_BYTES + 100_000) / one.length);
    await cell.writeFile('store/receipts.jsonl', one.repeat(count));
    const page = await readCellReceipts(profile, ctx, { limit: 5 });
    expect(page.truncatedHead).toBe(true);
    expect(page.sizeBytes).toBe(one.length * count);
    expect(page.receipts).toHaveLength(5);
    expect(page.total).toBeLessThan(count);
    expect(page.total).toBeGreaterThan(0);
  });
});
