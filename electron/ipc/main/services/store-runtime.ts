import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreError, toErrorInfo } from '../../../core/errors';
import { loadStoreIndex, type LoadedStore } from '../../../core/store/load-index';
import { validateIndex } from '../../../core/store/validate';
import { readLastGoodIndex, saveLastGoodIndex } from '../../../core/store/index-cache';
import { addStore, readStoresConfig, removeStore } from '../../../core/store/stores-config';
import type { CoreServices } from '../../../core/core-services';
import type { TrustRoot } from '../../../core/trust/trust-root';
import { serviceView } from './service-view';
import type { LoadedStoreView, StoreList, StoreRef, StoreServiceView } from '../../contract/channels/store';

/**
 * What the store and verification handlers share for one app process: the configured stores,
 * the last index loaded per store (verification runs on exactly what the admin sees), and how
 * each store is judged (the demo store under its own demo key alone, DESIGN 2.3).
 */
export const DEMO_STORE_ID = 'demo';

export class StoreRuntime {
  private readonly loaded = new Map<string, LoadedStore>();
  /** Called after an index was fetched anew (the updates service checks the cells against it). */
  onLoaded: (() => void) | null = null;

  constructor(private readonly core: CoreServices) {}

  private get dirs(): { dataDir: string; appConfigDir: string } {
    return this.core;
  }

  private demoIndexPath(): string {
    return join(this.dirs.appConfigDir, 'demo-store', 'index.json');
  }

  private demoRef(): StoreRef {
    return { id: DEMO_STORE_ID, name: 'PIC Demo Store', url: pathToFileURL(this.demoIndexPath()).href, isDemo: true };
  }

  async list(): Promise<StoreList> {
    let configured;
    try {
      configured = await readStoresConfig(this.dirs.dataDir);
    } catch (e) {
      return { stores: [], usingDemo: false, configError: toErrorInfo(e) };
    }
    if (configured.length === 0) {
      const has = existsSync(this.demoIndexPath());
      return { stores: has ? [this.demoRef()] : [], usingDemo: has, configError: null };
    }
    return { stores: configured.map((s) => ({ id: s.url, name: s.name, url: s.url, isDemo: false })), usingDemo: false, configError: null };
  }

  async ref(storeId: string): Promise<StoreRef> {
    const { stores } = await this.list();
    const found = stores.find((s) => s.id === storeId) ?? (storeId === DEMO_STORE_ID && existsSync(this.demoIndexPath()) ? this.demoRef() : undefined);
    if (!found) throw new CoreError('STORE_NOT_FOUND', `no configured store has the id ${storeId.slice(0, 200)}`);
    return found;
  }

  /** Fetches the index now; on failure shows the last good copy marked stale, if there is one. */
  async load(storeId: string): Promise<LoadedStoreView> {
    const ref = await this.ref(storeId);
    const location = ref.isDemo ? this.demoIndexPath() : ref.url;
    try {
      const store = await loadStoreIndex(location, { appConfigDir: this.dirs.appConfigDir });
      this.loaded.set(storeId, store);
      this.onLoaded?.();
      if (!ref.isDemo) {
        const text = JSON.stringify({ schemaVersion: 1, name: store.name, services: store.services.map((s) => s.raw) });
        await saveLastGoodIndex(this.dirs.dataDir, ref.url, text).catch(() => undefined);
      }
      return this.view(ref, store, null);
    } catch (e) {
      const error = toErrorInfo(e);
      const cached = ref.isDemo ? null : await readLastGoodIndex(this.dirs.dataDir, ref.url);
      const v = cached ? safeValidate(cached.text) : null;
      if (!cached || !v) throw e;
      const store: LoadedStore = { location: ref.url, kind: ref.url.startsWith('file:') ? 'file' : ref.url.startsWith('https:') ? 'https' : 'http', name: v.name, services: v.services, ociLayoutDir: null, isDemo: false, notes: [] };
      this.loaded.set(storeId, store);
      return this.view(ref, store, { fetchedAt: cached.fetchedAt, error });
    }
  }

  /** The index last shown for this store, loading it if it was never loaded. */
  async current(storeId: string): Promise<{ ref: StoreRef; store: LoadedStore }> {
    const ref = await this.ref(storeId);
    if (!this.loaded.has(storeId)) await this.load(storeId);
    const store = this.loaded.get(storeId);
    if (!store) throw new CoreError('STORE_NOT_LOADED', `the store ${ref.name} could not be loaded`);
    return { ref, store };
  }

  /** The demo store is judged by its own key only; every other store by the app's trust root. */
  trustRootFor(ref: StoreRef): Promise<TrustRoot> {
    return this.core.trustRootFor(ref);
  }

  async add(input: { location: string; name?: string }): Promise<StoreList> {
    await addStore(this.dirs.dataDir, input);
    return this.list();
  }

  async remove(url: string): Promise<StoreList> {
    await removeStore(this.dirs.dataDir, url);
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

  private view(ref: StoreRef, store: LoadedStore, stale: LoadedStoreView['stale']): LoadedStoreView {
    const services: StoreServiceView[] = store.services.map(serviceView);
    return {
      ref,
      name: store.name,
      services,
      stale,
      notes: store.notes,
      trustLabel: ref.isDemo ? 'Its services are verified under its own demo key only, never the store key' : 'Verified under the app’s trusted keys',
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

