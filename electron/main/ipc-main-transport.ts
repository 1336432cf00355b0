// Transport 1 (DESIGN 3.2): the contract over Electron's ipcMain. The only file that touches
// ipcMain. The sender check: the invoke must come from the main frame of a WebContents showing
// the app's own app:// page (https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages).
import { ipcMain, webContents, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { allInvokeChannels } from '../ipc/contract/api-builder';
import { PAGE_READY_CHANNEL, PageEventQueue } from '../ipc/main/event-hub';
import type { IpcRouter, IpcSender } from '../ipc/main/router';

export function senderOf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, isAppUrl: (url: string) => boolean): IpcSender {
  const frame = event.senderFrame;
  const url = frame?.url ?? '';
  const isMainFrame = frame != null && frame === event.sender.mainFrame;
  return { transport: 'electron', id: url, trusted: isMainFrame && isAppUrl(url) };
}

export function attachIpcMain(router: IpcRouter, isAppUrl: (url: string) => boolean): () => void {
  // Per WebContents, events are held until its page invokes app:ready (its listeners exist), and
  // held again when it starts loading anew (a reload drops the page's listeners).
  const pages = new Map<number, PageEventQueue>();
  const pageOf = (wc: WebContents): PageEventQueue => {
    let q = pages.get(wc.id);
    if (!q) {
      q = new PageEventQueue((channel, payload) => {
        if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(channel, payload);
      });
      pages.set(wc.id, q);
      const page = q;
      wc.on('did-start-loading', () => page.hold());
      wc.once('destroyed', () => pages.delete(wc.id));
    }
    return q;
  };
  const channels = allInvokeChannels();
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, arg: unknown) => {
      const result = await router.dispatch(channel, arg, senderOf(event, isAppUrl));
      if (channel === PAGE_READY_CHANNEL && result.ok) pageOf(event.sender).open();
      return result;
    });
  }
  // Events go only to WebContents that show the app's own page.
  const offEvents = router.onEvent((channel, payload) => {
    for (const wc of webContents.getAllWebContents()) {
      if (!wc.isDestroyed() && isAppUrl(wc.getURL())) pageOf(wc).push(channel, payload);
    }
  });
  return () => {
    offEvents();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
