import { copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from '../../../scripts/testbed/cosign';
import { pushImage, type PushedImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { makeTufRepo, serveRepo, type RepoServer, type TestTufRepo } from '../../../scripts/testbed/tuf-repo';

// The BUILT CLI's `store add/list/refresh/remove` and `verify store:NAME` (DESIGN 2.4, 2.7)
// against a signed store served over loopback http and as a file: directory, listing images in
// a real registry signed by real cosign.
let reg: TestRegistry;
let home: CosignHome;
let tmp: string;
let dataDir: string;
let appConfig: string;
let img: PushedImage;
let repo: TestTufRepo;
let fileRepo: TestTufRepo;
let server: RepoServer;
let sshConfig: string;
type Receipt = { outcome: string; decision: string | null; error: { code: string } | null; listing: { signed: boolean; storeVersion: number | null; state: string } | null; store: { name: string } | null };
// A loopback port nothing listens on: an install that gets as far as CELL_UNREACHABLE passed the listing gate.
const install = (id: string, store: string) => runJson<Receipt>(['install', id, '--store', store, '--cell', 'deadcell', '--ssh-config', sshConfig, '--yes']);

const index = (n: number) => ({ schemaVersion: 1, name: `Signed ${n}`, services: [{ id: 'svc', name: 'Svc', version: `${n}.0.0`, image: img.ref }] });

function run(args: string[]) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: appConfig } });
}
async function runJson<T>(args: string[]) {
  const r = await run([...args, '--json']);
  return { ...r, doc: JSON.parse(r.stdout) as T };
}
type Stores = { stores: { name: string; url: string; signed: boolean; version: number | null; expires: string | null; state: string | null; error: { code: string } | null }[] };

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-store-'));
  dataDir = join(tmp, 'data');
  appConfig = join(tmp, 'appconfig');
  await mkdir(join(appConfig, 'cosign'), { recursive: true });
  sshConfig = join(tmp, 'ssh_config');
  await writeFile(sshConfig, 'Host deadcell\n  HostName 127.0.0.1\n  Port 1\n');
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  const key = await cosignKeyPair(home, 'store');
  await copyFile(key.pub, join(appConfig, 'cosign', 'cosign.pub'));
  img = await pushImage(reg.host, 'signed-store/svc');
  await cosignSign(home, key.key, img.ref);
  repo = makeTufRepo(join(tmp, 'repo'), { thresholds: { root: 2 } });
  repo.publish(index(1));
  server = await serveRepo(repo.dir);
  fileRepo = makeTufRepo(join(tmp, 'file-repo'), { keyType: 'ecdsa', consistentSnapshot: true });
  fileRepo.publish(index(1));
});

afterAll(async () => {
  await server?.stop();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store store (built CLI)', () => {
  it('adds a signed store with its root (keys and expiry printed) and lists it before any refresh', async () => {
    const add = await run(['store', 'add', 'Acme', server.url, '--root', join(repo.dir, 'metadata', '1.root.json')]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('added signed store Acme');
    expect(add.stdout).toContain('threshold 2 of 2 root key(s)');
    for (const k of repo.keys.root) expect(add.stdout).toContain(k.keyid);
    const list = await runJson<Stores>(['store', 'list']);
    expect(list.code).toBe(0);
    expect(list.doc.stores).toEqual([{ name: 'Acme', url: server.url, signed: true, version: null, expires: null, state: 'unreadable', error: expect.objectContaining({ code: 'STORE_UNREACHABLE' }) }]);
  });

  it('refuses a root file that is not a valid self-signed root, leaving stores.json as it was', async () => {
    const bad = await runJson<{ error: { code: string; message: string } }>(['store', 'add', 'Bad', `${server.url}x/`, '--root', join(repo.dir, 'metadata', 'timestamp.json')]);
    expect(bad.code).toBe(3);
    expect(bad.doc.error.code).toBe('STORE_METADATA_INVALID');
    expect((await runJson<Stores>(['store', 'list'])).doc.stores.map((s) => s.name)).toEqual(['Acme']);
  });

  it('refresh → current with version and expiry; verify store:NAME reports the store beside the results', async () => {
    const r = await runJson<Stores>(['store', 'refresh', 'Acme']);
    expect(r.code).toBe(0);
    expect(r.doc.stores[0]).toMatchObject({ signed: true, version: 1, state: 'current', error: null });
    expect(Date.parse(r.doc.stores[0]!.expires!)).toBeGreaterThan(Date.now());
    const v = await runJson<{ results: { serviceId: string; verified: boolean }[]; store: Record<string, unknown> }>(['verify', 'store:Acme', '--no-cache']);
    expect(v.code).toBe(0);
    expect(v.doc.results).toEqual([expect.objectContaining({ serviceId: 'svc', verified: true })]);
    expect(v.doc.store).toEqual({ name: 'Acme', signed: true, version: 1, expires: r.doc.stores[0]!.expires, state: 'current', error: null });
    const human = await run(['verify', 'store:Acme', '--no-cache']);
    expect(human.stdout).toContain('listing signed by Acme, version 1, valid until');
    const inst = await install('svc', 'Acme');
    expect(inst.code).toBe(3);
    expect(inst.doc).toMatchObject({ outcome: 'failed', error: { code: 'CELL_UNREACHABLE' }, listing: { signed: true, storeVersion: 1, state: 'current' } });
  });

  it('a replayed v1 after v2 is refused: refresh exits 1 with STORE_ROLLBACK, verify still checks the v2 listing and exits 1', async () => {
    const v1 = join(tmp, 'v1');
    await cp(repo.dir, v1, { recursive: true });
    repo.publish(index(2));
    expect((await runJson<Stores>(['store', 'refresh'])).doc.stores[0]).toMatchObject({ version: 2, state: 'current' });
    await cp(v1, repo.dir, { recursive: true, force: true });
    const r = await runJson<Stores>(['store', 'refresh', 'Acme']);
    expect(r.code).toBe(1);
    expect(r.doc.stores[0]).toMatchObject({ version: 2, state: 'refused', error: { code: 'STORE_ROLLBACK' } });
    const human = await run(['store', 'refresh', 'Acme']);
    expect(human.stdout).toContain('STORE_ROLLBACK: The signed store Acme served metadata older than');
    expect(human.stdout).toContain('version 2');
    const v = await runJson<{ results: { serviceId: string; verified: boolean }[]; store: Record<string, unknown> }>(['verify', 'store:Acme', '--no-cache']);
    expect(v.code).toBe(1);
    expect(v.doc.results).toEqual([expect.objectContaining({ serviceId: 'svc', verified: true })]);
    expect(v.doc.store).toMatchObject({ version: 2, state: 'refused', error: { code: 'STORE_ROLLBACK' } });
    expect((await runJson<Stores>(['store', 'list'])).doc.stores[0]).toMatchObject({ version: 2, state: 'refused' });
    const inst = await install('svc', 'Acme');
    expect(inst.code).toBe(1);
    expect(inst.doc).toMatchObject({ outcome: 'rejected', decision: 'block', error: { code: 'STORE_ROLLBACK' }, listing: { signed: true, storeVersion: 2, state: 'refused' } });
  });

  it('unreachable within expiry: stale, installs go on; past expiry: expired, installs blocked with STORE_EXPIRED', async () => {
    const short = makeTufRepo(join(tmp, 'short-repo'));
    // Long enough for two CLI runs on a loaded two-core machine, short enough to wait out.
    short.publish(index(1), { expiresInMs: { timestamp: 20_000 } });
    expect((await run(['store', 'add', 'Short', short.fileUrl, '--root', join(short.dir, 'metadata', '1.root.json')])).code).toBe(0);
    const first = await runJson<Stores>(['store', 'refresh', 'Short']);
    expect(first.doc.stores[0]).toMatchObject({ version: 1, state: 'current' });
    await rm(short.dir, { recursive: true, force: true });
    const stale = await install('svc', 'Short');
    expect(stale.doc).toMatchObject({ error: { code: 'CELL_UNREACHABLE' }, listing: { signed: true, storeVersion: 1, state: 'stale' } });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(first.doc.stores[0]!.expires!) - Date.now()) + 300));
    const r = await runJson<Stores>(['store', 'refresh', 'Short']);
    expect(r.code).toBe(1);
    expect(r.doc.stores[0]).toMatchObject({ version: 1, state: 'expired', error: { code: 'STORE_EXPIRED' } });
    const blocked = await install('svc', 'Short');
    expect(blocked.code).toBe(1);
    expect(blocked.doc).toMatchObject({ outcome: 'rejected', decision: 'block', error: { code: 'STORE_EXPIRED' }, listing: { signed: true, storeVersion: 1, state: 'expired' } });
  });

  it('a file: repository (consistent snapshots, ECDSA) is read the same way', async () => {
    expect((await run(['store', 'add', 'Local', `${fileRepo.fileUrl}`, '--root', join(fileRepo.dir, 'metadata', '1.root.json')])).code).toBe(0);
    const r = await runJson<Stores>(['store', 'refresh', 'Local']);
    expect(r.code).toBe(0);
    expect(r.doc.stores[0]).toMatchObject({ name: 'Local', signed: true, version: 1, state: 'current' });
  });

  it('a signed store that was never read and cannot be reached: refresh exits 3, verify exits 3 with the code', async () => {
    const gone = join(tmp, 'gone-repo');
    const g = makeTufRepo(gone);
    g.publish(index(1));
    expect((await run(['store', 'add', 'Gone', `file://${gone}/`, '--root', join(gone, 'metadata', '1.root.json')])).code).toBe(0);
    await rm(gone, { recursive: true, force: true });
    const r = await runJson<Stores>(['store', 'refresh', 'Gone']);
    expect(r.code).toBe(3);
    expect(r.doc.stores[0]).toMatchObject({ state: 'unreadable', error: { code: 'STORE_UNREACHABLE' } });
    const v = await runJson<{ error: { code: string } }>(['verify', 'store:Gone']);
    expect(v.code).toBe(3);
    expect(v.doc.error.code).toBe('STORE_UNREACHABLE');
  });

  it('remove drops the store; re-adding the same URL unsigned is refused (never read unsigned)', async () => {
    expect((await run(['store', 'remove', 'Acme'])).code).toBe(0);
    expect((await runJson<Stores>(['store', 'list'])).doc.stores.map((s) => s.name)).not.toContain('Acme');
    const again = await runJson<{ error: { code: string; message: string } }>(['store', 'add', 'Acme', server.url]);
    expect(again.code).toBe(3);
    expect(again.doc.error.message).toContain('never read unsigned');
    expect((await run(['store', 'frobnicate'])).code).toBe(2);
    expect((await run(['verify', 'store:Nope'])).code).toBe(2);
  });
});
