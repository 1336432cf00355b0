import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreError, toErrorInfo } from '../../../core/errors';
import { loadStoreIndex, type LoadedStore } from '../../../core/store/load-index';
import { validateIndex } from '../../../core/store/validate';
import { readLastGoodIndex, saveLastGoodIndex } from '../../../core/store/index-cache';
import { readStoresConfig } from '../../../core/store/stores-config';
import type { TrustRoot } from '../../../core/trust/trust-root';
import { trustRootForStore } from '../../../core/verification/store-trust';
import { serviceView } from './service-view';
import type { LoadedStoreView, StoreList, StoreRef, StoreServiceView } from '../../contract/channels/store';

/**
 * What the store and verification handlers share for one app process: the configured stores,
 * the last index loaded per store (verification runs on exactly what the admin sees), and how
 * each store is judged (the demo store under its own demo key alone, DESIGN 2.3).
 */
export const DEMO_STORE_ID = 'demo';

export interface StoreRuntimeDirs {
  dataDir: string;
  appConfigDir: string;
}

export class StoreRuntime {
  private readonly loaded = new Map<string, LoadedStore>();

  constructor(readonly dirs: StoreRuntimeDirs) {}

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
  async trustRootFor(ref: StoreRef): Promise<TrustRoot> {
    return trustRootForStore({ isDemo: ref.isDemo, appConfigDir: this.dirs.appConfigDir, dataDir: this.dirs.dataDir });
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

const runtimes = new WeakMap<object, StoreRuntime>();

/** One runtime per services object, shared by the store and verification handlers. */
export function storeRuntimeFor(key: object, dirs: StoreRuntimeDirs): StoreRuntime {
  let r = runtimes.get(key);
  if (!r) {
    r = new StoreRuntime(dirs);
    runtimes.set(key, r);
  }
  return r;
}
