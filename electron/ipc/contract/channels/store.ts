import { defineDomain, type Invoke, type IpcError } from '../domain';
import type { SchemaError } from '../../../core/store/manifest-schema';
import type { ServiceManifest } from '../../../core/store/manifest-schema';

/** One configured store as the store picker shows it. */
export interface StoreRef {
  /** Stable id for the renderer: the store's URL, or `demo` for the embedded demo store. */
  id: string;
  name: string;
  url: string;
  isDemo: boolean;
}

export interface StoreList {
  stores: StoreRef[];
  /** True when no store is configured and the embedded demo store stands in. */
  usingDemo: boolean;
  /** Set when stores.json exists but cannot be read; the demo store is NOT substituted then. */
  configError: IpcError | null;
}

/** One listed service: the validated manifest, or the raw id and errors when it is invalid. */
export interface StoreServiceView {
  index: number;
  id: string;
  manifest: ServiceManifest | null;
  errors: SchemaError[];
  /** A `data:` icon ready to show (inline icons only; remote ones come through `store:icon`). */
  iconData: string | null;
  /** An https icon URL main can fetch on request. */
  iconUrl: string | null;
  /** The listing's screenshots in order: inline `data:` ones ready to show, https ones main fetches on request. */
  screenshots: { data: string | null; url: string | null }[];
}

export interface LoadedStoreView {
  ref: StoreRef;
  name: string;
  services: StoreServiceView[];
  /** The index could not be fetched now; this is the last good copy from `fetchedAt`. */
  stale: { fetchedAt: string; error: IpcError } | null;
  notes: string[];
  /** Which keys judge this store: the demo store uses its own demo key only. */
  trustLabel: string;
}

/**
 * The `store` domain: configured stores, the loaded index (fetched and size-limited by main),
 * and remote icons handed over as `data:` URLs. The renderer never reads a file or the network.
 */
export const store = defineDomain<{
  list: Invoke<void, StoreList>;
  add: Invoke<{ location: string; name?: string }, StoreList>;
  remove: Invoke<{ url: string }, StoreList>;
  load: Invoke<{ storeId: string }, LoadedStoreView>;
  icon: Invoke<{ url: string }, { dataUrl: string }>;
  /** A remote screenshot (DESIGN 2.1), fetched like icons: PNG or WebP only. */
  screenshot: Invoke<{ url: string }, { dataUrl: string }>;
}>()('store', ['list', 'add', 'remove', 'load', 'icon', 'screenshot']);
