/*
 * The one window factory of the Electron app and the window's security-relevant options.
 * CHECKLIST below stands for the Electron security checklist's URL; each #anchor is an item.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

const CHECKLIST = 'https://www.electronjs.org/docs/latest/tutorial/security';

/**
 * The options of the app's one window (DESIGN 3.1), each from the Electron security checklist:
 * #2 Node integration off (CHECKLIST#2-do-not-enable-nodejs-integration-for-remote-content),
 * #3 context isolation (CHECKLIST#3-enable-context-isolation), #4 sandbox
 * (CHECKLIST#4-enable-process-sandboxing), #6 webSecurity on
 * (CHECKLIST#6-do-not-disable-websecurity), #8 no insecure content
 * (CHECKLIST#8-do-not-enable-allowrunninginsecurecontent), #9 no experimental features
 * (CHECKLIST#9-do-not-enable-experimental-features), #12 no <webview>
 * (CHECKLIST#12-verify-webview-options-before-creation). DevTools are not a checklist item:
 * DESIGN 3.1 allows them only in development builds (`!app.isPackaged`), so a packaged app's
 * renderer cannot be inspected or driven through them. Exported so a unit test can pin every
 * security-relevant field.
 */
export function mainWindowOptions(preloadPath: string, devTools = false): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'PIC Store Manager',
    webPreferences: {
      preload: preloadPath,
      devTools,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * The single window factory: every window of the app is made here, nowhere else. It loads the
 * app page from app:// (CHECKLIST#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 */
export function createMainWindow(opts: { preloadPath: string; indexUrl: string; devTools: boolean }): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(opts.preloadPath, opts.devTools));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.indexUrl);
  return win;
}
