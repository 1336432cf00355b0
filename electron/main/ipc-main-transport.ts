// Transport 1 (DESIGN 3.2): the contract over Electron's ipcMain. The only file that touches
// ipcMain. The sender check: the invoke must come from the main frame of a WebContents showing
// the app's own page (https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages).
import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import { allInvokeChannels } from '../ipc/contract/api-builder';
import type { IpcRouter, IpcSender } from '../ipc/main/router';

export function senderOf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, isAppUrl: (url: string) => boolean): IpcSender {
  const frame = event.senderFrame;
  const url = frame?.url ?? '';
  const isMainFrame = frame != null && frame === event.sender.mainFrame;
  return { transport: 'electron', id: url, trusted: isMainFrame && isAppUrl(url) };
}

export function attachIpcMain(router: IpcRouter, isAppUrl: (url: string) => boolean): () => void {
  const channels = allInvokeChannels();
  for (const channel of channels) {
    ipcMain.handle(channel, (event, arg: unknown) => router.dispatch(channel, arg, senderOf(event, isAppUrl)));
  }
  // Events go only to WebContents that show the app's own page.
  const offEvents = router.onEvent((channel, payload) => {
    for (const wc of webContents.getAllWebContents()) {
      if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(channel, payload);
    }
  });
  return () => {
    offEvents();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
