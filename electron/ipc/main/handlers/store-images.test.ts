import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createServices } from '../services/app-services';
import { createIpcRouter } from '../router';

/**
 * Remote listing images through the `store` domain (DESIGN 2.1, 3.1): screenshots go the icons'
 * way — main fetches, https only — and carry their own kind, so the refusal names a screenshot.
 * Nothing here reaches the network: every URL is refused before a request is made.
 */
const home = mkdtempSync(join(tmpdir(), 'pic-ipc-store-images-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const sender = { transport: 'browser-shell' as const, id: 'test', trusted: true };
const router = createIpcRouter(createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => true) }));

describe('store:screenshot', () => {
  it('is refused unless https, naming a screenshot (not an icon)', async () => {
    expect(await router.dispatch('store:screenshot', { url: 'http://127.0.0.1:9/s.png' }, sender)).toEqual({
      ok: false,
      error: { code: 'ICON_REFUSED', message: 'screenshots are fetched only over https (this one is http:)' },
    });
    expect(await router.dispatch('store:screenshot', { url: 'file:///etc/passwd' }, sender)).toMatchObject({ ok: false, error: { code: 'ICON_REFUSED' } });
    expect(await router.dispatch('store:icon', { url: 'http://127.0.0.1:9/i.png' }, sender)).toEqual({
      ok: false,
      error: { code: 'ICON_REFUSED', message: 'icons are fetched only over https (this one is http:)' },
    });
  });
  it('checks its argument like every handler', async () => {
    expect(await router.dispatch('store:screenshot', { url: '' }, sender)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    expect(await router.dispatch('store:screenshot', { url: 'https://x.example/s.png', extra: 1 }, sender)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
  });
});
