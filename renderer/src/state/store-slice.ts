/*
 * The `store` domain: which stores exist, the loaded index, the open service, remote icons
 * (fetched by main), and what the browse view showed per store.
 */
import { create } from 'zustand';
import type { LoadedStoreView, StoreList } from '../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../electron/ipc/contract/domain';
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
  browse: Record<string, BrowseState>;
  /** Set by `/` or Ctrl/Cmd+K: the browse view focuses its search field when it (re)appears. */
  searchFocusPending: boolean;
  init(): Promise<void>;
  select(storeId: string): Promise<void>;
  reload(): Promise<void>;
  add(location: string): Promise<boolean>;
  remove(url: string): Promise<void>;
  openService(index: number | null): void;
  setBrowse(storeId: string, patch: Partial<BrowseState>): void;
  /** Back to the browse list (if a service page is open) and focus the search field. */
  focusSearch(): void;
  /** The browse view took the pending search focus. */
  searchFocused(): void;
  fetchIcon(url: string): void;
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
