import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialRootOf, makeTufRepo, serveRepo, type RepoServer, type TestTufRepo } from '../../../scripts/testbed/tuf-repo';
import { generateKey } from '../../../scripts/tuf/tuf-repo.mjs';
import { inspectRoot, saveInitialRoot } from './root-file';
import { refreshSignedStore, trustedListingStatus, type SignedRefreshResult } from './signed-refresh';
import { listingAllowsInstall } from './listing-gate';

// Every row of DESIGN 2.7's table against a real TUF repository made by the publishing module,
// read by tuf-js over loopback http and as a file: directory. Each refused case checks that the
// last trusted listing (v1's index) is what the store still shows.

const index = (n: number) => ({ schemaVersion: 1, name: `Signed ${n}`, services: [{ id: 'svc', name: 'Svc', version: `${n}.0.0`, image: `images.example/svc@sha256:${String(n).repeat(64).slice(0, 64)}` }] });
const nameOf = (r: SignedRefreshResult) => (r.indexText ? (JSON.parse(r.indexText) as { name: string }).name : null);

const servers: RepoServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe.each([
  { transport: 'http', consistentSnapshot: false, keyType: 'ed25519' as const },
  { transport: 'file', consistentSnapshot: true, keyType: 'ecdsa' as const },
])('signed store over $transport (consistent snapshots: $consistentSnapshot, $keyType keys)', ({ transport, consistentSnapshot, keyType }) => {
  let tmp: string;
  let repo: TestTufRepo;
  let url: string;
  let server: RepoServer | null = null;
  let dataDir: string;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pic-tuf-'));
    dataDir = join(tmp, 'home');
    repo = makeTufRepo(join(tmp, 'repo'), { keyType, consistentSnapshot, thresholds: { root: 2, targets: 2 } });
    if (transport === 'http') {
      server = await serveRepo(repo.dir);
      servers.push(server);
      url = server.url;
    } else {
      url = `${repo.fileUrl}/`;
    }
    repo.publish(index(1));
    await saveInitialRoot(dataDir, url, await initialRootOf(repo));
    const first = await refreshSignedStore({ dataDir, url, timeoutMs: 5000 });
    expect(first.listing).toMatchObject({ signed: true, version: 1, state: 'current', error: null });
    expect(nameOf(first)).toBe('Signed 1');
  });
  afterEach(async () => {
    await server?.stop();
    server = null;
    await rm(tmp, { recursive: true, force: true });
  });

  const refresh = () => refreshSignedStore({ dataDir, url, timeoutMs: 5000 });
  const expectKeptV1 = (r: SignedRefreshResult, state: string, code: string) => {
    expect(r.listing).toMatchObject({ signed: true, version: 1, state, error: { code } });
    expect(nameOf(r)).toBe('Signed 1');
  };

  it('accepts v1 → v2, and a refresh with nothing new stays current', async () => {
    repo.publish(index(2));
    const r = await refresh();
    expect(r.listing).toMatchObject({ version: 2, state: 'current', error: null });
    expect(nameOf(r)).toBe('Signed 2');
    const again = await refresh();
    expect(again.listing).toMatchObject({ version: 2, state: 'current' });
    expect(listingAllowsInstall(again.listing)).toEqual({ allowed: true });
  });

  it('refuses a replayed v1 after v2 (STORE_ROLLBACK) and keeps showing v2', async () => {
    const v1 = join(tmp, 'v1');
    await cp(repo.dir, v1, { recursive: true });
    repo.publish(index(2));
    expect((await refresh()).listing.version).toBe(2);
    await cp(v1, repo.dir, { recursive: true, force: true });
    const r = await refresh();
    expect(r.listing).toMatchObject({ version: 2, state: 'refused', error: { code: 'STORE_ROLLBACK' } });
    expect(nameOf(r)).toBe('Signed 2');
    expect(listingAllowsInstall(r.listing)).toMatchObject({ allowed: false, code: 'STORE_ROLLBACK' });
  });

  it('refuses mixed versions: a new snapshot served with the old targets (STORE_ROLLBACK)', async () => {
    const oldTargets = await readFile(join(repo.dir, 'metadata', 'targets.json'));
    const oldNumbered = consistentSnapshot ? await readFile(join(repo.dir, 'metadata', '1.targets.json')) : null;
    repo.publish(index(2));
    await writeFile(join(repo.dir, 'metadata', 'targets.json'), oldTargets);
    if (oldNumbered) await writeFile(join(repo.dir, 'metadata', '2.targets.json'), oldNumbered);
    expectKeptV1(await refresh(), 'refused', 'STORE_ROLLBACK');
  });

  it('refuses an expired timestamp while the trusted copy is valid (refused, STORE_EXPIRED)', async () => {
    repo.publish(index(2), { expiresInMs: { timestamp: -3_600_000 } });
    expectKeptV1(await refresh(), 'refused', 'STORE_EXPIRED');
  });

  it('refuses index bytes that differ from what targets signs (STORE_TARGET_MISMATCH)', async () => {
    const w = repo.publish(index(2));
    const swapped = Buffer.from(JSON.stringify(index(9)).padEnd(w.bytes.index.length, ' ').slice(0, w.bytes.index.length));
    await writeFile(join(repo.dir, 'targets', 'index.json'), swapped);
    if (consistentSnapshot) {
      const hash = (w.targets.signed as unknown as { targets: Record<string, { hashes: { sha256: string } }> }).targets['index.json']!.hashes.sha256;
      await writeFile(join(repo.dir, 'targets', `${hash}.index.json`), swapped);
    }
    expectKeptV1(await refresh(), 'refused', 'STORE_TARGET_MISMATCH');
    await writeFile(join(repo.dir, 'targets', 'index.json'), Buffer.concat([w.bytes.index, Buffer.from('   ')]));
    if (!consistentSnapshot) expectKeptV1(await refresh(), 'refused', 'STORE_TARGET_MISMATCH');
  });

  it('refuses a timestamp signed by a key the root does not name (STORE_METADATA_INVALID)', async () => {
    repo.publish(index(2), { keys: { timestamp: [generateKey(keyType)] } });
    expectKeptV1(await refresh(), 'refused', 'STORE_METADATA_INVALID');
  });

  it('refuses targets signed below their threshold of 2 (STORE_METADATA_INVALID)', async () => {
    repo.publish(index(2), { keys: { targets: [repo.keys.targets[0]!] } });
    expectKeptV1(await refresh(), 'refused', 'STORE_METADATA_INVALID');
  });

  it('refuses a root rotation not signed by the old root (STORE_METADATA_INVALID)', async () => {
    repo.rotateRoot({ signWith: (_old, fresh) => fresh });
    repo.publish(index(2));
    expectKeptV1(await refresh(), 'refused', 'STORE_METADATA_INVALID');
  });

  it('accepts a root rotation 1 → 2 signed by the old and the new root keys', async () => {
    repo.rotateRoot();
    repo.publish(index(2));
    const r = await refresh();
    expect(r.listing).toMatchObject({ version: 2, state: 'current', error: null });
    const trusted = inspectRoot(await readFile(join(dataDir, 'stores', (await import('./root-file')).storeId(url), 'metadata', 'root.json')), 'trusted root');
    expect(trusted.version).toBe(2);
    expect(trusted.keyIds.sort()).toEqual(repo.keys.root.map((k) => k.keyid).sort());
  });

  it('unreachable within expiry is stale (installs allowed); past expiry it is expired (installs blocked)', async () => {
    repo.publish(index(2), { expiresInMs: { timestamp: 2500 } });
    expect((await refresh()).listing).toMatchObject({ version: 2, state: 'current' });
    if (server) await server.stop();
    else await rm(repo.dir, { recursive: true, force: true });
    const stale = await refresh();
    expect(stale.listing).toMatchObject({ version: 2, state: 'stale', error: { code: 'STORE_UNREACHABLE' } });
    expect(nameOf(stale)).toBe('Signed 2');
    expect(listingAllowsInstall(stale.listing)).toEqual({ allowed: true });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(stale.listing.expires!) - Date.now()) + 200));
    const expired = await refresh();
    expect(expired.listing).toMatchObject({ version: 2, state: 'expired', error: { code: 'STORE_EXPIRED' } });
    expect(nameOf(expired)).toBe('Signed 2');
    expect(listingAllowsInstall(expired.listing)).toMatchObject({ allowed: false, code: 'STORE_EXPIRED' });
    expect((await trustedListingStatus(dataDir, url)).listing).toMatchObject({ state: 'expired', version: 2 });
  });
});
