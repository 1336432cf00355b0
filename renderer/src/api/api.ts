import type { PicStoreApi } from '../../../electron/ipc/contract/channels';
import { connectShell } from './shell-client';

let current: PicStoreApi | null = null;

/**
 * Makes `window.picStore` available: Electron's preload has already set it; in the browser
 * shell it is built here over the WebSocket and defined read-only, so the rest of the renderer
 * sees one identical API either way.
 */
export async function initApi(onDisconnect: (reason: string) => void): Promise<PicStoreApi> {
  if (window.picStore) {
    current = window.picStore;
    return current;
  }
  const api = await connectShell(onDisconnect);
  Object.defineProperty(window, 'picStore', { value: api, writable: false, configurable: false, enumerable: true });
  current = api;
  return api;
}

/** The API, for slices. Only valid after `initApi` resolved (the app renders after that). */
export function api(): PicStoreApi {
  if (!current) throw new Error('the app API is not connected yet');
  return current;
}
