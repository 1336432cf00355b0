// The configured stores (`stores.json`, DESIGN 2.6). None configured means the embedded demo
// store; the file is only ever written by add/remove, atomically, and an unreadable file is
// reported rather than replaced (so a typo never silently drops an admin's stores).
import { z } from 'zod';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreError } from '../errors';
import { dataPaths, readJsonFile, writeJsonFile } from '../data-dir';
import { withFileLock } from '../file-lock';
import { checkRegistryHost } from '../reference/image-reference';
import { isLoopbackHost } from '../registry/plain-http';
import { hasTrustedRoot, inspectRoot, saveInitialRoot } from '../signed-store/root-file';

export interface StoreEntry {
  name: string;
  /** `https://…`, `file:…` or a loopback `http://…` URL. */
  url: string;
  /** A signed store (DESIGN 2.7): read only through TUF, from the root saved when it was added. */
  signed?: boolean;
}

const entrySchema = z.strictObject({
  name: z.string().min(1).max(120),
  url: z.string().min(1).max(4096),
  signed: z.boolean().optional(),
});
/** A registry host as a reference writes it (`name` or `name:port`), nothing else. */
const registryHostSchema = z.string().max(300).superRefine((h, ctx) => {
  const why = checkRegistryHost(h);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});
const fileSchema = z.object({
  stores: z.array(entrySchema).max(64),
  /** Registries an admin allows over plain http (DESIGN 2.3); loopback needs no entry. */
  plainHttpRegistries: z.array(registryHostSchema).max(64).optional(),
});

interface StoresFile {
  stores: StoreEntry[];
  plainHttpRegistries: string[];
}

/** The whole stores.json; a missing file is no stores and no plain-http registries. */
export async function readStoresFile(dataDir: string): Promise<StoresFile> {
  const path = dataPaths(dataDir).stores;
  const raw = await readJsonFile(path);
  if (raw === undefined) return { stores: [], plainHttpRegistries: [] };
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ');
    throw new CoreError('DATA_FILE_CORRUPT', `${path} is not a stores file (${why}); it was left as it is`);
  }
  for (const s of r.data.stores) normalizeStoreLocation(s.url);
  return { stores: r.data.stores, plainHttpRegistries: r.data.plainHttpRegistries ?? [] };
}

export async function readStoresConfig(dataDir: string): Promise<StoreEntry[]> {
  return (await readStoresFile(dataDir)).stores;
}

/**
 * The registries an admin listed for plain http in stores.json (`plainHttpRegistries`), for
 * every verifier (the app's runner, the CLI). A stores.json that cannot be read allows none
 * (fewer is never weaker) and the caller reports why.
 */
export async function readPlainHttpRegistries(dataDir: string): Promise<string[]> {
  return (await readStoresFile(dataDir)).plainHttpRegistries;
}

/** stores.json with a new store list, keeping the admin's plain-http registries. */
function storesFileWith(file: StoresFile, stores: StoreEntry[]): Record<string, unknown> {
  return file.plainHttpRegistries.length > 0 ? { stores, plainHttpRegistries: file.plainHttpRegistries } : { stores };
}

/**
 * Turns what an admin typed or dropped into a store URL: https, loopback http, file: URLs, or
 * an absolute path (read by main, never by the renderer). Anything else is refused with why.
 */
export function normalizeStoreLocation(input: string): string {
  const s = input.trim();
  if (!s) throw new CoreError('STORE_LOCATION_INVALID', 'type a store URL (https://…) or the path of an index file');
  if (s.startsWith('/')) return pathToFileURL(resolve(s)).href;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new CoreError('STORE_LOCATION_INVALID', `"${s.slice(0, 200)}" is neither an https:// URL nor an absolute file path`);
  }
  if (url.protocol === 'https:' || url.protocol === 'file:') return url.href;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.href;
  if (url.protocol === 'http:') throw new CoreError('STORE_LOCATION_INVALID', `plain http is accepted only for loopback stores; use https://${url.host}`);
  throw new CoreError('STORE_LOCATION_INVALID', `${url.protocol} store locations are not supported; use https:// or a file path`);
}

/**
 * stores.json changed by `change` under its lock, re-read inside it (DESIGN 2.6): another window
 * or the CLI adding a store at the same moment is never overwritten, and checks against the list
 * (a duplicate URL) are made against what is on disk now.
 */
async function updateStores(dataDir: string, change: (stores: StoreEntry[]) => StoreEntry[]): Promise<StoreEntry[]> {
  const path = dataPaths(dataDir).stores;
  return withFileLock(path, async () => {
    const file = await readStoresFile(dataDir);
    const next = change(file.stores);
    await writeJsonFile(path, storesFileWith(file, next));
    return next;
  });
}

/**
 * Adds a store (refusing a duplicate URL) and returns the new list. With `root` (a TUF root's
 * bytes) it is a signed store: the root is checked, then saved as its trust (DESIGN 2.7); a URL
 * that was once added signed is never added unsigned again.
 */
export async function addStore(dataDir: string, input: { location: string; name?: string; root?: Buffer }): Promise<StoreEntry[]> {
  const url = normalizeStoreLocation(input.location);
  const name = (input.name?.trim() || defaultName(url)).slice(0, 120);
  const duplicate = (stores: StoreEntry[]) => {
    if (stores.some((s) => s.url === url)) throw new CoreError('STORE_EXISTS', `${url} is already in your stores`);
  };
  if (input.root) {
    inspectRoot(input.root, 'the root file');
    // Checked before the root is saved, so a duplicate never resets a configured store's trust.
    duplicate((await readStoresFile(dataDir)).stores);
    await saveInitialRoot(dataDir, url, input.root);
  } else if (await hasTrustedRoot(dataDir, url)) {
    throw new CoreError('STORE_LOCATION_INVALID', `${url} was added as a signed store before and is never read unsigned; add it with its root file`);
  }
  return updateStores(dataDir, (stores) => {
    duplicate(stores);
    return [...stores, input.root ? { name, url, signed: true } : { name, url }];
  });
}

/** Removes a store by URL; removing the last one brings the demo store back. */
export async function removeStore(dataDir: string, url: string): Promise<StoreEntry[]> {
  return updateStores(dataDir, (stores) => {
    const next = stores.filter((s) => s.url !== url);
    if (next.length === stores.length) throw new CoreError('STORE_NOT_FOUND', `${url} is not one of your stores`);
    return next;
  });
}

function defaultName(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'file:') return decodeURIComponent(u.pathname.split('/').filter(Boolean).slice(-2).join('/')) || 'Local store';
  return u.host;
}
