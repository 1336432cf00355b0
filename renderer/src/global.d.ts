import type { PicStoreApi } from '../../electron/ipc/contract/channels';

declare global {
  interface Window {
    /** Set by the Electron preload, or by the browser shell's client before the app renders. */
    readonly picStore?: PicStoreApi;
  }
}
export {};
