import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, freePort, type TestRegistry } from '../../../scripts/testbed/registry';
import { pushBlob, pushImage, pushIndex, pushManifest, OCI_MANIFEST } from '../../../scripts/testbed/images';
import {
  cosignHome, cosignKeyPair, cosignSign, cosignVerifies, cosignPayload, makeTestKey, pushClassicSignatures, signPayload,
  type CosignHome, type TestKeyType,
} from '../../../scripts/testbed/cosign';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import { loadTrustRootFromFiles } from '../trust/trust-root';
import { verifyImage } from './verify-image';
import type { VerificationReport } from './types';

// Issue 3 "Done when": each case on the real registry, with cosign-made keys and signatures
// where cosign can make them, and cosign's own verdict asserted equal to ours.
let reg: TestRegistry;
let home: CosignHome;
let keyA: { key: string; pub: string };
let keyB: { key: string; pub: string };
let tmp: string;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-classic-'));
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  [keyA, keyB] = await Promise.all([cosignKeyPair(home, 'a'), cosignKeyPair(home, 'b')]);
});

afterAll(async () => {
  pool.close();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function verify(image: string, pubs: string[]): Promise<VerificationReport> {
  const trustRoot = await loadTrustRootFromFiles(pubs, 'command-line');
  return verifyImage({ image, trustRoot, sources: pool.provider });
}

/** Our verdict, and cosign's with any of the keys (cosign takes one key per run). */
async function agree(image: string, pubs: string[]): Promise<VerificationReport> {
  const report = await verify(image, pubs);
  let cosign = false;
  for (const p of pubs) if (await cosignVerifies(home, p, image)) cosign = true;
  expect(report.verified, `ours=${report.reason} cosign=${cosign}`).toBe(cosign);
  return report;
}

function check(r: VerificationReport, id: string) {
  return r.checks.find((c) => c.id === id);
}

describe('classic cosign signatures on a real registry', () => {
  it('valid signature → VERIFIED, every check id present, transparency log not checked', async () => {
    const img = await pushImage(reg.host, 'demo/valid');
    await cosignSign(home, keyA.key, img.ref);
    const r = await agree(img.ref, [keyA.pub]);
    expect(r.reason).toBe('VERIFIED');
    expect(r.checks.map((c) => c.id)).toEqual(['reference', 'digest-pinned', 'trust-root', 'registry', 'manifest', 'signature-found', 'signature-valid', 'digest-binding', 'identity', 'transparency-log']);
    expect(check(r, 'transparency-log')?.status).toBe('skip');
    expect(check(r, 'identity')?.status).toBe('pass');
    expect(r.signatures[0]).toMatchObject({ format: 'classic', identity: `${reg.host}/demo/valid`, problem: null });
    expect(r.signatures[0]?.keyFingerprint).toBe(r.trustedKeys[0]?.fingerprint);
    expect(r.trustedKeys[0]?.origin).toBe('command-line');
  });

  it('unsigned → SIGNATURE_NOT_FOUND', async () => {
    const img = await pushImage(reg.host, 'demo/unsigned');
    const r = await agree(img.ref, [keyA.pub]);
    expect(r.reason).toBe('SIGNATURE_NOT_FOUND');
  });

  it('wrong key → SIGNATURE_INVALID', async () => {
    const img = await pushImage(reg.host, 'demo/wrongkey');
    await cosignSign(home, keyB.key, img.ref);
    const r = await agree(img.ref, [keyA.pub]);
    expect(r.reason).toBe('SIGNATURE_INVALID');
    expect(r.signatures[0]?.keyFingerprint).toBeNull();
  });

  it('tampered payload → SIGNATURE_INVALID', async () => {
    const img = await pushImage(reg.host, 'demo/tampered');
    const k = await makeTestKey(tmp, 'p256');
    const payload = cosignPayload(`${reg.host}/demo/tampered`, img.digest);
    const signature = signPayload(k, payload);
    const tampered = Buffer.from(payload.toString().replace('"optional":{}', '"optional":{"x":"y"}'));
    await pushClassicSignatures(reg.host, 'demo/tampered', img.digest, [{ payload: tampered, signature }]);
    const r = await agree(img.ref, [k.pubPath]);
    expect(r.reason).toBe('SIGNATURE_INVALID');
  });

  it('signature transplanted from another digest → SIGNATURE_DIGEST_MISMATCH with the bound digest', async () => {
    const a = await pushImage(reg.host, 'demo/transplant');
    const b = await pushImage(reg.host, 'demo/transplant');
    await cosignSign(home, keyA.key, a.ref);
    const sig = await pool.provider({ registry: reg.host } as never).getManifest('demo/transplant', `${a.digest.replace(':', '-')}.sig`);
    await pushManifest(reg.url, 'demo/transplant', `${b.digest.replace(':', '-')}.sig`, sig!.bytes, OCI_MANIFEST);
    const r = await agree(b.ref, [keyA.pub]);
    expect(r.reason).toBe('SIGNATURE_DIGEST_MISMATCH');
    expect(r.signatures[0]?.boundDigest).toBe(a.digest);
    expect(check(r, 'digest-binding')?.detail).toContain(a.digest);
  });

  it('a validly signed payload that is not a cosign payload → PAYLOAD_INVALID', async () => {
    const img = await pushImage(reg.host, 'demo/notcosign');
    const k = await makeTestKey(tmp, 'p256');
    const payload = Buffer.from(JSON.stringify({ hello: 'world', digest: img.digest }));
    await pushClassicSignatures(reg.host, 'demo/notcosign', img.digest, [{ payload, signature: signPayload(k, payload) }]);
    const r = await agree(img.ref, [k.pubPath]);
    expect(r.reason).toBe('PAYLOAD_INVALID');
  });

  it('payload keys fold case like cosign: one case-variant key binds the digest', async () => {
    const k = await makeTestKey(tmp, 'p256');
    const img = await pushImage(reg.host, 'demo/fold-one');
    const payload = Buffer.from(`{"Critical":{"Image":{"DOCKER-MANIFEST-DIGEST":"${img.digest}"},"type":"cosign container image signature"}}`);
    await pushClassicSignatures(reg.host, 'demo/fold-one', img.digest, [{ payload, signature: signPayload(k, payload) }]);
    const r = await agree(img.ref, [k.pubPath]);
    expect(r.reason).toBe('VERIFIED');
  });

  it('ambiguous payload keys (duplicates, case variants, Unicode folding) → PAYLOAD_INVALID, never VERIFIED where cosign says no', async () => {
    const k = await makeTestKey(tmp, 'p256');
    const other = `sha256:${'b'.repeat(64)}`;
    // [repo, digest keys and values (REAL = the image digest), does cosign 2.5 accept it?]
    const cases: [string, [string, string][], boolean][] = [
      // JSON.parse: first key's position, last value → reads REAL; Go: last key in order → OTHER.
      ['demo/dup-tri', [['Docker-Manifest-Digest', other], ['docker-manifest-digest', 'REAL'], ['Docker-Manifest-Digest', other]], false],
      // Go folds ſ (U+017F) to s: the second key overrides for cosign, not for JS.
      ['demo/dup-longs', [['docker-manifest-digest', 'REAL'], ['docker-manifeſt-digeſt', other]], false],
      ['demo/dup-last-other', [['docker-manifest-digest', 'REAL'], ['DOCKER-MANIFEST-DIGEST', other]], false],
      // cosign takes the last key and accepts; we refuse the ambiguity all the same (stricter, never weaker).
      ['demo/dup-last-real', [['docker-manifest-digest', other], ['DOCKER-MANIFEST-DIGEST', 'REAL']], true],
    ];
    for (const [repo, keys, cosignAccepts] of cases) {
      const img = await pushImage(reg.host, repo);
      const members = keys.map(([key, v]) => `${JSON.stringify(key)}:"${v === 'REAL' ? img.digest : v}"`).join(',');
      const payload = Buffer.from(`{"critical":{"identity":{"docker-reference":"${reg.host}/${repo}"},"image":{${members}},"type":"cosign container image signature"},"optional":null}`);
      await pushClassicSignatures(reg.host, repo, img.digest, [{ payload, signature: signPayload(k, payload) }]);
      const r = await verify(img.ref, [k.pubPath]);
      expect(r.reason, repo).toBe('PAYLOAD_INVALID');
      expect(r.verified).toBe(false);
      expect(await cosignVerifies(home, k.pubPath, img.ref), `cosign on ${repo}`).toBe(cosignAccepts);
    }
  });

  it('two signatures of which one is valid → VERIFIED; precedence among failures', async () => {
    const img = await pushImage(reg.host, 'demo/twosigs');
    await cosignSign(home, keyB.key, img.ref);
    await cosignSign(home, keyA.key, img.ref);
    const r = await agree(img.ref, [keyA.pub]);
    expect(r.reason).toBe('VERIFIED');
    expect(r.signatures).toHaveLength(2);
    expect(r.signatures.filter((s) => s.keyFingerprint)).toHaveLength(1);

    // invalid + transplanted + non-cosign: the most informative failure wins.
    const k = await makeTestKey(tmp, 'p256');
    const other = `sha256:${'b'.repeat(64)}`;
    const p1 = Buffer.from('{"not":"cosign"}');
    const p2 = cosignPayload(`${reg.host}/demo/prec`, other);
    const p3 = cosignPayload(`${reg.host}/demo/prec`, img.digest);
    const img2 = await pushImage(reg.host, 'demo/prec');
    await pushClassicSignatures(reg.host, 'demo/prec', img2.digest, [
      { payload: p3, signature: Buffer.from('garbage') },
      { payload: p1, signature: signPayload(k, p1) },
      { payload: p2, signature: signPayload(k, p2) },
    ]);
    const r2 = await agree(img2.ref, [k.pubPath]);
    expect(r2.reason).toBe('SIGNATURE_DIGEST_MISMATCH');
  });

  it('junk under the sha256-<hex> fallback tag never overrides the classic verdict (badge and install agree)', async () => {
    const img = await pushImage(reg.host, 'demo/junk-fallback');
    await cosignSign(home, keyA.key, img.ref);
    const junk = await pushImage(reg.host, 'demo/junk-fallback', { content: 'not a referrers index' });
    // An image manifest (no "manifests" array) where the referrers index should be.
    await pushManifest(reg.url, 'demo/junk-fallback', img.digest.replace(':', '-'), junk.manifest, OCI_MANIFEST);
    const trustRoot = await loadTrustRootFromFiles([keyA.pub], 'command-line');
    const install = await agree(img.ref, [keyA.pub]);
    const badge = await verifyImage({ image: img.ref, trustRoot, sources: pool.provider, exhaustive: false });
    expect([install.reason, badge.reason]).toEqual(['VERIFIED', 'VERIFIED']);
    expect(install.signatures).toEqual(expect.arrayContaining([expect.objectContaining({ format: 'bundle', problem: 'invalid-signature' })]));

    // A transplanted classic signature next to the junk: the precise reason survives.
    const other = await pushImage(reg.host, 'demo/junk-fallback', { content: 'other' });
    const sig = await pool.provider({ registry: reg.host } as never).getManifest('demo/junk-fallback', `${img.digest.replace(':', '-')}.sig`);
    await pushManifest(reg.url, 'demo/junk-fallback', `${other.digest.replace(':', '-')}.sig`, sig!.bytes, OCI_MANIFEST);
    await pushManifest(reg.url, 'demo/junk-fallback', other.digest.replace(':', '-'), junk.manifest, OCI_MANIFEST);
    const r = await agree(other.ref, [keyA.pub]);
    expect(r.reason).toBe('SIGNATURE_DIGEST_MISMATCH');
  });

  it('two trusted keys (rotation) → VERIFIED under the second', async () => {
    const img = await pushImage(reg.host, 'demo/rotation');
    await cosignSign(home, keyB.key, img.ref);
    const r = await agree(img.ref, [keyA.pub, keyB.pub]);
    expect(r.reason).toBe('VERIFIED');
    expect(r.trustedKeys).toHaveLength(2);
    expect(r.signatures[0]?.keyFingerprint).toBe(r.trustedKeys[1]?.fingerprint);
  });

  it.each(['p384', 'p521', 'rsa', 'ed25519'] as TestKeyType[])('%s key signed by test code → VERIFIED, as cosign says', async (type) => {
    const repo = `demo/key-${type}`;
    const img = await pushImage(reg.host, repo);
    const k = await makeTestKey(tmp, type);
    const payload = cosignPayload(`${reg.host}/${repo}`, img.digest);
    await pushClassicSignatures(reg.host, repo, img.digest, [{ payload, signature: signPayload(k, payload) }]);
    const r = await agree(img.ref, [k.pubPath]);
    expect(r.reason).toBe('VERIFIED');
    expect(r.trustedKeys[0]?.type).toBe(type === 'rsa' ? 'rsa' : type === 'ed25519' ? 'ed25519' : `ecdsa-${type}`);
  });

  it('multi-arch index signed at the index → VERIFIED; a child → SIGNATURE_NOT_FOUND', async () => {
    const idx = await pushIndex(reg.host, 'demo/multi');
    await cosignSign(home, keyA.key, idx.ref);
    const r = await agree(idx.ref, [keyA.pub]);
    expect(r.reason).toBe('VERIFIED');
    expect(check(r, 'manifest')?.detail).toContain('index');
    const child = await agree(idx.children[0]!.ref, [keyA.pub]);
    expect(child.reason).toBe('SIGNATURE_NOT_FOUND');
  });

  it('signature served from another repository → VERIFIED with an identity warning', async () => {
    const img = await pushImage(reg.host, 'origin/app');
    await cosignSign(home, keyA.key, img.ref);
    // Copy the image and its .sig manifest into another repository (as a mirror would).
    const src = pool.provider({ registry: reg.host } as never);
    const sigTag = `${img.digest.replace(':', '-')}.sig`;
    const sig = await src.getManifest('origin/app', sigTag);
    type M = { config: { digest: string }; layers: { digest: string }[] };
    const blobsOf = (m: M) => [m.config.digest, ...m.layers.map((l) => l.digest)];
    for (const d of [...blobsOf(JSON.parse(sig!.bytes.toString()) as M), ...blobsOf(JSON.parse(img.manifest.toString()) as M)]) {
      await pushBlob(reg.url, 'mirror/app', (await src.getBlob('origin/app', d, 1 << 20))!);
    }
    await pushManifest(reg.url, 'mirror/app', img.digest, img.manifest, OCI_MANIFEST);
    await pushManifest(reg.url, 'mirror/app', sigTag, sig!.bytes, OCI_MANIFEST);
    const r = await agree(`${reg.host}/mirror/app@${img.digest}`, [keyA.pub]);
    expect(r.reason).toBe('VERIFIED');
    expect(check(r, 'identity')).toMatchObject({ status: 'warn' });
    expect(check(r, 'identity')?.detail).toContain(`${reg.host}/origin/app`);
  });

  it('tag-only → DIGEST_MISSING, reporting the digest the tag resolves to', async () => {
    const img = await pushImage(reg.host, 'demo/tagged', { tag: 'v1' });
    await cosignSign(home, keyA.key, img.ref);
    const r = await verify(`${reg.host}/demo/tagged:v1`, [keyA.pub]);
    expect(r.reason).toBe('DIGEST_MISSING');
    expect(r.digest).toBe(img.digest);
  });

  it('malformed digests → REFERENCE_INVALID with the reason (cosign refuses them too)', async () => {
    for (const bad of [`${reg.host}/demo/x@sha256:${'A'.repeat(64)}`, `${reg.host}/demo/x@sha256:abc`, `${reg.host}/demo/x@sha512:${'a'.repeat(128)}`]) {
      const r = await agree(bad, [keyA.pub]);
      expect(r.reason).toBe('REFERENCE_INVALID');
      expect(check(r, 'reference')?.detail.length).toBeGreaterThan(20);
    }
  });

  it('image missing from the registry → IMAGE_NOT_FOUND', async () => {
    const r = await agree(`${reg.host}/demo/missing@sha256:${'c'.repeat(64)}`, [keyA.pub]);
    expect(r.reason).toBe('IMAGE_NOT_FOUND');
  });

  it('registry down → REGISTRY_UNREACHABLE', async () => {
    const port = await freePort();
    const r = await agree(`127.0.0.1:${port}/demo/x@sha256:${'d'.repeat(64)}`, [keyA.pub]);
    expect(r.reason).toBe('REGISTRY_UNREACHABLE');
    expect(check(r, 'registry')?.status).toBe('fail');
  });

  it('no usable key → TRUST_ROOT_INVALID before any network', async () => {
    const r = await verify(`127.0.0.1:1/demo/x@sha256:${'d'.repeat(64)}`, [join(tmp, 'absent.pub')]);
    expect(r.reason).toBe('TRUST_ROOT_INVALID');
    expect(check(r, 'trust-root')?.detail).toContain('absent.pub');
  });
});
