// The preload (sandboxed, bundled to one CJS file): exposes `window.picStore`, ONE frozen object
// of named methods built by the same code the browser shell's client uses. ipcRenderer itself
// never reaches the page
// (https://www.electronjs.org/docs/latest/tutorial/security#20-do-not-expose-electron-apis-to-untrusted-web-content);
// listeners never see the IPC event object. The one non-IPC method,
// `picStore.app.pathForFile(file)`, wraps `webUtils.getPathForFile` so a dropped file's path can
// be handed to main (which reads it); it returns a path string, never file contents.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildPicStoreApi } from '../ipc/contract/api-builder';
import type { IpcResult } from '../ipc/contract/domain';

const api = buildPicStoreApi({
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg) as Promise<IpcResult<unknown>>,
  on: (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
}, { pathForFile: (file) => webUtils.getPathForFile(file) });

contextBridge.exposeInMainWorld('picStore', api);
