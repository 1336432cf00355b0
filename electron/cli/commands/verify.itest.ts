import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../core/registry/plain-http';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { copyImage, pushImage, type PushedImage } from '../../../scripts/testbed/images';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from '../../../scripts/testbed/cosign';

// The BUILT CLI (dist/cli/pic-store.cjs) against a real registry and real cosign signatures:
// target rules, JSON shapes, exit codes, human output, --trust-key, --timeout, cache, lint.
let reg: TestRegistry;
let home: CosignHome;
let tmp: string;
let dataDir: string;
let appConfig: string;
let keyA: { key: string; pub: string };
let keyB: { key: string; pub: string };
let signed: PushedImage;
let unsigned: PushedImage;
let silent: http.Server;
let silentHost: string;
const hanging: http.ServerResponse[] = [];

function run(args: string[], env: Record<string, string> = {}) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: appConfig, DOCKER_CONFIG: join(tmp, 'docker'), ...env } });
}

async function runJson(args: string[], env?: Record<string, string>) {
  const r = await run([...args, '--json'], env);
  return { ...r, doc: JSON.parse(r.stdout) as { results: Record<string, unknown>[]; error?: { code: string } } };
}

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-'));
  dataDir = join(tmp, 'data');
  appConfig = join(tmp, 'appconfig');
  await mkdir(join(appConfig, 'cosign'), { recursive: true });
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  [keyA, keyB] = await Promise.all([cosignKeyPair(home, 'a'), cosignKeyPair(home, 'b')]);
  signed = await pushImage(reg.host, 'cli/signed');
  unsigned = await pushImage(reg.host, 'cli/unsigned');
  await cosignSign(home, keyA.key, signed.ref);
  silent = http.createServer((_q, r) => void hanging.push(r));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentHost = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  silent?.closeAllConnections();
  await new Promise((r) => silent?.close(r));
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store verify (built CLI)', () => {
  it('an image reference that verifies → exit 0 and the DESIGN 2.4 JSON shape', async () => {
    const { code, doc } = await runJson(['verify', signed.ref, '--trust-key', keyA.pub, '--no-cache']);
    expect(code).toBe(0);
    const r = doc.results[0]!;
    expect(r).toMatchObject({ image: signed.ref, digest: signed.digest, verified: true, reason: 'VERIFIED' });
    expect(r).not.toHaveProperty('serviceId');
    expect((r.checks as unknown[]).length).toBe(10);
    expect(r.signatures).toEqual([expect.objectContaining({ format: 'classic', identity: `${reg.host}/cli/signed` })]);
    expect(r.trustedKeys).toEqual([expect.objectContaining({ origin: 'command-line' })]);
  });

  it('no trusted key installed → TRUST_ROOT_INVALID, exit 1', async () => {
    const { code, doc } = await runJson(['verify', signed.ref]);
    expect(code).toBe(1);
    expect(doc.results[0]?.reason).toBe('TRUST_ROOT_INVALID');
  });

  it('keys in the data dir trust/ are local; --trust-key replaces the trust root', async () => {
    await mkdir(join(dataDir, 'trust'), { recursive: true });
    await copyFile(keyA.pub, join(dataDir, 'trust', 'a.pub'));
    try {
      const local = await runJson(['verify', signed.ref, '--no-cache']);
      expect(local.code).toBe(0);
      expect(local.doc.results[0]?.trustedKeys).toEqual([expect.objectContaining({ origin: 'local' })]);
      const replaced = await runJson(['verify', signed.ref, '--trust-key', keyB.pub, '--no-cache']);
      expect(replaced.code).toBe(1);
      expect(replaced.doc.results[0]?.reason).toBe('SIGNATURE_INVALID');
      const both = await runJson(['verify', signed.ref, '--trust-key', keyB.pub, '--trust-key', keyA.pub, '--no-cache']);
      expect(both.code).toBe(0);
      expect(both.doc.results[0]?.trustedKeys).toHaveLength(2);
    } finally {
      await rm(join(dataDir, 'trust'), { recursive: true, force: true });
    }
  });

  it('an index file: one result per service, bad manifest listed with JSON-pointer errors, exit 1', async () => {
    const index = {
      schemaVersion: 1, name: 'Test store',
      services: [
        { id: 'good', name: 'Good', version: '1', image: signed.ref },
        { id: 'nosig', name: 'No sig', version: '1', image: unsigned.ref },
        { id: 'broken', name: '', version: '1', image: signed.ref, privileged: true },
        { id: 'tagged', name: 'Tagged', version: '1', image: `${reg.host}/cli/signed:latest` },
      ],
    };
    await writeFile(join(tmp, 'index.json'), JSON.stringify(index));
    const { code, doc } = await runJson(['verify', 'index.json', '--trust-key', keyA.pub, '--no-cache']);
    expect(code).toBe(1);
    expect(doc.results.map((r) => [r.serviceId, r.reason])).toEqual([['good', 'VERIFIED'], ['nosig', 'SIGNATURE_NOT_FOUND'], ['broken', 'MANIFEST_INVALID'], ['tagged', 'DIGEST_MISSING']]);
    expect(doc.results[2]?.errors).toEqual([{ path: '/services/2/name', message: 'must not be empty' }, { path: '/services/2/privileged', message: 'not allowed in a store listing: privileged' }]);
  });

  it('human output: one line per image, details with -v', async () => {
    const plain = await run(['verify', 'index.json', '--trust-key', keyA.pub, '--no-cache']);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^OK {3}Verified \(VERIFIED\) {2}good: /);
    expect(lines[1]).toMatch(/^FAIL Unsigned \(SIGNATURE_NOT_FOUND\) {2}nosig: .*No cosign signature is attached/);
    expect(lines[4]).toBe('1 of 4 verified');
    const verbose = await run(['verify', unsigned.ref, '--trust-key', keyA.pub, '-v', '--no-cache']);
    expect(verbose.stdout).toMatch(/fail Signature attached \(signature-found\): /);
    expect(verbose.stdout).toMatch(/next \(developer\): /);
  });

  it('a manifest file and a loopback http index URL are targets too', async () => {
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify({ id: 'm', name: 'M', version: '1', image: signed.ref }));
    const m = await runJson(['verify', 'manifest.json', '--trust-key', keyA.pub, '--no-cache']);
    expect(m.code).toBe(0);
    expect(m.doc.results[0]?.serviceId).toBe('m');
    const body = JSON.stringify({ schemaVersion: 1, name: 'Remote', services: [{ id: 'r', name: 'R', version: '1', image: signed.ref }], ociLayout: 'ignored' });
    const srv = http.createServer((_q, r) => r.end(body));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const u = await runJson(['verify', `http://127.0.0.1:${(srv.address() as AddressInfo).port}/index.json`, '--trust-key', keyA.pub, '--no-cache']);
      expect(u.code).toBe(0);
      expect(u.doc.results[0]?.serviceId).toBe('r');
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('an index that cannot be loaded → exit 3 with { error: { code, message } }', async () => {
    await writeFile(join(tmp, 'bad-index.json'), '{"schemaVersion":1,"services":{}}');
    const bad = await runJson(['verify', 'bad-index.json']);
    expect(bad.code).toBe(3);
    expect(bad.doc.error?.code).toBe('INDEX_INVALID');
    const gone = await runJson(['verify', 'http://127.0.0.1:1/index.json']);
    expect(gone.code).toBe(3);
    expect(gone.doc.error?.code).toBe('INDEX_UNREADABLE');
  });

  it('registry hosts a URL cannot name → REFERENCE_INVALID for that image only, exit 1; the rest of an index still verifies', async () => {
    const odd = ['example.123', '256.1.1.1:5000', '1.2.3.4.5', '[1:2]', '[fe80::1%eth0]:5000'].map((h) => `${h}/x/y@${signed.digest}`);
    const one = await runJson(['verify', odd[0]!, '--trust-key', keyA.pub, '--no-cache']);
    expect(one.code).toBe(1);
    expect(one.doc.results[0]?.reason).toBe('REFERENCE_INVALID');
    const services = [...odd.map((image, i) => ({ id: `odd${i}`, name: 'Odd', version: '1', image })), { id: 'good', name: 'Good', version: '1', image: signed.ref }];
    await writeFile(join(tmp, 'odd-index.json'), JSON.stringify({ schemaVersion: 1, name: 'Odd hosts', services }));
    const idx = await runJson(['verify', 'odd-index.json', '--trust-key', keyA.pub, '--no-cache']);
    expect(idx.code).toBe(1);
    expect(idx.doc.results.map((r) => [r.serviceId, r.reason])).toEqual([...odd.map((_, i) => [`odd${i}`, 'REFERENCE_INVALID']), ['good', 'VERIFIED']]);
  });

  it('file targets: a BOM is accepted as the store loader accepts it; a file: URL naming a host is unreadable (exit 3); a missing path is a usage error saying so', async () => {
    const body = JSON.stringify({ schemaVersion: 1, name: 'BOM', services: [{ id: 'b', name: 'B', version: '1', image: signed.ref }] });
    await writeFile(join(tmp, 'bom-index.json'), `\ufeff${body}`);
    const bom = await runJson(['verify', 'bom-index.json', '--trust-key', keyA.pub, '--no-cache']);
    expect(bom.code).toBe(0);
    expect(bom.doc.results[0]).toMatchObject({ serviceId: 'b', reason: 'VERIFIED' });
    const viaUrl = await runJson(['verify', `file://${join(tmp, 'bom-index.json')}`, '--trust-key', keyA.pub, '--no-cache']);
    expect(viaUrl.doc.results[0]).toMatchObject({ serviceId: 'b', reason: 'VERIFIED' });
    const host = await runJson(['verify', 'file://somehost/x/index.json']);
    expect(host.code).toBe(3);
    expect(host.doc.error?.code).toBe('INDEX_UNREADABLE');
    for (const missing of ['./x.json', '../nowhere/x.json', join(tmp, 'absent.json'), 'sub/dir/index.json', './image-ish']) {
      const r = await run(['verify', missing]);
      expect(r.code, missing).toBe(2);
      expect(r.stderr).toMatch(/the file does not exist/);
    }
  });

  it('plain http to a registry that is not loopback by name only when listed: --plain-http-registry or stores.json plainHttpRegistries (DESIGN 2.3)', async (t) => {
    // The machine's own host name names the loopback registry without being a loopback name
    // (localhost, 127.0.0.0/8, ::1): the client must treat it as any remote host. Traffic stays
    // on loopback: the name is used only if every address it resolves to is loopback.
    const alias = hostname().toLowerCase();
    const addrs = await lookup(alias, { all: true }).catch(() => []);
    const usable = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(alias) && !isLoopbackHost(alias) && addrs.length > 0 && addrs.every((a) => isLoopbackHost(a.address));
    if (!usable) t.skip();
    const port = reg.host.split(':')[1]!;
    const image = `${alias}:${port}/cli/signed@${signed.digest}`;
    const https = await runJson(['verify', image, '--trust-key', keyA.pub, '--no-cache']);
    expect(https.code).toBe(1);
    expect(https.doc.results[0]?.reason).toBe('REGISTRY_UNREACHABLE');
    const flagged = await runJson(['verify', image, '--trust-key', keyA.pub, '--no-cache', '--plain-http-registry', `${alias}:${port}`]);
    expect(flagged.code).toBe(0);
    expect(flagged.doc.results[0]).toMatchObject({ image, verified: true, reason: 'VERIFIED' });
    const otherPort = await runJson(['verify', image, '--trust-key', keyA.pub, '--no-cache', '--plain-http-registry', `${alias}:1`]);
    expect(otherPort.doc.results[0]?.reason).toBe('REGISTRY_UNREACHABLE');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'stores.json'), JSON.stringify({ stores: [], plainHttpRegistries: [`${alias}:${port}`] }));
    try {
      const listed = await runJson(['verify', image, '--trust-key', keyA.pub, '--no-cache']);
      expect(listed.code).toBe(0);
      expect(listed.doc.results[0]).toMatchObject({ verified: true, reason: 'VERIFIED' });
      await writeFile(join(dataDir, 'stores.json'), JSON.stringify({ stores: [], plainHttpRegistries: [`http://${alias}:${port}`] }));
      const corrupt = await runJson(['verify', image, '--trust-key', keyA.pub, '--no-cache']);
      expect(corrupt.doc.results[0]?.reason).toBe('REGISTRY_UNREACHABLE');
      expect(corrupt.stderr).toMatch(/warning: .*stores\.json is not a stores file.*no plain-http registries from it are used/);
    } finally {
      await rm(join(dataDir, 'stores.json'), { force: true });
    }
    const bad = await run(['verify', image, '--plain-http-registry', 'http://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--plain-http-registry wants a registry host/);
  });

  it('usage errors → exit 2', async () => {
    expect((await run(['verify'])).code).toBe(2);
    expect((await run(['verify', signed.ref, '--timeout', 'soon'])).code).toBe(2);
    expect((await run(['verify', signed.ref, '--frobnicate'])).code).toBe(2);
    expect((await run(['verify', './no-such-index.json'])).code).toBe(2);
  });

  it('a URL with a scheme verify cannot load (ftp:, sftp:, s3:, HTTP case aside) → usage error naming the supported schemes, not "file does not exist"', async () => {
    for (const url of ['ftp://x/index.json', 'sftp://host/store/index.json', 's3://bucket/index.json', 'git+ssh://h/r']) {
      const r = await run(['verify', url]);
      expect(r.code, url).toBe(2);
      expect(r.stderr, url).toMatch(/not supported.*https:.*http:.*file:/);
      expect(r.stderr, url).not.toMatch(/does not exist/);
    }
    const upper = await runJson(['verify', 'HTTP://127.0.0.1:1/index.json']);
    expect(upper.code).toBe(3);
    expect(upper.doc.error?.code).toBe('INDEX_UNREADABLE');
  });

  it('a registry that never answers is bounded by --timeout → REGISTRY_UNREACHABLE, exit 1', async () => {
    const t0 = Date.now();
    const { code, doc } = await runJson(['verify', `${silentHost}/x/y@${signed.digest}`, '--trust-key', keyA.pub, '--timeout', '1', '--no-cache']);
    expect(code).toBe(1);
    expect(doc.results[0]?.reason).toBe('REGISTRY_UNREACHABLE');
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('a 200-service index on a registry that accepts and never answers → every result, REGISTRY_UNREACHABLE, exit 1, quickly (circuit breaker)', async () => {
    const services = Array.from({ length: 200 }, (_, i) => ({ id: `dead${i}`, name: 'Dead', version: '1', image: `${silentHost}/dead/s${i}@${signed.digest}` }));
    await writeFile(join(tmp, 'dead-index.json'), JSON.stringify({ schemaVersion: 1, name: 'Dead registry', services }));
    const t0 = Date.now();
    const { code, doc } = await runJson(['verify', 'dead-index.json', '--trust-key', keyA.pub, '--timeout', '2', '--no-cache']);
    const elapsed = Date.now() - t0;
    expect(code).toBe(1);
    expect(doc.error).toBeUndefined();
    expect(doc.results.map((r) => r.serviceId)).toEqual(services.map((s) => s.id));
    expect(new Set(doc.results.map((r) => r.reason))).toEqual(new Set(['REGISTRY_UNREACHABLE']));
    const details = doc.results.map((r) => (r.checks as { id: string; detail: string }[]).find((c) => c.id === 'registry')?.detail ?? '');
    expect(details.filter((d) => /given up at once/.test(d)).length).toBeGreaterThan(150);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('the cache serves repeat verdicts, keyed by repository: same digest elsewhere is not verified', async () => {
    const first = await runJson(['verify', signed.ref, '--trust-key', keyA.pub]);
    expect(first.doc.results[0]?.cached).toBeUndefined();
    const second = await runJson(['verify', signed.ref, '--trust-key', keyA.pub]);
    expect(second.doc.results[0]).toMatchObject({ verified: true, cached: true });
    // The very same manifest bytes, unsigned, in another repository.
    await copyImage(reg.host, 'cli/signed', 'cli/copy', signed.manifest);
    const copy = await runJson(['verify', `${reg.host}/cli/copy@${signed.digest}`, '--trust-key', keyA.pub]);
    expect(copy.doc.results[0]).toMatchObject({ verified: false, reason: 'SIGNATURE_NOT_FOUND' });
    expect(copy.doc.results[0]?.cached).toBeUndefined();
    // Another trust root is another key.
    const other = await runJson(['verify', signed.ref, '--trust-key', keyB.pub]);
    expect(other.doc.results[0]?.reason).toBe('SIGNATURE_INVALID');
    const fresh = await runJson(['verify', signed.ref, '--trust-key', keyA.pub, '--no-cache']);
    expect(fresh.doc.results[0]?.cached).toBeUndefined();
  });

  it('the embedded demo store is judged by its own key only (origin demo)', async () => {
    const demo = join(appConfig, 'demo-store');
    await mkdir(demo, { recursive: true });
    await copyFile(keyA.pub, join(demo, 'cosign.pub'));
    await writeFile(join(demo, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'Demo', services: [{ id: 'd', name: 'D', version: '1', image: signed.ref }] }));
    await mkdir(join(dataDir, 'trust'), { recursive: true });
    await copyFile(keyB.pub, join(dataDir, 'trust', 'b.pub'));
    try {
      const { code, doc } = await runJson(['verify', join(demo, 'index.json'), '--no-cache']);
      expect(code).toBe(0);
      expect(doc.results[0]?.trustedKeys).toEqual([expect.objectContaining({ origin: 'demo' })]);
      // Outside the demo store, the demo key means nothing.
      const plain = await runJson(['verify', signed.ref, '--no-cache']);
      expect(plain.doc.results[0]?.reason).toBe('SIGNATURE_INVALID');
    } finally {
      await rm(join(dataDir, 'trust'), { recursive: true, force: true });
    }
  });
});

describe('pic-store lint (built CLI)', () => {
  it('valid manifest → exit 0; invalid → exit 1 with JSON-pointer paths; index → per-service paths', async () => {
    await writeFile(join(tmp, 'ok.json'), JSON.stringify({ id: 'ok', name: 'Ok', version: '1', image: 'nginx:1' }));
    const ok = await run(['lint', 'ok.json', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, errors: [], warnings: [{ path: '/image' }] });
    await writeFile(join(tmp, 'bad.json'), JSON.stringify({ id: 'Bad', name: 'x', version: '1', image: 'a', ports: [{ container: 0, host: 1 }] }));
    const bad = await run(['lint', 'bad.json', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors.map((e: { path: string }) => e.path)).toEqual(['/id', '/ports/0/container']);
    const idx = await run(['lint', 'index.json', '--json']);
    expect(idx.code).toBe(1);
    expect(JSON.parse(idx.stdout).errors.map((e: { path: string }) => e.path)).toEqual(['/services/2/name', '/services/2/privileged']);
    const human = await run(['lint', 'bad.json']);
    expect(human.stdout).toMatch(/error +\/id: /);
    expect((await run(['lint'])).code).toBe(2);
    expect((await run(['lint', 'absent.json', '--json'])).code).toBe(3);
    await writeFile(join(tmp, 'notjson.json'), '{nope');
    expect(JSON.parse((await run(['lint', 'notjson.json', '--json'])).stdout)).toMatchObject({ valid: false, errors: [{ path: '' }] });
    expect(await readFile(join(tmp, 'ok.json'), 'utf8')).toContain('"ok"');
  });

  it('reads a file the way verify does: a leading byte-order mark is accepted; a file over the size bound is unreadable (exit 3)', async () => {
    await writeFile(join(tmp, 'bom-manifest.json'), `\ufeff${JSON.stringify({ id: 'bom', name: 'Bom', version: '1', image: signed.ref })}`);
    const bom = await run(['lint', 'bom-manifest.json', '--json']);
    expect(bom.code).toBe(0);
    expect(JSON.parse(bom.stdout)).toMatchObject({ valid: true, kind: 'manifest', errors: [], warnings: [] });
    await writeFile(join(tmp, 'bom-lint-index.json'), `\ufeff${JSON.stringify({ schemaVersion: 1, name: 'BOM', services: [{ id: 'b', name: 'B', version: '1', image: signed.ref }] })}`);
    const bomIndex = await run(['lint', 'bom-lint-index.json', '--json']);
    expect(bomIndex.code).toBe(0);
    expect(JSON.parse(bomIndex.stdout)).toMatchObject({ valid: true, kind: 'index' });
    await writeFile(join(tmp, 'bom-bad.json'), '\ufeff{"id": ');
    const badJson = JSON.parse((await run(['lint', 'bom-bad.json', '--json'])).stdout);
    expect(badJson).toMatchObject({ valid: false, errors: [{ path: '', message: expect.stringMatching(/not valid JSON/) }] });
    await writeFile(join(tmp, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const huge = await run(['lint', 'huge.json', '--json']);
    expect(huge.code).toBe(3);
    expect(JSON.parse(huge.stdout).error.message).toMatch(/more than the limit/);
    await rm(join(tmp, 'huge.json'));
  });
});
