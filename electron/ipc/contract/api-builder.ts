import { channelName, type IpcResult, type Unsubscribe } from './domain';
import { domains, type AppLocalApi, type PicStoreApi } from './channels';

/**
 * What a transport must provide to the renderer side: send one invoke, and subscribe to one
 * event channel. The Electron preload backs it with ipcRenderer; the browser shell with a
 * WebSocket. Everything above this line is shared code (DESIGN 3.2).
 */
export interface RendererTransport {
  invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>>;
  on(channel: string, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * Builds `window.picStore` from the channel list: one frozen object per domain with one method
 * per invoke and an `on(event, listener)`. A transport failure becomes an error envelope, so the
 * renderer only ever handles `{ ok: false }`, never a rejected promise. `local.pathForFile` is
 * the Electron preload's dropped-file path lookup; without it (browser shell) it answers null.
 */
export function buildPicStoreApi(transport: RendererTransport, local: Partial<AppLocalApi> = {}): PicStoreApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const d of Object.values(domains)) {
    const methods: Record<string, unknown> = {};
    for (const action of d.invokes) {
      const channel = channelName(d.name, action);
      methods[action] = async (arg?: unknown): Promise<IpcResult<unknown>> => {
        try {
          return await transport.invoke(channel, arg);
        } catch (e) {
          return { ok: false, error: { code: 'IPC_TRANSPORT', message: e instanceof Error ? e.message : String(e) } };
        }
      };
    }
    const events = new Set<string>(d.events);
    methods.on = (event: string, listener: (payload: unknown) => void): Unsubscribe => {
      if (!events.has(event)) throw new TypeError(`unknown event "${event}" for domain "${d.name}"`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return transport.on(channelName(d.name, event), listener);
    };
    if (d.name === 'app') {
      const lookup = local.pathForFile;
      methods.pathForFile = (file: File): string | null => {
        if (!lookup) return null;
        try {
          return lookup(file) || null;
        } catch {
          return null; // not a File, or not backed by one on disk
        }
      };
    }
    api[d.name] = Object.freeze(methods);
  }
  return Object.freeze(api) as unknown as PicStoreApi;
}

/** Every invoke channel of the contract, for transports that register them one by one. */
export function allInvokeChannels(): string[] {
  return Object.values(domains).flatMap((d) => d.invokes.map((a) => channelName(d.name, a)));
}

/** Every event channel of the contract. */
export function allEventChannels(): string[] {
  return Object.values(domains).flatMap((d) => d.events.map((e) => channelName(d.name, e)));
}
