import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CoreError, errorMessage } from '../errors';
import { normalizeStoreLocation, type StoreEntry } from '../store/stores-config';
import { hasTrustedRoot, inspectRoot, saveInitialRoot } from './root-file';

/**
 * Signed stores that come with the installation rather than from the admin (DESIGN 2.6, 2.7):
 * a deployment ships `config/stores/<name>/store.json` (`{ "name", "url" }`) with the store's
 * initial TUF `root.json` beside it, like the publish key. They are listed before the stores in
 * stores.json, are always signed, and their root becomes this machine's trust the first time
 * they are read (later roots come only through TUF root rotation, never from the shipped file).
 */
export interface ShippedStore {
  entry: StoreEntry & { signed: true };
  rootPath: string;
}

const storeFileSchema = z.strictObject({ name: z.string().min(1).max(120), url: z.string().min(1).max(4096) });

export async function readShippedStores(appConfigDir: string): Promise<ShippedStore[]> {
  const dir = join(appConfigDir, 'stores');
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
  const out: ShippedStore[] = [];
  for (const name of names) {
    const file = join(dir, name, 'store.json');
    let parsed;
    try {
      parsed = storeFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    } catch (e) {
      throw new CoreError('DATA_FILE_CORRUPT', `${file} cannot be read: ${errorMessage(e)}`);
    }
    if (!parsed.success) throw new CoreError('DATA_FILE_CORRUPT', `${file} is not a store file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ')}`);
    out.push({ entry: { name: parsed.data.name, url: normalizeStoreLocation(parsed.data.url), signed: true }, rootPath: join(dir, name, 'root.json') });
  }
  return out;
}

/** Trust on first read: the shipped root is checked and saved unless this URL already has trust. */
export async function trustShippedRoot(dataDir: string, s: ShippedStore): Promise<void> {
  if (await hasTrustedRoot(dataDir, s.entry.url)) return;
  let bytes: Buffer;
  try {
    bytes = await readFile(s.rootPath);
  } catch (e) {
    throw new CoreError('STORE_METADATA_INVALID', `the root shipped for ${s.entry.name} cannot be read: ${errorMessage(e)}`);
  }
  inspectRoot(bytes, s.rootPath);
  await saveInitialRoot(dataDir, s.entry.url, bytes);
}
