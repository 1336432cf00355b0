import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError } from '../errors';
import { loadStoreIndex, type LoadedStore } from '../store/load-index';
import type { StoreEntry } from '../store/stores-config';
import { validateIndex } from '../store/validate';
import { hasTrustedRoot } from './root-file';
import { refreshSignedStore, repositoryUrls, trustedListingStatus, type ListingStatus } from './signed-refresh';

/**
 * Loads a configured store the way its entry says (DESIGN 2.7): an unsigned store as it is; a
 * signed store only through TUF — refreshed, or (refresh: false) its last trusted listing — and
 * never unsigned, even when its entry lost the flag. The result carries the listing's status;
 * a signed store with no trusted listing at all fails with the store's code.
 */
export interface ConfiguredStoreOptions {
  dataDir: string;
  appConfigDir?: string;
  cwd?: string;
  timeoutMs?: number;
  /** false: do not contact a signed store, use what was last trusted (lists, quick looks). */
  refresh?: boolean;
}

export const UNSIGNED_LISTING: ListingStatus = { signed: false, version: null, expires: null, state: 'current', error: null };

export async function loadConfiguredStore(entry: StoreEntry, opts: ConfiguredStoreOptions): Promise<LoadedStore & { listing: ListingStatus }> {
  if (!entry.signed) {
    if (await hasTrustedRoot(opts.dataDir, entry.url)) {
      throw new CoreError('STORE_METADATA_INVALID', `${entry.url} is a signed store (its trusted root is in the data directory) and is never read unsigned; mark it signed in stores.json or add it again with its root`);
    }
    return { ...(await loadStoreIndex(entry.url, { appConfigDir: opts.appConfigDir, cwd: opts.cwd, timeoutMs: opts.timeoutMs })), listing: UNSIGNED_LISTING };
  }
  const r = opts.refresh === false ? await trustedListingStatus(opts.dataDir, entry.url) : await refreshSignedStore({ dataDir: opts.dataDir, url: entry.url, timeoutMs: opts.timeoutMs });
  if (r.indexText === null) {
    const err = r.listing.error ?? { code: 'STORE_UNREACHABLE', message: 'no listing was ever accepted' };
    throw new CoreError(err.code, `signed store ${entry.name} (${entry.url}) has no trusted listing: ${err.message}`, { listing: r.listing });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(r.indexText);
  } catch {
    throw new CoreError('INDEX_INVALID', `the signed index of ${entry.url} is not valid JSON`);
  }
  if (entry.url.startsWith('file:')) {
    // A directory store's ociLayout is named relative to the index, i.e. inside targets/.
    const path = join(fileURLToPath(repositoryUrls(entry.url).targets), 'index.json');
    const loaded = await loadStoreIndex(path, { appConfigDir: opts.appConfigDir, parsed: raw });
    return { ...loaded, location: entry.url, listing: r.listing };
  }
  const v = validateIndex(raw);
  if (!v.ok) throw new CoreError('INDEX_INVALID', `${entry.url} is not a store index: ${v.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`, { errors: v.errors });
  const notes = v.index.ociLayout ? ['ociLayout is ignored for an index not read from a file'] : [];
  const kind = entry.url.startsWith('https:') ? 'https' : 'http';
  return { location: entry.url, kind, name: v.index.name, services: v.index.services, ociLayoutDir: null, isDemo: false, notes, listing: r.listing };
}
