// The last good copy of each store's index, kept under `cache/indexes/` so that when a store
// cannot be fetched the admin still sees what it listed — marked stale, with when it was
// fetched. Only indexes that parsed as a store index are kept.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataPaths, writeFileAtomic } from '../data-dir';
import { MAX_INDEX_BYTES } from './load-index';

interface CachedIndex {
  url: string;
  fetchedAt: string;
  text: string;
}

function cachePath(dataDir: string, url: string): string {
  const key = createHash('sha256').update(url).digest('hex').slice(0, 32);
  return join(dataPaths(dataDir).cache, 'indexes', `${key}.json`);
}

export async function saveLastGoodIndex(dataDir: string, url: string, text: string, now = new Date()): Promise<void> {
  if (text.length > MAX_INDEX_BYTES) return;
  await writeFileAtomic(cachePath(dataDir, url), JSON.stringify({ url, fetchedAt: now.toISOString(), text }));
}

/** The last good copy, or null when there is none or it is unreadable (a cache is never authoritative). */
export async function readLastGoodIndex(dataDir: string, url: string): Promise<CachedIndex | null> {
  try {
    const raw = JSON.parse(await readFile(cachePath(dataDir, url), 'utf8')) as Partial<CachedIndex>;
    if (raw.url !== url || typeof raw.text !== 'string' || typeof raw.fetchedAt !== 'string') return null;
    return { url, fetchedAt: raw.fetchedAt, text: raw.text };
  } catch {
    return null;
  }
}
