import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../errors';
import { addStore, normalizeStoreLocation, readPlainHttpRegistries, readStoresConfig, readStoresFile, removeStore } from './stores-config';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-stores-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const storesFile = () => join(dir, 'stores.json');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return (e as CoreError).code;
  }
  throw new Error('expected a CoreError');
}

describe('readStoresConfig', () => {
  it('has no stores when stores.json does not exist (the demo store is used then) and creates no file', async () => {
    expect(await readStoresConfig(dir)).toEqual([]);
    await expect(readFile(storesFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a stores.json that is not JSON and leaves it byte for byte as it was', async () => {
    const broken = '{ "stores": [ { "name": "Ours", "url": "https://stores.example/index.json" ';
    await writeFile(storesFile(), broken);
    await expect(readStoresConfig(dir)).rejects.toMatchObject({ code: 'DATA_FILE_CORRUPT' });
    // Adding or removing refuses to overwrite it either: the admin's list is not silently dropped.
    expect(await codeOf(addStore(dir, { location: 'https://other.example/index.json' }))).toBe('DATA_FILE_CORRUPT');
    expect(await codeOf(removeStore(dir, 'https://stores.example/index.json'))).toBe('DATA_FILE_CORRUPT');
    expect(await readFile(storesFile(), 'utf8')).toBe(broken);
  });

  it('reports JSON of the wrong shape, naming the file and the field, and leaves it', async () => {
    const wrong = JSON.stringify({ stores: [{ name: 'Ours', url: 'https://a.example/i.json', extra: 1 }] });
    await writeFile(storesFile(), wrong);
    const err = await readStoresConfig(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATA_FILE_CORRUPT' });
    expect((err as CoreError).message).toContain(storesFile());
    expect((err as CoreError).message).toContain('left as it is');
    expect(await readFile(storesFile(), 'utf8')).toBe(wrong);
  });

  it('refuses a stored URL of an unsupported kind instead of using it', async () => {
    await writeFile(storesFile(), JSON.stringify({ stores: [{ name: 'Plain', url: 'http://stores.example/index.json' }] }));
    await expect(readStoresConfig(dir)).rejects.toMatchObject({ code: 'STORE_LOCATION_INVALID' });
  });
});

describe('addStore / removeStore', () => {
  it('adds stores in order with derived names, persists them, and removes one by URL', async () => {
    const local = join(dir, 'stores', 'team', 'index.json');
    const afterFirst = await addStore(dir, { location: 'https://store.example.org/pic/index.json' });
    expect(afterFirst).toEqual([{ name: 'store.example.org', url: 'https://store.example.org/pic/index.json' }]);
    const afterSecond = await addStore(dir, { location: `  ${local}  `, name: ' Team store ' });
    expect(afterSecond[1]).toEqual({ name: 'Team store', url: pathToFileURL(local).href });
    expect(await readStoresConfig(dir)).toEqual(afterSecond);
    expect(JSON.parse(await readFile(storesFile(), 'utf8'))).toEqual({ stores: afterSecond });

    const afterRemove = await removeStore(dir, 'https://store.example.org/pic/index.json');
    expect(afterRemove).toEqual([{ name: 'Team store', url: pathToFileURL(local).href }]);
    expect(await readStoresConfig(dir)).toEqual(afterRemove);
  });

  it('refuses a duplicate, also when it is spelled differently but normalises to the same URL', async () => {
    await addStore(dir, { location: 'https://store.example.org/index.json' });
    expect(await codeOf(addStore(dir, { location: 'https://store.example.org/index.json', name: 'Again' }))).toBe('STORE_EXISTS');
    expect(await codeOf(addStore(dir, { location: 'HTTPS://STORE.example.org/index.json' }))).toBe('STORE_EXISTS');
    expect(await readStoresConfig(dir)).toHaveLength(1);
  });

  it('removing an unknown URL is an error and changes nothing', async () => {
    await addStore(dir, { location: 'https://store.example.org/index.json' });
    const before = await readFile(storesFile(), 'utf8');
    expect(await codeOf(removeStore(dir, 'https://nope.example/index.json'))).toBe('STORE_NOT_FOUND');
    expect(await readFile(storesFile(), 'utf8')).toBe(before);
  });

  it('removing the last store leaves an empty list, which means the demo store again', async () => {
    await addStore(dir, { location: 'https://store.example.org/index.json' });
    expect(await removeStore(dir, 'https://store.example.org/index.json')).toEqual([]);
    expect(await readStoresConfig(dir)).toEqual([]);
  });
});

describe('normalizeStoreLocation', () => {
  it('accepts https, file:, absolute paths and loopback http; refuses the rest with a reason', () => {
    expect(normalizeStoreLocation('https://s.example/i.json')).toBe('https://s.example/i.json');
    expect(normalizeStoreLocation('/srv/store/index.json')).toBe('file:///srv/store/index.json');
    expect(normalizeStoreLocation('http://127.0.0.1:5000/index.json')).toBe('http://127.0.0.1:5000/index.json');
    for (const [input, hint] of [
      ['', 'type a store URL'],
      ['http://store.example/index.json', 'loopback'],
      ['ftp://store.example/index.json', 'not supported'],
      ['relative/index.json', 'neither'],
      ['javascript:alert(1)', 'not supported'],
    ] as const) {
      let err: unknown;
      try {
        normalizeStoreLocation(input);
      } catch (e) {
        err = e;
      }
      expect(err, input).toMatchObject({ code: 'STORE_LOCATION_INVALID' });
      expect((err as CoreError).message, input).toContain(hint);
    }
  });
});

describe('plainHttpRegistries (DESIGN 2.3: hosts an admin lists for plain http)', () => {
  it('is read from stores.json, validated as registry hosts, and kept by add/remove', async () => {
    expect(await readPlainHttpRegistries(dir)).toEqual([]);
    await writeFile(storesFile(), JSON.stringify({ stores: [], plainHttpRegistries: ['images.lan:5000', 'mirror.internal'] }));
    expect(await readPlainHttpRegistries(dir)).toEqual(['images.lan:5000', 'mirror.internal']);
    await addStore(dir, { location: 'https://store.example.org/index.json' });
    expect(JSON.parse(await readFile(storesFile(), 'utf8'))).toMatchObject({ plainHttpRegistries: ['images.lan:5000', 'mirror.internal'] });
    await removeStore(dir, 'https://store.example.org/index.json');
    expect(await readStoresFile(dir)).toEqual({ stores: [], plainHttpRegistries: ['images.lan:5000', 'mirror.internal'] });
  });

  it('an entry that is not a registry host (a URL, a path, a bad port) makes the file corrupt, not silently half-read', async () => {
    for (const bad of ['http://images.lan:5000', 'images.lan/path', 'images.lan:99999', '']) {
      await writeFile(storesFile(), JSON.stringify({ stores: [], plainHttpRegistries: [bad] }));
      expect(await codeOf(readPlainHttpRegistries(dir)), bad).toBe('DATA_FILE_CORRUPT');
    }
  });
});
