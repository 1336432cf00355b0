/*
 * The `store` domain: which stores exist, the loaded index, the open service, remote icons
 * (fetched by main), and what the browse view showed per store.
 */
import { create } from 'zustand';
import type { LoadedStoreView, StoreAddPreview, StoreList } from '../../../electron/ipc/contract/channels';
import type { IpcError, IpcResult, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

/**
 * What the browse view shows, per store: kept here (not in the view) because the view unmounts
 * while a service page is open, and coming back must find the same search, filters, sort,
 * layout and scroll position, with focus on the card that was opened.
 */
export interface BrowseState {
  query: string;
  category: string;
  /** A BadgeKey, or '' for all badges. */
  badge: string;
  sort: 'name' | 'badge' | 'category' | 'developer';
  layout: 'grid' | 'list';
  scrollTop: number;
  /** The service whose page was opened last: its card gets focus back on return. */
  /** Position of the entry whose page was last opened (focus returns to its card). */
  openedIndex: number | null;
}

export const DEFAULT_BROWSE: BrowseState = { query: '', category: '', badge: '', sort: 'name', layout: 'grid', scrollTop: 0, openedIndex: null };

interface StoreSlice extends SliceStatus {
  list: StoreList | null;
  currentId: string | null;
  current: LoadedStoreView | null;
  /** The open service page by entry position (ids can repeat), or null for the browse view. */
  openIndex: number | null;
  /** Remote icons fetched by main, by URL (`data:` URLs), or null when refused. */
  icons: Record<string, string | null>;
  /** Remote screenshots fetched by main, the same way (PNG/WebP only). */
  screenshots: Record<string, string | null>;
  manageError: IpcError | null;
  /** A signed store read and its root checked by main, waiting for the admin to confirm it. */
  pendingAdd: { location: string; rootPath: string; preview: StoreAddPreview } | null;
  /** True while main is reading a store to be added, or re-reading the current one. */
  checking: boolean;
  refreshing: boolean;
  browse: Record<string, BrowseState>;
  /** Set by `/` or Ctrl/Cmd+K: the browse view focuses its search field when it (re)appears. */
  searchFocusPending: boolean;
  init(): Promise<void>;
  select(storeId: string): Promise<void>;
  reload(): Promise<void>;
  /** Adds a store; with a root file, main reads and checks it first and the admin confirms (`confirmAdd`). */
  add(location: string, rootPath?: string): Promise<boolean>;
  confirmAdd(): Promise<boolean>;
  cancelAdd(): void;
  /** Re-reads the current store now (a TUF update for a signed store). */
  refresh(): Promise<void>;
  /** Follows `store:changed` pushed from main (a refresh in any window); subscribed once at app level. */
  subscribe(): Unsubscribe;
  remove(url: string): Promise<void>;
  openService(index: number | null): void;
  setBrowse(storeId: string, patch: Partial<BrowseState>): void;
  /** Back to the browse list (if a service page is open) and focus the search field. */
  focusSearch(): void;
  /** The browse view took the pending search focus. */
  searchFocused(): void;
  fetchIcon(url: string): void;
  /** Shows what `store.add` answered (the new list, or why it was refused). */
  added(r: IpcResult<StoreList>): Promise<boolean>;
  fetchScreenshot(url: string): void;
}

export const useStoreSlice = create<StoreSlice>()((set, get) => ({
  status: 'idle',
  error: null,
  list: null,
  currentId: null,
  current: null,
  openIndex: null,
  icons: {},
  screenshots: {},
  manageError: null,
  pendingAdd: null,
  checking: false,
  refreshing: false,
  browse: {},
  searchFocusPending: false,
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
    set({ status: 'loading', error: null, currentId: storeId, openIndex: null });
    const r = await api().store.load({ storeId });
    if (get().currentId !== storeId) return;
    if (r.ok) {
      performance.mark('store:index-arrived');
      set({ status: 'ready', current: r.data, error: null, list: withRef(get().list, r.data) });
    } else set({ status: 'error', current: null, error: r.error });
  },
  async reload() {
    const id = get().currentId;
    if (id) await get().select(id);
  },
  async add(location, rootPath) {
    set({ manageError: null, pendingAdd: null, checking: true });
    if (rootPath?.trim()) {
      const c = await api().store.check({ location, rootPath });
      set({ checking: false });
      if (!c.ok) {
        set({ manageError: c.error });
        return false;
      }
      set({ pendingAdd: { location, rootPath, preview: c.data } });
      return true;
    }
    const r = await api().store.add({ location });
    set({ checking: false });
    return get().added(r);
  },
  async confirmAdd() {
    const p = get().pendingAdd;
    if (!p) return false;
    set({ manageError: null, checking: true });
    const r = await api().store.add({ location: p.location, rootPath: p.rootPath });
    set({ checking: false, pendingAdd: r.ok ? null : p });
    return get().added(r);
  },
  cancelAdd() {
    set({ pendingAdd: null, manageError: null });
  },
  async added(r) {
    if (!r.ok) {
      set({ manageError: r.error });
      return false;
    }
    const added = r.data.stores[r.data.stores.length - 1];
    set({ list: r.data });
    if (added) await get().select(added.id);
    return true;
  },
  async refresh() {
    const id = get().currentId;
    if (!id) return;
    set({ refreshing: true });
    const r = await api().store.refresh({ storeId: id });
    const list = await api().store.list();
    set({ refreshing: false, ...(list.ok ? { list: list.data } : {}) });
    if (get().currentId !== id) return;
    if (r.ok) set({ status: 'ready', current: r.data, error: null });
    else set({ status: 'error', current: null, error: r.error });
  },
  subscribe() {
    return api().store.on('changed', ({ storeId }) => {
      // This window's own Refresh already shows the result.
      if (get().refreshing) return;
      void api().store.list().then((l) => l.ok && set({ list: l.data }));
      // The page stays where it is (an open service page too); only the listing is replaced.
      if (storeId !== get().currentId) return;
      void api().store.load({ storeId }).then((r) => {
        if (r.ok && get().currentId === storeId) set({ current: r.data, list: withRef(get().list, r.data) });
      });
    });
  },
  async remove(url) {
    set({ manageError: null });
    const r = await api().store.remove({ url });
    if (!r.ok) return set({ manageError: r.error });
    set({ list: r.data });
    if (get().currentId === url) await get().init();
  },
  openService(index) {
    const storeId = get().currentId;
    if (index !== null && storeId) get().setBrowse(storeId, { openedIndex: index });
    set({ openIndex: index });
  },
  setBrowse(storeId, patch) {
    set((s) => ({ browse: { ...s.browse, [storeId]: { ...DEFAULT_BROWSE, ...s.browse[storeId], ...patch } } }));
  },
  focusSearch() {
    // Focus goes to search, not back to the card that was opened.
    const storeId = get().currentId;
    if (storeId) get().setBrowse(storeId, { openedIndex: null });
    set({ openIndex: null, searchFocusPending: true });
  },
  searchFocused() {
    set({ searchFocusPending: false });
  },
  fetchIcon(url) {
    if (url in get().icons) return;
    set((s) => ({ icons: { ...s.icons, [url]: null } }));
    void api().store.icon({ url }).then((r) => {
      if (r.ok) set((s) => ({ icons: { ...s.icons, [url]: r.data.dataUrl } }));
    });
  },
  fetchScreenshot(url) {
    if (url in get().screenshots) return;
    set((s) => ({ screenshots: { ...s.screenshots, [url]: null } }));
    void api().store.screenshot({ url }).then((r) => {
      if (r.ok) set((s) => ({ screenshots: { ...s.screenshots, [url]: r.data.dataUrl } }));
    });
  },
}));

/** The list with one store's row as the load just reported it (its listing state changed with the load). */
function withRef(list: StoreList | null, view: LoadedStoreView): StoreList | null {
  return list ? { ...list, stores: list.stores.map((s) => (s.id === view.ref.id ? view.ref : s)) } : list;
}
