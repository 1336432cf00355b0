import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/**
 * The options of the app's one window (DESIGN 3.1; Electron security checklist #1 no Node
 * integration, #3 context isolation, #4 sandbox, #12 no <webview>). Exported so a unit test can
 * pin every security-relevant field.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'PIC Store Manager',
    webPreferences: {
      preload: preloadPath,
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

/** The single window factory: every window of the app is made here, nowhere else. */
export function createMainWindow(opts: { preloadPath: string; indexHtmlPath: string }): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(opts.preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadFile(opts.indexHtmlPath);
  return win;
}
