/* The Electron app's menu bar. */
import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The app menu with the usual roles (Edit gives copy/paste, View gives reload and zoom). The
 * Toggle Developer Tools entry is there only in development builds (DESIGN 3.1): a packaged
 * app offers no way into its renderer.
 */
export function appMenuTemplate(platform: NodeJS.Platform, appName: string, devTools = false): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] });
  template.push(
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'forceReload' }, ...(devTools ? [{ role: 'toggleDevTools' } as const] : []), { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
  );
  return template;
}

export function installAppMenu(platform: NodeJS.Platform, appName: string, devTools: boolean): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, appName, devTools)));
}
