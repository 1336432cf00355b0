import { app, BrowserWindow } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createIpcRouter } from '../ipc/main/router';
import { createServices } from '../ipc/main/services/app-services';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { appIndexUrl, isAppUrl } from './app-url';
import { attachIpcMain } from './ipc-main-transport';
import { installAppMenu } from './menu';
import { createPathChooser } from './path-chooser';
import { installSecurityGuards, openExternalSafely, openServiceAddress } from './security-guards';
import { notifyUpdates } from './update-notifications';
import { createMainWindow } from './window';

interface AppLayout {
  /** dist/main — where main.cjs runs from. */
  mainDir: string;
  /** A packaged app's `resources/config`; in a checkout it is found by walking up. */
  appConfigDir?: string;
}

/**
 * The Electron app's lifecycle: single-instance lock first (a second launch focuses the first
 * window), the app:// scheme registered before ready, then the protocol, guards, the IPC
 * contract, the menu and the one window. DevTools exist only in development builds.
 */
export function startElectronApp(layout: AppLayout): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  const rendererDir = join(layout.mainDir, '..', 'renderer');
  const preloadPath = join(layout.mainDir, '..', 'preload', 'preload.cjs');
  const index = appIndexUrl();
  const ownPage = (url: string) => isAppUrl(url, index);
  const devTools = !app.isPackaged;
  const openWindow = () => createMainWindow({ preloadPath, indexUrl: index.href, devTools });
  // Privileged schemes can be registered only before ready.
  registerAppScheme();
  let win: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    serveAppProtocol(rendererDir);
    installSecurityGuards({ isAppUrl: ownPage, devTools });
    const services = createServices({
      transport: 'electron',
      startDir: layout.mainDir,
      appConfigDir: layout.appConfigDir,
      openExternal: (url) => openExternalSafely(url.href),
      openServiceAddress,
      chooser: createPathChooser({ window: () => win, home: homedir() }),
    });
    const router = createIpcRouter(services);
    const stopNotices = notifyUpdates(services.events);
    const detachIpc = attachIpcMain(router, ownPage);
    // Release watchers, timers and running work once, before the process exits.
    let disposed = false;
    app.on('will-quit', () => {
      if (disposed) return;
      disposed = true;
      detachIpc();
      stopNotices();
      void services.dispose();
    });
    installAppMenu(process.platform, services.app.name, devTools);
    win = openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = openWindow();
    });
  });
  return true;
}
