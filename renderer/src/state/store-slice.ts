import { create } from 'zustand';
import type { LoadedStoreView, StoreList } from '../../../electron/ipc/channels';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

interface StoreSlice extends SliceStatus {
  list: StoreList | null;
  currentId: string | null;
  current: LoadedStoreView | null;
  /** The open service page, or null for the browse view. */
  openServiceId: string | null;
  /** Remote icons fetched by main, by URL (`data:` URLs), or null when refused. */
  icons: Record<string, string | null>;
  manageError: { code: string; message: string } | null;
  init(): Promise<void>;
  select(storeId: string): Promise<void>;
  reload(): Promise<void>;
  add(location: string): Promise<boolean>;
  remove(url: string): Promise<void>;
  openService(id: string | null): void;
  fetchIcon(url: string): void;
}

/** The `store` domain: which stores exist, the loaded index, the open service. */
export const useStoreSlice = create<StoreSlice>()((set, get) => ({
  status: 'idle',
  error: null,
  list: null,
  currentId: null,
  current: null,
  openServiceId: null,
  icons: {},
  manageError: null,
  async init() {
    set({ status: 'loading', error: null });
    const r = await api().store.list();
    if (!r.ok) return set({ status: 'error', error: r.error });
    set({ list: r.data });
    if (r.data.configError) return set({ status: 'error', error: r.data.configError, current: null });
    const keep = r.data.stores.find((s) => s.id === get().currentId) ?? r.data.stores[0];
    if (!keep) return set({ status: 'ready', current: null, currentId: null });
    await get().select(keep.id);
  },
  async select(storeId) {
    set({ status: 'loading', error: null, currentId: storeId, openServiceId: null });
    const r = await api().store.load({ storeId });
    if (get().currentId !== storeId) return;
    if (r.ok) {
      performance.mark('store:index-arrived');
      set({ status: 'ready', current: r.data, error: null });
    } else set({ status: 'error', current: null, error: r.error });
  },
  async reload() {
    const id = get().currentId;
    if (id) await get().select(id);
  },
  async add(location) {
    set({ manageError: null });
    const r = await api().store.add({ location });
    if (!r.ok) {
      set({ manageError: r.error });
      return false;
    }
    const added = r.data.stores[r.data.stores.length - 1];
    set({ list: r.data });
    if (added) await get().select(added.id);
    return true;
  },
  async remove(url) {
    set({ manageError: null });
    const r = await api().store.remove({ url });
    if (!r.ok) return set({ manageError: r.error });
    set({ list: r.data });
    if (get().currentId === url) await get().init();
  },
  openService(id) {
    set({ openServiceId: id });
  },
  fetchIcon(url) {
    if (url in get().icons) return;
    set((s) => ({ icons: { ...s.icons, [url]: null } }));
    void api().store.icon({ url }).then((r) => {
      if (r.ok) set((s) => ({ icons: { ...s.icons, [url]: r.data.dataUrl } }));
    });
  },
}));
