/*
 * The browser shell's side of the contract (DESIGN 3.2): spends the single-use bootstrap token
 * (or reuses this tab's session) and carries the same API over the shell's WebSocket.
 */
import { buildPicStoreApi, type RendererTransport } from '../../../electron/ipc/contract/api-builder';
import type { IpcResult } from '../../../electron/ipc/contract/domain';
import type { PicStoreApi } from '../../../electron/ipc/contract/channels';
import { SHELL_SUBPROTOCOL, SHELL_WS_PATH, type ShellInvokeMessage, type ShellServerMessage } from '../../../electron/ipc/contract/shell-wire';

const SESSION_KEY = 'pic-store-shell-session';
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
 * Electron preload uses. A fresh tab spends the token for a session; a reload reuses the
 * session kept in this tab's sessionStorage.
 */
export function connectShell(onDisconnect: (reason: string) => void): Promise<PicStoreApi> {
  const token = takeBootstrapToken();
  const session = window.sessionStorage.getItem(SESSION_KEY);
  const credential = token ? `token.${token}` : session ? `session.${session}` : null;
  if (!credential) {
    return Promise.reject(new Error('This page was opened without its access token. Open the URL the shell printed (it works once).'));
  }
  const ws = new WebSocket(`ws://${window.location.host}${SHELL_WS_PATH}`, [SHELL_SUBPROTOCOL, credential]);
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
        if (msg.session) window.sessionStorage.setItem(SESSION_KEY, msg.session);
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
        reject(new Error('The app refused this page: its access token was already used or is wrong. Restart the app and open the new URL it prints.'));
      } else {
        onDisconnect('The connection to the app closed. Restart it and open the new URL it prints.');
      }
    });
  });
}
