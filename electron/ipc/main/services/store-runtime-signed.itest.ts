import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTufRepo, serveRepo, type RepoServer, type TestTufRepo } from '../../../../scripts/testbed/tuf-repo';
import { createCoreServices } from '../../../core/core-services';
import type { EventChannel, EventMap } from '../../contract/channels';
import { StoreRuntime } from './store-runtime';

// The app's store runtime on a real TUF repository (made by the publishing module, served on
// loopback): adding checks the root and reads the store before anything is saved, Refresh picks
// up a new release and announces it, and a replayed release is refused with the catalogue's
// words while the last trusted listing stays shown.

const index = (n: number) => ({ schemaVersion: 1, name: `Team Store ${n}`, services: [{ id: 'svc', name: 'Svc', version: `${n}.0.0`, image: `images.example/svc@sha256:${String(n).repeat(64).slice(0, 64)}` }] });

let tmp: string;
let dataDir: string;
let repo: TestTufRepo;
let server: RepoServer;
let rootPath: string;
let events: { channel: string; payload: unknown }[];
let rt: StoreRuntime;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-rt-signed-'));
  dataDir = join(tmp, 'home');
  await mkdir(dataDir);
  repo = makeTufRepo(join(tmp, 'repo'), { thresholds: { root: 2 } });
  repo.publish(index(1));
  rootPath = join(repo.dir, 'metadata', '1.root.json');
  server = await serveRepo(repo.dir);
  events = [];
  const hub = { emit: <C extends EventChannel>(channel: C, payload: EventMap[C]) => void events.push({ channel, payload }) };
  rt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir: join(tmp, 'no-config') }), hub);
});
afterEach(async () => {
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('StoreRuntime: signed stores (DESIGN 2.7)', () => {
  it('checks a root and reads the store before saving: key ids, threshold, expiry and the index name, nothing written', async () => {
    const preview = await rt.check({ location: server.url, rootPath });
    expect(preview.name).toBe('Team Store 1');
    expect(preview.root!.threshold).toBe(2);
    expect([...preview.root!.keyIds].sort()).toEqual(repo.keys.root.map((k) => k.keyid).sort());
    expect(preview.root!.expiresText).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(preview.listing).toMatchObject({ signed: true, version: 1, state: 'current', banner: null });
    expect(preview.listing.sentence).toMatch(/^Listing signed by Team Store 1, version 1, valid until \d{4}-/);
    expect(existsSync(join(dataDir, 'stores.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'stores'))).toBe(false);
  });

  it('refuses an unreachable store, signed or not, with the reason, and saves nothing', async () => {
    const gone = await serveRepo(join(tmp, 'empty'));
    await gone.stop();
    await expect(rt.add({ location: gone.url, rootPath })).rejects.toMatchObject({ code: 'STORE_UNREACHABLE', message: expect.stringContaining('was not added') });
    await expect(rt.add({ location: `${gone.url}index.json` })).rejects.toMatchObject({ code: 'INDEX_UNREADABLE', message: expect.stringContaining('was not added') });
    expect(existsSync(join(dataDir, 'stores.json'))).toBe(false);
  });

  it('adds it under its index name; Refresh picks up v2 and says so; a replayed v1 is refused with the catalogue words and v2 stays shown', async () => {
    const v1 = join(tmp, 'v1');
    await cp(repo.dir, v1, { recursive: true });
    const list = await rt.add({ location: server.url, rootPath });
    expect(list.stores).toMatchObject([{ name: 'Team Store 1', signed: true, listing: { version: 1, state: 'current' } }]);
    const id = list.stores[0]!.id;
    expect((await rt.load(id)).services[0]!.manifest?.version).toBe('1.0.0');

    repo.publish(index(2));
    // A plain load shows what is trusted; Refresh is the TUF update.
    expect((await rt.load(id)).listing.version).toBe(1);
    const fresh = await rt.refresh(id);
    expect(fresh).toMatchObject({ name: 'Team Store 2', listing: { version: 2, state: 'current', banner: null } });
    expect(fresh.services[0]!.manifest?.version).toBe('2.0.0');
    expect(events).toEqual([{ channel: 'store:changed', payload: { storeId: id } }]);

    for (const f of await readdir(join(v1, 'metadata'))) await cp(join(v1, 'metadata', f), join(repo.dir, 'metadata', f));
    const refused = await rt.refresh(id);
    expect(refused.listing).toMatchObject({ version: 2, state: 'refused', error: { code: 'STORE_ROLLBACK' }, banner: { code: 'STORE_ROLLBACK', title: 'Store rollback refused' } });
    expect(refused.listing.banner!.sentence).toContain('It still shows the last trusted listing, version 2');
    // The library's message is the helpdesk's detail, never part of the sentence.
    expect(refused.listing.banner!.sentence).not.toContain('is less than current');
    expect(refused.listing.banner!.detail).toBe(refused.listing.error!.message);
    expect(refused.services[0]!.manifest?.version).toBe('2.0.0');
    expect(await rt.installListing(id)).toMatchObject({ state: 'refused', error: { code: 'STORE_ROLLBACK' } });
    expect((await rt.list()).stores[0]!.listing).toMatchObject({ state: 'refused', version: 2 });
  });

  it('a store the deployment ships (config/stores/<name>/store.json + root.json) is listed first, signed, not removable, trusted on first read', async () => {
    const appConfigDir = join(tmp, 'config');
    await mkdir(join(appConfigDir, 'stores', 'team'), { recursive: true });
    await writeFile(join(appConfigDir, 'stores', 'team', 'store.json'), JSON.stringify({ name: 'Shipped Team Store', url: `${repo.fileUrl}/` }));
    await cp(rootPath, join(appConfigDir, 'stores', 'team', 'root.json'));
    const shippedRt = new StoreRuntime(createCoreServices({ dataDir, appConfigDir }));
    const file = join(tmp, 'plain.json');
    await writeFile(file, JSON.stringify(index(7)));
    await shippedRt.add({ location: file });
    const list = await shippedRt.list();
    expect(list).toMatchObject({ usingDemo: false, stores: [{ name: 'Shipped Team Store', signed: true, removable: false }, { name: 'Team Store 7', signed: false, removable: true }] });
    const loaded = await shippedRt.load(list.stores[0]!.id);
    expect(loaded.listing).toMatchObject({ signed: true, version: 1, state: 'current' });
    expect(loaded.name).toBe('Team Store 1');
    // Once trusted, the shipped file is not read again: later roots come only through TUF.
    await writeFile(join(appConfigDir, 'stores', 'team', 'root.json'), 'replaced');
    expect((await shippedRt.refresh(list.stores[0]!.id)).listing.state).toBe('current');
  });

  it('an unsigned store stays unsigned and says so', async () => {
    const file = join(tmp, 'plain.json');
    await writeFile(file, JSON.stringify(index(7)));
    const list = await rt.add({ location: file });
    expect(list.stores).toMatchObject([{ name: 'Team Store 7', signed: false, listing: { signed: false, sentence: 'Listing not signed', banner: null } }]);
  });
});
