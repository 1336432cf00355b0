// LINT FIXTURE (deliberately wrong): a file that is not a typed IPC transport reaching ipcMain
// and ipcRenderer — by named import, by destructuring, and by member access.
import { ipcMain } from 'electron';
import * as electron from 'electron';

const { ipcRenderer } = electron;

export function wire(): void {
  ipcMain.handle('store:list', () => []);
  electron.ipcMain.removeHandler('store:list');
  void ipcRenderer.invoke('store:list');
}
