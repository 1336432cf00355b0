import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../errors';
import type { LoadedStore } from '../store/load-index';
import { hasTrustedRoot, inspectRoot } from './root-file';
import { readStoresConfig, type StoreEntry } from '../store/stores-config';
import { loadConfiguredStore, type ConfiguredStoreOptions } from './load-configured-store';
import { readShippedStores, trustShippedRoot, type ShippedStore } from './shipped-stores';
import type { ListingStatus } from './signed-refresh';

/**
 * Which stores the app and the CLI read, found one way for both (DESIGN 2.6, 2.7): the stores a
 * deployment ships (config/stores/), then stores.json's; with neither, the embedded demo store.
 * The demo store is a signed `file:` directory store whose initial trusted root is
 * `config/demo-store/metadata/1.root.json` (the repository's first root, DESIGN 2.7's layout).
 * It is never read unsigned: with its root missing or broken it is a signed store that cannot be
 * read, never its plain index.json (that file is only the demo generator's source).
 */
export const DEMO_STORE_ID = 'demo';
export const DEMO_STORE_NAME = 'PIC Demo Store';

export interface EffectiveStore {
  /** The demo store's id is `demo`; every other store's id is its URL. */
  id: string;
  entry: StoreEntry;
  isDemo: boolean;
  /** Set when the store came with the installation: its root file is beside it. */
  shipped: ShippedStore | null;
}

/** The embedded demo store, when the installation has its directory (config/demo-store/). */
export function demoStore(appConfigDir: string): EffectiveStore | null {
  const dir = join(appConfigDir, 'demo-store');
  if (!existsSync(dir)) return null;
  const entry = { name: DEMO_STORE_NAME, url: pathToFileURL(dir).href + '/', signed: true as const };
  return { id: DEMO_STORE_ID, entry, isDemo: true, shipped: { entry, rootPath: join(dir, 'metadata', '1.root.json') } };
}

export async function effectiveStores(dirs: { dataDir: string; appConfigDir: string }): Promise<{ entries: EffectiveStore[]; usingDemo: boolean }> {
  const shipped = await readShippedStores(dirs.appConfigDir);
  const shippedUrls = new Set(shipped.map((s) => s.entry.url));
  const configured = (await readStoresConfig(dirs.dataDir)).filter((e) => !shippedUrls.has(e.url));
  const found: EffectiveStore[] = [
    ...shipped.map((s) => ({ id: s.entry.url, entry: s.entry, isDemo: false, shipped: s })),
    ...configured.map((entry) => ({ id: entry.url, entry, isDemo: false, shipped: null })),
  ];
  if (found.length > 0) return { entries: found, usingDemo: false };
  const demo = demoStore(dirs.appConfigDir);
  return { entries: demo ? [demo] : [], usingDemo: !!demo };
}

/**
 * The listing of a shipped store (the demo store too) whose root was never trusted and cannot be:
 * its root file is missing or not a root. Listing it then says so in the catalogue's words for
 * STORE_METADATA_INVALID, rather than "not read yet". Null when the root is trusted or usable.
 */
export async function shippedRootProblem(dataDir: string, store: EffectiveStore): Promise<ListingStatus | null> {
  if (!store.shipped || (await hasTrustedRoot(dataDir, store.entry.url))) return null;
  try {
    inspectRoot(await readFile(store.shipped.rootPath), store.shipped.rootPath);
    return null;
  } catch (e) {
    return { signed: true, version: null, expires: null, state: 'unreadable', error: { code: 'STORE_METADATA_INVALID', message: `the root shipped for ${store.entry.name} cannot be read: ${errorMessage(e)}` } };
  }
}

/**
 * Loads one of them: a shipped store's root becomes this machine's trust first (a missing or
 * broken root fails with STORE_METADATA_INVALID), then the store is read as its entry says.
 */
export async function loadEffectiveStore(store: EffectiveStore, opts: ConfiguredStoreOptions & { appConfigDir: string }): Promise<LoadedStore & { listing: ListingStatus }> {
  if (store.shipped) await trustShippedRoot(opts.dataDir, store.shipped);
  const loaded = await loadConfiguredStore(store.entry, opts);
  return { ...loaded, isDemo: store.isDemo || loaded.isDemo };
}
