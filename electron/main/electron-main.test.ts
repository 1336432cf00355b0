import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../scripts/testbed/electron-fake'));

const fake = await import('../../scripts/testbed/electron-fake');
const { mainWindowOptions, createMainWindow } = await import('./window');
const { guardWebContents, installSecurityGuards, openExternalSafely, permissionRequestHandler, permissionCheckHandler } = await import('./security-guards');
const { appIndexUrl, isAppUrl } = await import('./app-url');
const { attachIpcMain, senderOf } = await import('./ipc-main-transport');
const { appMenuTemplate } = await import('./menu');
const { startElectronApp } = await import('./lifecycle');
const { IpcRouter } = await import('../ipc/main/router');
const { z } = await import('zod');

const index = appIndexUrl('/opt/app/dist/renderer/index.html');
const ownPage = (u: string) => isAppUrl(u, index);

beforeEach(() => {
  vi.clearAllMocks();
  fake.BrowserWindow.created.length = 0;
  fake.ipcMainFake.handlers.clear();
  fake.app.listeners.clear();
  fake.allWebContents.length = 0;
});

describe('window factory', () => {
  it('sets the DESIGN 3.1 security baseline', () => {
    const o = mainWindowOptions('/p/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('creates the one window with those options and loads the built index.html', () => {
    const win = createMainWindow({ preloadPath: '/p/preload.cjs', indexHtmlPath: '/r/index.html' }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.options).toEqual(mainWindowOptions('/p/preload.cjs'));
    expect(win.loaded).toEqual(['/r/index.html']);
  });
});

describe('app url', () => {
  it('accepts only the built index.html', () => {
    expect(ownPage('file:///opt/app/dist/renderer/index.html')).toBe(true);
    expect(ownPage('file:///opt/app/dist/renderer/index.html#/trust')).toBe(true);
    expect(ownPage('file:///etc/passwd')).toBe(false);
    expect(ownPage('https://example.org/')).toBe(false);
    expect(ownPage('not a url')).toBe(false);
    expect(ownPage('')).toBe(false);
  });
});

describe('security guards', () => {
  it('denies window.open; only a parsed https: URL goes to shell.openExternal (#14, #15)', async () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never, { isAppUrl: ownPage });
    for (const url of ['https://example.org/x', 'http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect(wc.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://example.org/x');
    expect(await openExternalSafely('https://user:pw@example.org/')).toBe(false);
  });

  it('blocks navigation and redirects away from the app (#13)', () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never, { isAppUrl: ownPage });
    for (const ev of ['will-navigate', 'will-redirect']) {
      const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
      wc.emit(ev, away);
      expect(away.preventDefault).toHaveBeenCalled();
      const home = { url: 'file:///opt/app/dist/renderer/index.html', preventDefault: vi.fn() };
      wc.emit(ev, home);
      expect(home.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('blocks every webview attach (#12)', () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never, { isAppUrl: ownPage });
    const ev = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', ev, {}, {});
    expect(ev.preventDefault).toHaveBeenCalled();
  });

  it('denies permission requests except clipboard writes from the app page (#5)', () => {
    const req = permissionRequestHandler({ isAppUrl: ownPage });
    const ask = (permission: string, requestingUrl: string) => {
      const cb = vi.fn();
      req({} as never, permission, cb, { requestingUrl });
      return cb.mock.calls[0]?.[0];
    };
    const appUrl = 'file:///opt/app/dist/renderer/index.html';
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) expect(ask(p, appUrl)).toBe(false);
    expect(ask('clipboard-sanitized-write', appUrl)).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    const check = permissionCheckHandler({ isAppUrl: ownPage });
    expect(check(null, 'media', 'file://', { requestingUrl: appUrl })).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'file://', { requestingUrl: appUrl })).toBe(true);
  });

  it('installs the guards on every new WebContents and on the session', () => {
    installSecurityGuards({ isAppUrl: ownPage }, fake.session.defaultSession as never);
    const wc = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, wc);
    expect(wc.windowOpenHandler).not.toBeNull();
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(fake.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledTimes(1);
  });
});

describe('ipcMain transport', () => {
  function routerWithSpy() {
    const router = new IpcRouter();
    const run = vi.fn(() => ({ name: 'n', version: 'v', dataDir: 'd', appConfigDir: 'c', transport: 'electron' as const, platform: 'linux', canChoosePaths: true }));
    router.handle('app:info', { args: z.undefined(), run });
    return { router, run };
  }

  it('registers every channel and answers the app page with an envelope', async () => {
    const { router, run } = routerWithSpy();
    attachIpcMain(router, ownPage);
    expect([...fake.ipcMainFake.handlers.keys()]).toEqual(expect.arrayContaining(['app:info', 'app:open-external', 'trust:get']));
    const frame = { url: 'file:///opt/app/dist/renderer/index.html' };
    const r = await fake.ipcMainFake.handlers.get('app:info')?.({ senderFrame: frame, sender: { mainFrame: frame } }, undefined);
    expect(r).toMatchObject({ ok: true, data: { transport: 'electron' } });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a foreign page, a subframe and a destroyed frame before the handler runs (#17)', async () => {
    const { router, run } = routerWithSpy();
    attachIpcMain(router, ownPage);
    const foreign = { url: 'https://evil.example/' };
    const sub = { url: 'file:///opt/app/dist/renderer/index.html' };
    const cases = [
      { senderFrame: foreign, sender: { mainFrame: foreign } },
      { senderFrame: sub, sender: { mainFrame: { url: sub.url } } },
      { senderFrame: null, sender: { mainFrame: null } },
    ];
    for (const ev of cases) {
      expect(await fake.ipcMainFake.handlers.get('app:info')?.(ev, undefined)).toMatchObject({ ok: false, error: { code: 'IPC_SENDER_REFUSED' } });
    }
    expect(run).not.toHaveBeenCalled();
    expect(senderOf(cases[0] as never, ownPage)).toEqual({ transport: 'electron', id: 'https://evil.example/', trusted: false });
  });

  it('pushes events only to WebContents showing the app page, held until that page says app:ready and again while it reloads', async () => {
    const router = new IpcRouter();
    router.handle('app:ready', { args: z.undefined(), run: () => ({ ready: true as const }) });
    attachIpcMain(router, ownPage);
    const mine = new fake.FakeWebContents();
    mine.url = 'file:///opt/app/dist/renderer/index.html';
    mine.mainFrame = { url: mine.url };
    const other = new fake.FakeWebContents();
    other.url = 'https://evil.example/';
    fake.allWebContents.push(mine, other);
    router.emit('trust:changed', { state: 'no-key' } as never);
    expect(mine.sent).toEqual([]);
    const ready = () => fake.ipcMainFake.handlers.get('app:ready')?.({ senderFrame: mine.mainFrame, sender: mine }, undefined);
    expect(await ready()).toEqual({ ok: true, data: { ready: true } });
    expect(mine.sent).toEqual([['trust:changed', { state: 'no-key' }]]);
    router.emit('activity:changed', { at: 'now' });
    expect(mine.sent).toHaveLength(2);
    mine.emit('did-start-loading');
    router.emit('activity:changed', { at: 'during reload' });
    expect(mine.sent).toHaveLength(2);
    await ready();
    expect(mine.sent.at(-1)).toEqual(['activity:changed', { at: 'during reload' }]);
    expect(other.sent).toEqual([]);
  });
});

describe('app menu and lifecycle', () => {
  it('has the usual roles', () => {
    const roles = JSON.stringify(appMenuTemplate('linux', 'PIC Store Manager'));
    for (const role of ['quit', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools', 'togglefullscreen', 'minimize']) expect(roles).toContain(`"role":"${role}"`);
    expect(JSON.stringify(appMenuTemplate('darwin', 'PIC Store Manager'))).toContain('"role":"about"');
  });

  it('quits a second instance without creating a window', () => {
    fake.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(startElectronApp({ mainDir: '/opt/app/dist/main' })).toBe(false);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.BrowserWindow.created).toHaveLength(0);
  });

  it('starts the first instance: guards, IPC, menu, one window with the preload', async () => {
    expect(startElectronApp({ mainDir: '/opt/app/dist/main', appConfigDir: '/nonexistent/config' })).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.BrowserWindow.created).toHaveLength(1);
    const win = fake.BrowserWindow.created[0];
    expect(win?.options).toEqual(mainWindowOptions(join('/opt/app/dist/preload/preload.cjs')));
    expect(win?.loaded).toEqual(['/opt/app/dist/renderer/index.html']);
    expect(fake.ipcMainFake.handlers.has('trust:get')).toBe(true);
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    // A second launch focuses the existing window.
    fake.app.emit('second-instance');
    expect(win?.focus).toHaveBeenCalled();
  });
});
