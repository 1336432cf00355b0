import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../data-dir';
import { readLastGoodIndex, saveLastGoodIndex } from './index-cache';
import { MAX_INDEX_BYTES } from './load-index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-index-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cacheDir = () => join(dataPaths(dir).cache, 'indexes');
const URL_A = 'https://store-a.example/index.json';
const URL_B = 'https://store-b.example/index.json';

describe('index cache (the last good copy of a store index)', () => {
  it('has nothing before a store was ever loaded', async () => {
    expect(await readLastGoodIndex(dir, URL_A)).toBeNull();
  });

  it('keeps the last good copy per store URL with when it was fetched (the stale marker shown to the admin)', async () => {
    await saveLastGoodIndex(dir, URL_A, '{"name":"A1"}', new Date('2026-01-02T03:04:05.000Z'));
    await saveLastGoodIndex(dir, URL_B, '{"name":"B"}', new Date('2026-02-01T00:00:00.000Z'));
    await saveLastGoodIndex(dir, URL_A, '{"name":"A2"}', new Date('2026-03-04T05:06:07.000Z'));
    expect(await readLastGoodIndex(dir, URL_A)).toEqual({ url: URL_A, fetchedAt: '2026-03-04T05:06:07.000Z', text: '{"name":"A2"}' });
    expect(await readLastGoodIndex(dir, URL_B)).toEqual({ url: URL_B, fetchedAt: '2026-02-01T00:00:00.000Z', text: '{"name":"B"}' });
    // One file per store, replaced atomically (no temp files left behind).
    expect((await readdir(cacheDir())).sort()).toHaveLength(2);
  });

  it('treats an unreadable or tampered cache file as no copy (a cache is never authoritative)', async () => {
    await saveLastGoodIndex(dir, URL_A, '{"name":"A"}');
    const [file] = await readdir(cacheDir());
    const path = join(cacheDir(), file!);
    await writeFile(path, '{ torn');
    expect(await readLastGoodIndex(dir, URL_A)).toBeNull();
    // A copy recorded for another URL under this store's name is not handed out as this store's.
    await writeFile(path, JSON.stringify({ url: URL_B, fetchedAt: '2026-01-01T00:00:00.000Z', text: '{}' }));
    expect(await readLastGoodIndex(dir, URL_A)).toBeNull();
    // Missing fields are no copy either.
    await writeFile(path, JSON.stringify({ url: URL_A, text: '{}' }));
    expect(await readLastGoodIndex(dir, URL_A)).toBeNull();
  });

  it('does not keep an index larger than the index size limit', async () => {
    await saveLastGoodIndex(dir, URL_A, 'x'.repeat(MAX_INDEX_BYTES + 1));
    expect(await readLastGoodIndex(dir, URL_A)).toBeNull();
  });
});
