import { z } from 'zod';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreError } from '../errors';
import { dataPaths, readJsonFile, writeJsonFile } from '../data-dir';
import { isLoopbackHost } from '../registry/registry-source';

/**
 * The configured stores (`stores.json`, DESIGN 2.6). None configured means the embedded demo
 * store; the file is only ever written by add/remove, atomically, and an unreadable file is
 * reported rather than replaced (so a typo never silently drops an admin's stores).
 */
export interface StoreEntry {
  name: string;
  /** `https://…`, `file:…` or a loopback `http://…` URL. */
  url: string;
}

const entrySchema = z.strictObject({
  name: z.string().min(1).max(120),
  url: z.string().min(1).max(4096),
});
const fileSchema = z.object({ stores: z.array(entrySchema).max(64) });

export async function readStoresConfig(dataDir: string): Promise<StoreEntry[]> {
  const path = dataPaths(dataDir).stores;
  const raw = await readJsonFile(path);
  if (raw === undefined) return [];
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ');
    throw new CoreError('DATA_FILE_CORRUPT', `${path} is not a stores file (${why}); it was left as it is`);
  }
  for (const s of r.data.stores) normalizeStoreLocation(s.url);
  return r.data.stores;
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

/** Adds a store (refusing a duplicate URL) and returns the new list. */
export async function addStore(dataDir: string, input: { location: string; name?: string }): Promise<StoreEntry[]> {
  const url = normalizeStoreLocation(input.location);
  const stores = await readStoresConfig(dataDir);
  if (stores.some((s) => s.url === url)) throw new CoreError('STORE_EXISTS', `${url} is already in your stores`);
  const name = (input.name?.trim() || defaultName(url)).slice(0, 120);
  const next = [...stores, { name, url }];
  await writeJsonFile(dataPaths(dataDir).stores, { stores: next });
  return next;
}

/** Removes a store by URL; removing the last one brings the demo store back. */
export async function removeStore(dataDir: string, url: string): Promise<StoreEntry[]> {
  const stores = await readStoresConfig(dataDir);
  const next = stores.filter((s) => s.url !== url);
  if (next.length === stores.length) throw new CoreError('STORE_NOT_FOUND', `${url} is not one of your stores`);
  await writeJsonFile(dataPaths(dataDir).stores, { stores: next });
  return next;
}

function defaultName(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'file:') return decodeURIComponent(u.pathname.split('/').filter(Boolean).slice(-2).join('/')) || 'Local store';
  return u.host;
}
