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
  /** A signed store (DESIGN 2.7): read only through TUF from the root saved when it was added. */
  signed: boolean;
  /** False for the demo store and stores the deployment ships (config/stores/): not the admin's to remove. */
  removable: boolean;
  /** What was last trusted and how the last refresh went, read without contacting the store. */
  listing: StoreListingView;
}

/**
 * A store's listing as people read it (DESIGN 2.7): the state table's values plus the
 * catalogue's words, built in main. `banner` is set for `stale`, `expired`, `refused` and a
 * signed store never read: what happened, and the next step per role.
 */
export interface StoreListingView {
  signed: boolean;
  version: number | null;
  expires: string | null;
  /** `expires` as people read it ("2027-01-31 12:00 UTC"). */
  expiresText: string | null;
  state: 'current' | 'stale' | 'refused' | 'expired' | 'unreadable';
  error: IpcError | null;
  /** "Listing signed by <store>, version N, valid until <date>" or "Listing not signed". */
  sentence: string;
  /** `detail`: the library's own message, shown apart as "Details for the helpdesk: …", never in the sentence. */
  banner: { code: string; title: string; sentence: string; next: { admin: string; developer: string; helpdesk: string }; detail: string } | null;
}

/** A TUF root as the admin confirms it before a signed store is saved (DESIGN 2.7: trust on adding). */
export interface StoreRootView {
  version: number;
  expires: string;
  expiresText: string;
  keyIds: string[];
  threshold: number;
  roles: Record<string, { keyIds: string[]; threshold: number }>;
}

/** What adding a store would save, shown before it is saved: the index's name and the root. */
export interface StoreAddPreview {
  url: string;
  name: string;
  root: StoreRootView | null;
  listing: StoreListingView;
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
  /** The listing's signature state (DESIGN 2.7), as of this load. */
  listing: StoreListingView;
}

/**
 * The `store` domain: configured stores, the loaded index (fetched and size-limited by main),
 * and remote icons handed over as `data:` URLs. The renderer never reads a file or the network.
 */
export const store = defineDomain<{
  list: Invoke<void, StoreList>;
  /** Reads the store (and, with `rootPath`, checks the root) without saving anything. */
  check: Invoke<{ location: string; rootPath?: string }, StoreAddPreview>;
  /** Tries the store, then saves it; with `rootPath` as a signed store. */
  add: Invoke<{ location: string; name?: string; rootPath?: string }, StoreList>;
  remove: Invoke<{ url: string }, StoreList>;
  load: Invoke<{ storeId: string }, LoadedStoreView>;
  /** Re-reads the store now (a TUF update for a signed store) and announces it with `changed`. */
  refresh: Invoke<{ storeId: string }, LoadedStoreView>;
  icon: Invoke<{ url: string }, { dataUrl: string }>;
  /** A remote screenshot (DESIGN 2.1), fetched like icons: PNG or WebP only. */
  screenshot: Invoke<{ url: string }, { dataUrl: string }>;
}, {
  /** A store was re-read: its listing (and maybe its index) changed. */
  changed: { storeId: string };
}>()('store', ['list', 'check', 'add', 'remove', 'load', 'refresh', 'icon', 'screenshot'], ['changed']);
