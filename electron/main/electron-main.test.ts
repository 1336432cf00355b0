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

const index = appIndexUrl();
const APP_PAGE = 'app://pic-store/index.html';
const ownPage = (u: string) => isAppUrl(u, index);

beforeEach(() => {
  vi.clearAllMocks();
  fake.BrowserWindow.created.length = 0;
  fake.ipcMainFake.handlers.clear();
  fake.app.listeners.clear();
  fake.allWebContents.length = 0;
  fake.app.ready = false;
  fake.app.isPackaged = false;
  fake.protocol.privileged.length = 0;
  fake.protocol.handlers.clear();
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

  it('has DevTools only when asked (development builds)', () => {
    expect(mainWindowOptions('/p/preload.cjs').webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p/preload.cjs', true).webPreferences?.devTools).toBe(true);
  });

  it('creates the one window with those options and loads the app page from app://, not file:', () => {
    const win = createMainWindow({ preloadPath: '/p/preload.cjs', indexUrl: APP_PAGE, devTools: false }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.options).toEqual(mainWindowOptions('/p/preload.cjs', false));
    expect(win.loaded).toEqual([APP_PAGE]);
  });
});

describe('app url (the sender check and navigation guard accept app:// and nothing else)', () => {
  it('accepts only app://pic-store/index.html', () => {
    expect(index.href).toBe(APP_PAGE);
    expect(ownPage(APP_PAGE)).toBe(true);
    expect(ownPage(`${APP_PAGE}#/trust`)).toBe(true);
    expect(ownPage(`${APP_PAGE}?x=1`)).toBe(true);
    for (const foreign of [
      'file:///opt/app/dist/renderer/index.html',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://pic-store/other.html',
      'app://pic-store/',
      'app://user@pic-store/index.html',
      'app://pic-store:8080/index.html',
      'http://pic-store/index.html',
      'https://example.org/',
      'not a url',
      '',
    ]) {
      expect(ownPage(foreign), foreign).toBe(false);
    }
    expect(isAppUrl(null, index)).toBe(false);
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
      for (const url of ['https://evil.example/', 'file:///opt/app/dist/renderer/index.html']) {
        const away = { url, preventDefault: vi.fn() };
        wc.emit(ev, away);
        expect(away.preventDefault).toHaveBeenCalled();
      }
      const home = { url: APP_PAGE, preventDefault: vi.fn() };
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
    const appUrl = APP_PAGE;
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) expect(ask(p, appUrl)).toBe(false);
    expect(ask('clipboard-sanitized-write', appUrl)).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    const check = permissionCheckHandler({ isAppUrl: ownPage });
    expect(check(null, 'media', 'app://pic-store', { requestingUrl: appUrl })).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://pic-store', { requestingUrl: appUrl })).toBe(true);
  });

  it('closes DevTools if anything opens them in a packaged build, and leaves them in development', () => {
    const packaged = new fake.FakeWebContents();
    guardWebContents(packaged as never, { isAppUrl: ownPage });
    packaged.emit('devtools-opened');
    expect(packaged.closeDevTools).toHaveBeenCalledTimes(1);
    const dev = new fake.FakeWebContents();
    guardWebContents(dev as never, { isAppUrl: ownPage, devTools: true });
    dev.emit('devtools-opened');
    expect(dev.closeDevTools).not.toHaveBeenCalled();
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
    const frame = { url: APP_PAGE };
    const r = await fake.ipcMainFake.handlers.get('app:info')?.({ senderFrame: frame, sender: { mainFrame: frame } }, undefined);
    expect(r).toMatchObject({ ok: true, data: { transport: 'electron' } });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a foreign page, a subframe and a destroyed frame before the handler runs (#17)', async () => {
    const { router, run } = routerWithSpy();
    attachIpcMain(router, ownPage);
    const foreign = { url: 'https://evil.example/' };
    const sub = { url: APP_PAGE };
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
    mine.url = APP_PAGE;
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
  it('has the usual roles, and the DevTools entry only in development builds', () => {
    const roles = JSON.stringify(appMenuTemplate('linux', 'PIC Store Manager'));
    for (const role of ['quit', 'copy', 'paste', 'selectAll', 'reload', 'togglefullscreen', 'minimize']) expect(roles).toContain(`"role":"${role}"`);
    expect(JSON.stringify(appMenuTemplate('darwin', 'PIC Store Manager'))).toContain('"role":"about"');
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(JSON.stringify(appMenuTemplate(platform, 'PIC Store Manager'))).not.toMatch(/devtools/i);
      expect(JSON.stringify(appMenuTemplate(platform, 'PIC Store Manager', true))).toContain('"role":"toggleDevTools"');
    }
  });

  it('a packaged app has no DevTools: neither the webPreference nor the menu entry', async () => {
    fake.app.isPackaged = true;
    expect(startElectronApp({ mainDir: '/opt/app/dist/main', appConfigDir: '/nonexistent/config' })).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.BrowserWindow.created[0]?.options.webPreferences).toMatchObject({ devTools: false });
    expect(JSON.stringify(fake.Menu.template)).not.toMatch(/devtools/i);
  });

  it('quits a second instance without creating a window', () => {
    fake.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(startElectronApp({ mainDir: '/opt/app/dist/main' })).toBe(false);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.BrowserWindow.created).toHaveLength(0);
  });

  it('starts the first instance: app:// registered before ready and served after, guards, IPC, menu, one window with the preload', async () => {
    expect(startElectronApp({ mainDir: '/opt/app/dist/main', appConfigDir: '/nonexistent/config' })).toBe(true);
    // Registered synchronously, before ready (the fake throws otherwise).
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }]);
    await new Promise((r) => setTimeout(r, 0));
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
    expect(fake.BrowserWindow.created).toHaveLength(1);
    const win = fake.BrowserWindow.created[0];
    // Not packaged here: a development build, so DevTools and their menu entry exist.
    expect(win?.options).toEqual(mainWindowOptions(join('/opt/app/dist/preload/preload.cjs'), true));
    expect(JSON.stringify(fake.Menu.template)).toContain('toggleDevTools');
    expect(win?.loaded).toEqual([APP_PAGE]);
    expect(fake.ipcMainFake.handlers.has('trust:get')).toBe(true);
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    // A second launch focuses the existing window.
    fake.app.emit('second-instance');
    expect(win?.focus).toHaveBeenCalled();
  });
});
