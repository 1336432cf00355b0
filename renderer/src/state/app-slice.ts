import { create } from 'zustand';
import type { AppInfo } from '../../../electron/ipc/contract/channels';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

interface AppSlice extends SliceStatus {
  info: AppInfo | null;
  /** Set when the browser shell's connection drops; the whole app shows it. */
  disconnected: string | null;
  load(): Promise<void>;
  setDisconnected(reason: string): void;
  /** Tells main this page listens now, so it delivers the events it held for it. */
  announceReady(): Promise<void>;
}

/** The `app` domain: version, data directory, transport. */
export const useAppSlice = create<AppSlice>()((set) => ({
  status: 'idle',
  error: null,
  info: null,
  disconnected: null,
  async load() {
    set({ status: 'loading', error: null });
    const r = await api().app.info();
    if (r.ok) set({ status: 'ready', info: r.data });
    else set({ status: 'error', error: r.error });
  },
  setDisconnected(reason) {
    set({ disconnected: reason });
  },
  async announceReady() {
    await api().app.ready();
  },
}));
