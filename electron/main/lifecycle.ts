import { app, BrowserWindow } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createIpcRouter } from '../ipc/main/router';
import { createServices } from '../ipc/main/services/app-services';
import { appIndexUrl, isAppUrl } from './app-url';
import { attachIpcMain } from './ipc-main-transport';
import { installAppMenu } from './menu';
import { createPathChooser } from './path-chooser';
import { installSecurityGuards, openExternalSafely } from './security-guards';
import { createMainWindow } from './window';

interface AppLayout {
  /** dist/main — where main.cjs runs from. */
  mainDir: string;
  /** A packaged app's `resources/config`; in a checkout it is found by walking up. */
  appConfigDir?: string;
}

/**
 * The Electron app's lifecycle: single-instance lock first (a second launch focuses the first
 * window), then guards, the IPC contract, the menu and the one window.
 */
export function startElectronApp(layout: AppLayout): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  const indexHtmlPath = join(layout.mainDir, '..', 'renderer', 'index.html');
  const preloadPath = join(layout.mainDir, '..', 'preload', 'preload.cjs');
  const index = appIndexUrl(indexHtmlPath);
  const ownPage = (url: string) => isAppUrl(url, index);
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
    installSecurityGuards({ isAppUrl: ownPage });
    const services = createServices({
      transport: 'electron',
      startDir: layout.mainDir,
      appConfigDir: layout.appConfigDir,
      openExternal: (url) => openExternalSafely(url.href),
      chooser: createPathChooser({ window: () => win, home: homedir() }),
    });
    const router = createIpcRouter(services);
    const detachIpc = attachIpcMain(router, ownPage);
    // Release watchers, timers and running work once, before the process exits.
    let disposed = false;
    app.on('will-quit', () => {
      if (disposed) return;
      disposed = true;
      detachIpc();
      void services.dispose();
    });
    installAppMenu(process.platform, services.app.name);
    win = createMainWindow({ preloadPath, indexHtmlPath });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow({ preloadPath, indexHtmlPath });
    });
  });
  return true;
}
