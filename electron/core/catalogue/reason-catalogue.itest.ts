import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, freePort, type TestRegistry } from '../../../scripts/testbed/registry';
import { startTokenProxy, type TokenProxy } from '../../../scripts/testbed/token-proxy';
import { pushImage, sha256, OCI_MANIFEST } from '../../../scripts/testbed/images';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, SIMPLE_SIGNING, type TestKey } from '../../../scripts/testbed/cosign';
import { hashedrekordEntry, makeTestLog, mockClassicEntry, writeTrustedRoot } from '../../../scripts/testbed/tlog';
import { loadTrustedLogsFile } from '../tlog/trusted-logs';
import { resolveMode } from '../cell/mode';
import { RegistrySourcePool } from '../registry/registry-pool';
import { RegistrySource } from '../registry/registry-source';
import { validateIndex } from '../store/validate';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { REASON_CODES, type ReasonCode, type VerificationReport } from '../verification/types';
import { verifyImage } from '../verification/verify-image';
import { verifyStore } from '../verification/verify-store';
import { explainMode, explainReport, MODE_CATALOGUE_KEYS, ROLES } from './reason-catalogue';

// Every reason code's entry, rendered from a report the real engine produced against the real
// registry (and, for the two misbehaviours a registry will not produce, a small test server).
let reg: TestRegistry;
let proxy: TokenProxy;
let liar: http.Server;
let tmp: string;
let key: TestKey;
let trustRoot: TrustRoot;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 3000 }));
const reports = new Map<ReasonCode, VerificationReport>();

async function v(image: string, root = trustRoot) {
  return verifyImage({ image, trustRoot: root, sources: pool.provider });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-cat-'));
  reg = await startRegistry();
  proxy = await startTokenProxy(reg.host, { user: { name: 'u', password: 'p' } });
  key = await makeTestKey(tmp, 'p256');
  trustRoot = await loadTrustRootFromFiles([key.pubPath], 'bundled');
  const sign = async (repo: string, digest: string, payload: Buffer, signature?: Buffer) =>
    pushClassicSignatures(reg.host, repo, digest, [{ payload, signature: signature ?? signPayload(key, payload) }]);

  const ok = await pushImage(reg.host, 'cat/ok');
  await sign('cat/ok', ok.digest, cosignPayload(`${reg.host}/cat/ok`, ok.digest));
  reports.set('VERIFIED', await v(ok.ref));
  reports.set('SIGNATURE_NOT_FOUND', await v((await pushImage(reg.host, 'cat/unsigned')).ref));
  const bad = await pushImage(reg.host, 'cat/badsig');
  await sign('cat/badsig', bad.digest, cosignPayload(`${reg.host}/cat/badsig`, bad.digest), Buffer.from('nope'));
  reports.set('SIGNATURE_INVALID', await v(bad.ref));
  const moved = await pushImage(reg.host, 'cat/moved');
  await sign('cat/moved', moved.digest, cosignPayload(`${reg.host}/cat/moved`, ok.digest));
  reports.set('SIGNATURE_DIGEST_MISMATCH', await v(moved.ref));
  const odd = await pushImage(reg.host, 'cat/odd');
  await sign('cat/odd', odd.digest, Buffer.from('["not a cosign payload"]'));
  reports.set('PAYLOAD_INVALID', await v(odd.ref));
  // Transparency log (DESIGN 2.8): an entry whose log index was altered after logging, and a
  // store requiring an entry for a signature that has none.
  const log = await makeTestLog(tmp);
  const logged = { ...trustRoot, logs: await loadTrustedLogsFile(await writeTrustedRoot(join(tmp, 'root.json'), [{ log }])) };
  const tl = await pushImage(reg.host, 'cat/tlog');
  const tlPayload = cosignPayload(`${reg.host}/cat/tlog`, tl.digest);
  const tlSig = signPayload(key, tlPayload);
  const entry = await mockClassicEntry(log, hashedrekordEntry(tlSig, key.pem, tlPayload));
  const altered = JSON.stringify({ ...entry, Payload: { ...entry.Payload, logIndex: entry.Payload.logIndex + 1 } });
  await pushClassicSignatures(reg.host, 'cat/tlog', tl.digest, [{ payload: tlPayload, signature: tlSig, annotations: { 'dev.sigstore.cosign/bundle': altered } }]);
  reports.set('TLOG_ENTRY_INVALID', await v(tl.ref, logged));
  reports.set('TLOG_ENTRY_MISSING', await verifyImage({ image: ok.ref, trustRoot: logged, sources: pool.provider, transparencyLog: 'required' }));
  reports.set('IMAGE_NOT_FOUND', await v(`${reg.host}/cat/none@sha256:${'e'.repeat(64)}`));
  reports.set('REFERENCE_INVALID', await v(`${reg.host}/cat/x@sha256:xyz`));
  reports.set('DIGEST_MISSING', await v(`${reg.host}/cat/tagged:v1`));
  reports.set('TRUST_ROOT_INVALID', await v(ok.ref, await loadTrustRootFromFiles([join(tmp, 'missing.pub')], 'bundled')));
  reports.set('REGISTRY_UNREACHABLE', await v(`127.0.0.1:${await freePort()}/cat/x@${ok.digest}`));
  reports.set('REGISTRY_AUTH_FAILED', await v(`${proxy.host}/cat/ok@${ok.digest}`));
  const many = await pushImage(reg.host, 'cat/many');
  const layers = Array.from({ length: 40 }, (_, i) => ({ mediaType: SIMPLE_SIGNING, digest: sha256(Buffer.from(`x${i}`)), size: 2, annotations: { 'dev.cosignproject.cosign/signature': 'AA==' } }));
  liar = http.createServer((q, r) => {
    if ((q.url ?? '').includes('/many/manifests/sha256-')) {
      r.writeHead(200, { 'Content-Type': OCI_MANIFEST });
      r.end(JSON.stringify({ schemaVersion: 2, layers }));
    } else if ((q.url ?? '').includes('/manifests/sha256:')) {
      const digest = decodeURIComponent((q.url ?? '').split('/manifests/')[1] ?? '');
      r.writeHead(200, { 'Content-Type': OCI_MANIFEST });
      // The right bytes for /many/, other bytes for everything else.
      r.end((q.url ?? '').includes('/many/') && digest === many.digest ? many.manifest : '{"schemaVersion":2,"tampered":true}');
    } else {
      r.writeHead(404);
      r.end();
    }
  });
  await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
  const liarHost = `127.0.0.1:${(liar.address() as AddressInfo).port}`;
  reports.set('CONTENT_DIGEST_MISMATCH', await v(`${liarHost}/cat/ok@${ok.digest}`));
  reports.set('LIMIT_EXCEEDED', await v(`${liarHost}/cat/many@${many.digest}`));
  const idx = validateIndex({ schemaVersion: 1, name: 'S', services: [{ id: 'broken', name: 'B', version: '1', image: ok.ref, ports: [{ container: 0, host: 80 }] }] });
  if (!idx.ok) throw new Error('index must load');
  reports.set('MANIFEST_INVALID', (await verifyStore({ services: idx.index.services, ociLayoutDir: null }, { trustRoot, sources: pool.provider }))[0]!);
});

afterAll(async () => {
  pool.close();
  liar?.closeAllConnections();
  await new Promise((r) => liar?.close(r));
  await proxy?.stop();
  await reg?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('reason catalogue, rendered from real reports', () => {
  it('the engine produced every reason code', () => {
    for (const [code, r] of reports) expect(r.reason, code).toBe(code);
    expect([...reports.keys()].sort()).toEqual([...REASON_CODES].sort());
  });

  it.each([...REASON_CODES])('%s: a sentence and a next step for each role, with evidence', (code) => {
    const r = reports.get(code)!;
    const ex = explainReport(r);
    expect(ex.code).toBe(code);
    expect(ex.title.length).toBeGreaterThan(3);
    expect(ex.sentence).toMatch(/\.$/);
    expect(ex.sentence).not.toMatch(/undefined|null|\[object/);
    for (const role of ROLES) {
      expect(ex.next[role].length, role).toBeGreaterThan(20);
      expect(ex.next[role]).not.toMatch(/undefined|\[object/);
    }
  });

  it('fills in the evidence: digests, fingerprints, bound digest, schema paths', () => {
    const fp = trustRoot.keys[0]!.fingerprint.slice(0, 16);
    // The verified sentence names no key (the Why panel's lead and the evidence do): said once.
    expect(explainReport(reports.get('VERIFIED')!).sentence).toMatch(/and carries a valid cosign signature under a trusted key\.$/);
    const moved = reports.get('SIGNATURE_DIGEST_MISMATCH')!;
    const okDigest = reports.get('VERIFIED')!.digest!;
    const ex = explainReport(moved);
    expect(ex.sentence).toContain(okDigest);
    expect(ex.sentence).toContain(moved.digest!);
    expect(ex.next.helpdesk).toContain(okDigest);
    expect(explainReport(reports.get('SIGNATURE_INVALID')!).sentence).toContain(`${fp}… (bundled)`);
    expect(explainReport(reports.get('MANIFEST_INVALID')!).sentence).toContain('/services/0/ports/0/container');
    expect(explainReport(reports.get('IMAGE_NOT_FOUND')!).sentence).toContain(`sha256:${'e'.repeat(64)}`);
    expect(explainReport(reports.get('REFERENCE_INVALID')!).sentence).toMatch(/hex/);
    expect(explainReport(reports.get('TRUST_ROOT_INVALID')!).sentence).toContain('missing.pub');
  });
});

describe('mode catalogue, rendered from resolved modes', () => {
  const bytes = (s: string) => ({ kind: 'bytes' as const, bytes: Buffer.from(s) });
  const modes = [
    resolveMode(bytes('{"image_verification":{"mode":"enforce"}}')),
    resolveMode(bytes('{"image_verification":{"mode":"warn"}}')),
    resolveMode(bytes('{"image_verification":{"mode":"off"}}')),
    resolveMode({ kind: 'absent' }),
    resolveMode(bytes('{"image_verification": nul')),
  ];
  it('covers every source and value the resolver produces', () => {
    expect(modes.map((m) => `${m.source}:${m.value}`).sort()).toEqual([...MODE_CATALOGUE_KEYS].sort());
  });
  it.each(modes.map((m) => [`${m.source}:${m.value}`, m] as const))('%s', (_k, m) => {
    const ex = explainMode(m);
    expect(ex.code).toBe(`${m.source}:${m.value}`);
    for (const role of ROLES) expect(ex.next[role].length).toBeGreaterThan(20);
    if (m.source === 'fail-closed') expect(ex.sentence).toContain(m.detail);
  });
});
