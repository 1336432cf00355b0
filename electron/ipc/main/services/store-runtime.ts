import { CoreError, toErrorInfo } from '../../../core/errors';
import { loadStoreIndex, type LoadedStore } from '../../../core/store/load-index';
import { validateIndex } from '../../../core/store/validate';
import { readLastGoodIndex, saveLastGoodIndex } from '../../../core/store/index-cache';
import { removeStore, type StoreEntry } from '../../../core/store/stores-config';
import { UNSIGNED_LISTING } from '../../../core/signed-store/load-configured-store';
import { DEMO_STORE_ID, effectiveStores, loadEffectiveStore, shippedRootProblem, type EffectiveStore } from '../../../core/signed-store/effective-stores';
import { trustedListingStatus, type ListingStatus } from '../../../core/signed-store/signed-refresh';
import type { CoreServices } from '../../../core/core-services';
import type { TrustRoot } from '../../../core/trust/trust-root';
import type { AppEvents } from '../event-hub';
import { serviceView } from './service-view';
import { storeListingView } from './store-listing-view';
import { addCheckedStore, checkStore } from './store-adding';
import type { LoadedStoreView, StoreAddPreview, StoreList, StoreRef, StoreServiceView } from '../../contract/channels/store';

/**
 * What the store and verification handlers share for one app process: the configured stores,
 * the last index loaded per store (verification runs on exactly what the admin sees), and how
 * each store is judged (the demo store under its own demo key alone, DESIGN 2.3). A signed store
 * (DESIGN 2.7) is read through core/signed-store, the same code as the CLI: the first load in a
 * process and every Refresh are a TUF update; other loads show what was last trusted.
 */
export { DEMO_STORE_ID };

type Loaded = LoadedStore & { listing: ListingStatus };
/** One store the app shows: `shipped` when it came with the installation (its root file beside it). */
type Found = EffectiveStore;

export class StoreRuntime {
  private readonly loaded = new Map<string, Loaded>();
  /** Called after an index was fetched anew (the updates service checks the cells against it). */
  onLoaded: (() => void) | null = null;

  constructor(
    private readonly core: CoreServices,
    private readonly events?: AppEvents,
  ) {}

  private get dirs(): { dataDir: string; appConfigDir: string } {
    return this.core;
  }

  /** The stores shown, found as the CLI finds them (core/signed-store/effective-stores). */
  private entries(): Promise<{ entries: Found[]; usingDemo: boolean }> {
    return effectiveStores(this.dirs);
  }

  /** The listing as last trusted and last refreshed, without contacting the store. */
  private async lastListing(entry: StoreEntry): Promise<ListingStatus> {
    if (!entry.signed) return UNSIGNED_LISTING;
    return (await trustedListingStatus(this.dirs.dataDir, entry.url)).listing;
  }

  private async refOf(found: Found): Promise<StoreRef> {
    const { id, entry, isDemo, shipped } = found;
    const listing = (await shippedRootProblem(this.dirs.dataDir, found)) ?? await this.lastListing(entry).catch((e: unknown): ListingStatus => ({ signed: true, version: null, expires: null, state: 'unreadable', error: toErrorInfo(e) as ListingStatus['error'] }));
    return { id, name: entry.name, url: entry.url, isDemo, signed: !!entry.signed, removable: !isDemo && !shipped, listing: storeListingView(entry.name, listing) };
  }

  async list(): Promise<StoreList> {
    let found;
    try {
      found = await this.entries();
    } catch (e) {
      return { stores: [], usingDemo: false, configError: toErrorInfo(e) };
    }
    const stores = await Promise.all(found.entries.map((e) => this.refOf(e)));
    return { stores, usingDemo: found.usingDemo, configError: null };
  }

  private async find(storeId: string): Promise<Found> {
    const found = (await this.entries()).entries.find((e) => e.id === storeId);
    if (!found) throw new CoreError('STORE_NOT_FOUND', `no configured store has the id ${storeId.slice(0, 200)}`);
    return found;
  }

  async ref(storeId: string): Promise<StoreRef> {
    return this.refOf(await this.find(storeId));
  }

  /**
   * Loads the store's index. A signed store is refreshed (TUF) the first time in this process or
   * when `refresh` is set, else shown as last trusted; an unsigned one is fetched, and on failure
   * its last good copy is shown marked stale, if there is one.
   */
  async load(storeId: string, { refresh = false } = {}): Promise<LoadedStoreView> {
    const found = await this.find(storeId);
    const { id, entry, isDemo } = found;
    if (entry.signed) {
      const contact = refresh || !this.loaded.has(id);
      const shown: Loaded = await loadEffectiveStore(found, { ...this.dirs, refresh: contact });
      this.loaded.set(id, shown);
      if (contact) this.onLoaded?.();
      return this.view(await this.refOf(found), shown, null);
    }
    const ref = await this.refOf(found);
    try {
      const store = await loadStoreIndex(entry.url, { appConfigDir: this.dirs.appConfigDir });
      this.loaded.set(id, { ...store, listing: UNSIGNED_LISTING });
      this.onLoaded?.();
      if (!isDemo) {
        const text = JSON.stringify({ schemaVersion: 1, name: store.name, services: store.services.map((s) => s.raw) });
        await saveLastGoodIndex(this.dirs.dataDir, entry.url, text).catch(() => undefined);
      }
      return this.view(ref, { ...store, listing: UNSIGNED_LISTING }, null);
    } catch (e) {
      const error = toErrorInfo(e);
      const cached = isDemo ? null : await readLastGoodIndex(this.dirs.dataDir, entry.url);
      const v = cached ? safeValidate(cached.text) : null;
      if (!cached || !v) throw e;
      const store: Loaded = { location: entry.url, kind: entry.url.startsWith('file:') ? 'file' : entry.url.startsWith('https:') ? 'https' : 'http', name: v.name, services: v.services, ociLayoutDir: null, isDemo: false, notes: [], listing: UNSIGNED_LISTING };
      this.loaded.set(id, store);
      return this.view(ref, store, { fetchedAt: cached.fetchedAt, error });
    }
  }

  /** "Refresh": re-reads the store now and tells every window (`store:changed`). */
  async refresh(storeId: string): Promise<LoadedStoreView> {
    try {
      return await this.load(storeId, { refresh: true });
    } finally {
      this.events?.emit('store:changed', { storeId });
    }
  }

  /** The index last shown for this store, loading it if it was never loaded. */
  async current(storeId: string): Promise<{ ref: StoreRef; store: Loaded }> {
    const ref = await this.ref(storeId);
    if (!this.loaded.has(storeId)) await this.load(storeId);
    const store = this.loaded.get(storeId);
    if (!store) throw new CoreError('STORE_NOT_LOADED', `the store ${ref.name} could not be loaded`);
    return { ref, store };
  }

  /**
   * The listing's status as an install must see it (DESIGN 2.7): read again now, so a listing
   * that expired or was refused since the page loaded blocks the install.
   */
  async installListing(storeId: string): Promise<ListingStatus> {
    return this.lastListing((await this.find(storeId)).entry);
  }

  /** The demo store is judged by its own key only; every other store by the app's trust root. */
  trustRootFor(ref: StoreRef): Promise<TrustRoot> {
    return this.core.trustRootFor(ref);
  }

  /** Reads a store (and checks its root) without saving anything: what Manage stores confirms. */
  check(input: { location: string; rootPath?: string }): Promise<StoreAddPreview> {
    return checkStore(this.dirs, input);
  }

  /** Tries the store, then saves it (signed with its root when `rootPath` is given). */
  async add(input: { location: string; name?: string; rootPath?: string }): Promise<StoreList> {
    await addCheckedStore(this.dirs, input);
    return this.list();
  }

  async remove(url: string): Promise<StoreList> {
    await removeStore(this.dirs.dataDir, url);
    this.loaded.delete(url);
    return this.list();
  }

  /** The listing of one service id in the first store that lists it (an installed service's upgrade). */
  async findListing(serviceId: string): Promise<{ storeId: string | null; version: string | null }> {
    const { stores } = await this.list();
    for (const ref of stores) {
      const found = await this.current(ref.id).then(({ store }) => store.services.find((s) => s.id === serviceId && s.manifest), () => undefined);
      if (found?.manifest) return { storeId: ref.id, version: found.manifest.version };
    }
    return { storeId: null, version: null };
  }

  private view(ref: StoreRef, store: Loaded, stale: LoadedStoreView['stale']): LoadedStoreView {
    const services: StoreServiceView[] = store.services.map(serviceView);
    return {
      ref,
      name: store.name,
      services,
      stale,
      notes: store.notes,
      trustLabel: ref.isDemo ? 'Its services are verified under its own demo key only, never the store key' : 'Verified under the app’s trusted keys',
      listing: storeListingView(ref.name, store.listing),
    };
  }
}

function safeValidate(text: string): { name: string; services: LoadedStore['services'] } | null {
  try {
    const v = validateIndex(JSON.parse(text));
    return v.ok ? { name: v.index.name, services: v.index.services } : null;
  } catch {
    return null;
  }
}
