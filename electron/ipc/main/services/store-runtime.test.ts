import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStore } from '../../../core/store/stores-config';
import { DEMO_STORE_ID, StoreRuntime } from './store-runtime';
import { createCoreServices } from '../../../core/core-services';

/** The shipped app config dir: it holds the embedded demo store. */
const APP_CONFIG = resolve(__dirname, '..', '..', '..', '..', 'config');

let tmp: string;
let dataDir: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-store-runtime-'));
  dataDir = join(tmp, 'home');
  await mkdir(dataDir);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeStoreIndex(path: string, name: string): Promise<void> {
  const demo = JSON.parse(await readFile(join(APP_CONFIG, 'demo-store', 'index.json'), 'utf8')) as { services: unknown[] };
  await writeFile(path, JSON.stringify({ schemaVersion: 1, name, services: demo.services.slice(0, 3) }));
}

describe('StoreRuntime: the demo fallback', () => {
  it('lists the embedded demo store, and only it, when no store is configured', async () => {
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: APP_CONFIG }));
    const list = await rt.list();
    expect(list).toMatchObject({ usingDemo: true, configError: null, stores: [{ id: DEMO_STORE_ID, isDemo: true }] });
    const loaded = await rt.load(DEMO_STORE_ID);
    expect(loaded.ref.isDemo).toBe(true);
    // The demo store is itself a signed directory store with its own demo root (DESIGN 2.7).
    expect(loaded.ref.signed).toBe(true);
    expect(loaded.listing).toMatchObject({ signed: true, version: 1, state: 'current', expires: '2099-12-31T00:00:00Z', banner: null });
    expect(loaded.listing.sentence).toBe('Listing signed by PIC Demo Store, version 1, valid until 2099-12-31 00:00 UTC');
    expect(loaded.trustLabel).toContain('demo key');
    expect(loaded.services.map((s) => s.id)).toContain('pinboard');
  });

  it('a demo store whose root is missing stays signed and unreadable: its plain index.json is never read unsigned', async () => {
    const appConfig = join(tmp, 'config');
    await cp(join(APP_CONFIG, 'demo-store'), join(appConfig, 'demo-store'), { recursive: true });
    await rm(join(appConfig, 'demo-store', 'metadata', '1.root.json'));
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: appConfig }));
    const list = await rt.list();
    expect(list).toMatchObject({ usingDemo: true, stores: [{ id: DEMO_STORE_ID, isDemo: true, signed: true, listing: { signed: true, state: 'unreadable', version: null, error: { code: 'STORE_METADATA_INVALID' }, banner: { code: 'STORE_METADATA_INVALID', title: 'Store metadata not valid' } } }] });
    await expect(rt.load(DEMO_STORE_ID)).rejects.toMatchObject({ code: 'STORE_METADATA_INVALID', message: expect.stringContaining('the root shipped for PIC Demo Store cannot be read') });
  });

  it('no longer offers the demo once a store is configured, and offers it again when it is removed', async () => {
    const indexPath = join(tmp, 'team.json');
    await writeStoreIndex(indexPath, 'Team');
    await addStore(dataDir, { location: indexPath, name: 'Team' });
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: APP_CONFIG }));
    expect(await rt.list()).toMatchObject({ usingDemo: false, stores: [{ id: pathToFileURL(indexPath).href, name: 'Team', isDemo: false }] });
    await writeFile(join(dataDir, 'stores.json'), JSON.stringify({ stores: [] }));
    expect(await rt.list()).toMatchObject({ usingDemo: true, stores: [{ id: DEMO_STORE_ID }] });
  });

  it('says plainly when there is no demo store in this installation', async () => {
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: join(tmp, 'empty-config') }));
    expect(await rt.list()).toEqual({ stores: [], usingDemo: false, configError: null });
  });

  it('a corrupt stores.json is reported, not papered over with the demo store', async () => {
    await writeFile(join(dataDir, 'stores.json'), 'not json');
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: APP_CONFIG }));
    const list = await rt.list();
    expect(list.stores).toEqual([]);
    expect(list.usingDemo).toBe(false);
    expect(list.configError).toMatchObject({ code: 'DATA_FILE_CORRUPT' });
    expect(await readFile(join(dataDir, 'stores.json'), 'utf8')).toBe('not json');
  });
});

describe('StoreRuntime: the last good copy, marked stale', () => {
  it('shows the last good index marked stale (when, and why) once the store cannot be loaded', async () => {
    const indexPath = join(tmp, 'store', 'index.json');
    await mkdir(join(tmp, 'store'));
    await writeStoreIndex(indexPath, 'Team');
    await addStore(dataDir, { location: indexPath, name: 'Team' });
    const id = pathToFileURL(indexPath).href;
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: APP_CONFIG }));

    const fresh = await rt.load(id);
    expect(fresh.stale).toBeNull();
    const freshIds = fresh.services.map((s) => s.id);
    expect(freshIds).toHaveLength(3);

    await writeFile(indexPath, 'this is not json');
    const stale = await rt.load(id);
    expect(stale.stale).not.toBeNull();
    expect(stale.stale?.error.code).toBe('INDEX_INVALID');
    expect(Date.parse(stale.stale?.fetchedAt ?? '')).not.toBeNaN();
    expect(stale.name).toBe('Team');
    expect(stale.services.map((s) => s.id)).toEqual(freshIds);

    await rm(indexPath);
    const gone = await rt.load(id);
    expect(gone.stale?.error.code).toBe('INDEX_UNREADABLE');
    expect(gone.services.map((s) => s.id)).toEqual(freshIds);
  });

  it('without a last good copy the load error itself is raised', async () => {
    const indexPath = join(tmp, 'missing.json');
    await addStore(dataDir, { location: indexPath });
    const rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: APP_CONFIG }));
    await expect(rt.load(pathToFileURL(indexPath).href)).rejects.toMatchObject({ code: 'INDEX_UNREADABLE' });
  });
});
