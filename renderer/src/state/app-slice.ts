/*
 * The `app` domain: version, data directory, transport, the connection to main — and the app's
 * ways out of the page: file dialogs, a dropped file's path and external links, all decided and
 * carried out in main (DESIGN 3: files are opened by path in main, never read here).
 */
import { create } from 'zustand';
import type { AppInfo, ChoosePathRequest, ChoosePathResult } from '../../../electron/ipc/contract/channels';
import type { IpcResult } from '../../../electron/ipc/contract/domain';
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
  /** A native file dialog in main; `supported: false` where the shell has none. */
  choosePath(request: ChoosePathRequest): Promise<IpcResult<ChoosePathResult>>;
  /** The local path of a dropped file, where the shell can tell it (Electron), else null. */
  pathForFile(file: File): string | null;
  /** Asks main to open an https link in the user's browser; false when none could be opened. */
  openExternal(url: string): Promise<boolean>;
}

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
  choosePath(request) {
    return api().app.choosePath(request);
  },
  pathForFile(file) {
    return api().app.pathForFile(file);
  },
  async openExternal(url) {
    const r = await api().app.openExternal({ url });
    return r.ok && r.data.opened;
  },
}));
