/**
 * Adding a store from Manage stores (DESIGN 2.7 trust on adding; issue 17: a store is listed by
 * its index's name, and an unreachable one is refused with the reason). Main reads the store
 * before anything is saved: an unsigned index is fetched; a signed store's root file is checked
 * (its key ids, threshold and expiry are what the admin confirms) and a whole TUF update is run
 * against a throwaway data directory, so a store that cannot be read never reaches stores.json
 * and a refused root never becomes trusted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readableExpiry } from '../../../core/catalogue/store-catalogue';
import { CoreError } from '../../../core/errors';
import { loadStoreIndex } from '../../../core/store/load-index';
import { addStore, normalizeStoreLocation } from '../../../core/store/stores-config';
import { validateIndex } from '../../../core/store/validate';
import { UNSIGNED_LISTING } from '../../../core/signed-store/load-configured-store';
import { readRootFile, saveInitialRoot } from '../../../core/signed-store/root-file';
import { refreshSignedStore } from '../../../core/signed-store/signed-refresh';
import { storeListingView } from './store-listing-view';
import type { StoreAddPreview } from '../../contract/channels/store';

interface Dirs {
  dataDir: string;
  appConfigDir: string;
}

interface Checked {
  preview: StoreAddPreview;
  root: Buffer | null;
}

async function trySigned(url: string, root: Buffer): Promise<{ name: string; listing: StoreAddPreview['listing'] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'pic-store-add-'));
  try {
    await saveInitialRoot(scratch, url, root);
    const r = await refreshSignedStore({ dataDir: scratch, url });
    if (r.indexText === null || r.listing.state !== 'current') {
      const err = r.listing.error ?? { code: 'STORE_UNREACHABLE' as const, message: 'no listing could be read' };
      throw new CoreError(err.code, `the signed store at ${url} could not be read with this root, so it was not added: ${err.message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(r.indexText);
    } catch {
      throw new CoreError('INDEX_INVALID', `the signed index of ${url} is not valid JSON`);
    }
    const v = validateIndex(raw);
    if (!v.ok) throw new CoreError('INDEX_INVALID', `${url} is not a store index: ${v.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    return { name: v.index.name, listing: storeListingView(v.index.name, r.listing) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function check(dirs: Dirs, input: { location: string; rootPath?: string }): Promise<Checked> {
  const url = normalizeStoreLocation(input.location);
  const rootPath = input.rootPath?.trim();
  if (rootPath) {
    if (!isAbsolute(rootPath)) throw new CoreError('STORE_LOCATION_INVALID', 'give the root file as an absolute path, or choose it');
    const { bytes, summary } = await readRootFile(rootPath);
    const read = await trySigned(url, bytes);
    const root = { version: summary.version, expires: summary.expires, expiresText: readableExpiry(summary.expires), keyIds: summary.keyIds, threshold: summary.threshold, roles: summary.roles };
    return { preview: { url, name: read.name, root, listing: read.listing }, root: bytes };
  }
  let store;
  try {
    store = await loadStoreIndex(url, { appConfigDir: dirs.appConfigDir });
  } catch (e) {
    if (e instanceof CoreError) throw new CoreError(e.code, `the store was not added: ${e.message}`, e.details);
    throw e;
  }
  return { preview: { url, name: store.name, root: null, listing: storeListingView(store.name, UNSIGNED_LISTING) }, root: null };
}

export async function checkStore(dirs: Dirs, input: { location: string; rootPath?: string }): Promise<StoreAddPreview> {
  return (await check(dirs, input)).preview;
}

/** Tries the store again, saves it under its index's name (or the one typed), and reads its first trusted listing. */
export async function addCheckedStore(dirs: Dirs, input: { location: string; name?: string; rootPath?: string }): Promise<void> {
  const { preview, root } = await check(dirs, input);
  const name = input.name?.trim() || preview.name;
  await addStore(dirs.dataDir, { location: preview.url, name, ...(root ? { root } : {}) });
  if (root) await refreshSignedStore({ dataDir: dirs.dataDir, url: preview.url });
}
