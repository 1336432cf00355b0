/*
 * The browser shell's side of the contract (DESIGN 3.2): spends the single-use bootstrap token
 * (or relies on the browser profile's session cookie, which the page never sees) and carries the
 * same API over the shell's WebSocket.
 */
import { buildPicStoreApi, type RendererTransport } from '../../../electron/ipc/contract/api-builder';
import type { IpcResult } from '../../../electron/ipc/contract/domain';
import type { PicStoreApi } from '../../../electron/ipc/contract/channels';
import { SHELL_SUBPROTOCOL, SHELL_WS_PATH, type ShellInvokeMessage, type ShellServerMessage } from '../../../electron/ipc/contract/shell-wire';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Reads the single-use bootstrap token from the URL fragment and removes it from the address
 * bar and history at once (DESIGN 3.2), so it is never bookmarked, shared or shown again.
 */
function takeBootstrapToken(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token && /^[A-Za-z0-9_-]{20,128}$/.test(token) ? token : null;
}

/**
 * Connects to the browser shell and builds `window.picStore` with the same shared builder the
 * Electron preload uses. The first tab spends the token; the shell answers with an HttpOnly
 * session cookie, which the browser then sends for a reload, a reopened tab or a second tab.
 */
export function connectShell(onDisconnect: (reason: string) => void): Promise<PicStoreApi> {
  const token = takeBootstrapToken();
  const ws = new WebSocket(`ws://${window.location.host}${SHELL_WS_PATH}`, token ? [SHELL_SUBPROTOCOL, `token.${token}`] : [SHELL_SUBPROTOCOL]);
  const pending = new Map<number, (r: IpcResult<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  const transport: RendererTransport = {
    invoke(channel, arg) {
      if (ws.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: { code: 'IPC_TRANSPORT', message: 'the connection to the app is closed; restart it' } });
      }
      const id = nextId++;
      const msg: ShellInvokeMessage = { type: 'invoke', id, channel, arg };
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify(msg));
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => {
        set.delete(listener);
      };
    },
  };

  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = window.setTimeout(() => {
      if (!ready) reject(new Error('the app did not answer in time'));
    }, CONNECT_TIMEOUT_MS);
    ws.addEventListener('message', (ev: MessageEvent<string>) => {
      let msg: ShellServerMessage;
      try {
        msg = JSON.parse(ev.data) as ShellServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'ready') {
        ready = true;
        window.clearTimeout(timer);
        resolve(buildPicStoreApi(transport));
      } else if (msg.type === 'result') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else if (msg.type === 'event') {
        listeners.get(msg.channel)?.forEach((l) => l(msg.payload));
      }
    });
    ws.addEventListener('close', () => {
      for (const done of pending.values()) done({ ok: false, error: { code: 'IPC_TRANSPORT', message: 'the connection to the app closed' } });
      pending.clear();
      window.clearTimeout(timer);
      if (!ready) {
        reject(new Error('The app refused this page: this browser has no session with it (its access token works once, in one browser profile). Open the URL the shell printed in the browser you first opened it in, or restart the app and open the new URL it prints.'));
      } else {
        onDisconnect('The connection to the app closed. Restart it and open the new URL it prints.');
      }
    });
  });
}
