import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosignAttestBundle, cosignVerifiesBundle } from '../../../scripts/testbed/bundle-cosign';
import { copyRegistryToLayout } from '../../../scripts/testbed/bundle-layout';
import { cosignHome, cosignKeyPair, cosignSign, cosignVerifies, type CosignHome } from '../../../scripts/testbed/cosign';
import { pushImage, pushManifest, OCI_INDEX, type PushedImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { openOciLayout } from '../oci-layout/oci-layout-source';
import { RegistrySource } from '../registry/registry-source';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import type { VerificationReport } from './types';
import { verifyImage } from './verify-image';

// Bundle-format signatures (cosign --new-bundle-format) against a real registry (no referrers
// API: the sha256-<hex> fallback tag) with real cosign as signer, and cosign's offline bundle
// check as the judge; then the same images from an OCI layout copy must get the same verdicts.
let reg: TestRegistry;
let home: CosignHome;
let tmp: string;
let trusted: { key: string; pub: string };
let stranger: { key: string; pub: string };
let trustRoot: TrustRoot;
let source: RegistrySource;
const img: Record<string, PushedImage> = {};
const REPO = 'bundle/app';

async function verify(ref: string, from: 'registry' | 'layout' = 'registry'): Promise<VerificationReport> {
  const src = from === 'registry' ? source : openOciLayout(join(tmp, 'layout'));
  return verifyImage({ image: ref, trustRoot, sources: () => src });
}

beforeAll(async () => {
  reg = await startRegistry();
  home = await cosignHome();
  tmp = await mkdtemp(join(tmpdir(), 'bundle-itest-'));
  trusted = await cosignKeyPair(home, 'trusted');
  stranger = await cosignKeyPair(home, 'stranger');
  trustRoot = await loadTrustRootFromFiles([trusted.pub], 'command-line');
  source = new RegistrySource({ registry: reg.host });
  for (const name of ['bundle', 'wrongKey', 'otherType', 'both', 'transplant', 'unsigned']) {
    img[name] = await pushImage(reg.host, REPO, { tag: name });
  }
  await cosignAttestBundle(home, trusted.key, img.bundle!.ref);
  await cosignAttestBundle(home, stranger.key, img.wrongKey!.ref);
  await cosignAttestBundle(home, trusted.key, img.otherType!.ref, 'https://example.org/vuln-scan/v1', { findings: 0 });
  await cosignAttestBundle(home, trusted.key, img.both!.ref);
  await cosignSign(home, trusted.key, img.both!.ref);
  // A valid bundle signature of `bundle`, listed under `transplant`'s fallback tag.
  const donorIndex = await source.getManifest(REPO, `sha256-${img.bundle!.digest.slice(7)}`);
  if (!donorIndex) throw new Error('the donor bundle index is missing');
  await pushManifest(reg.url, REPO, `sha256-${img.transplant!.digest.slice(7)}`, donorIndex.bytes, OCI_INDEX);
  await copyRegistryToLayout(reg.host, [REPO], join(tmp, 'layout'));
}, 120_000);

afterAll(async () => {
  source?.close();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('bundle-format signatures (real registry, real cosign)', () => {
  it('verifies a bundle-signed image, as cosign does', async () => {
    const r = await verify(img.bundle!.ref);
    expect(r.reason).toBe('VERIFIED');
    const good = r.signatures.filter((s) => s.keyFingerprint && !s.problem);
    expect(good.map((s) => s.format)).toEqual(['bundle']);
    expect(good[0]!.keyFingerprint).toBe(trustRoot.keys[0]!.fingerprint);
    expect(good[0]!.identity).toBe(`${reg.host}/${REPO}`);
    expect(good[0]!.source).toMatch(/fallback tag sha256-/);
    expect(r.checks.find((c) => c.id === 'identity')?.status).toBe('pass');
    expect(await cosignVerifiesBundle(home, trusted.pub, img.bundle!.ref)).toBe(true);
  });

  it('rejects a bundle made with another key, as cosign does', async () => {
    const r = await verify(img.wrongKey!.ref);
    expect(r.reason).toBe('SIGNATURE_INVALID');
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]).toMatchObject({ format: 'bundle', keyFingerprint: null, problem: 'invalid-signature' });
    expect(await cosignVerifiesBundle(home, trusted.pub, img.wrongKey!.ref)).toBe(false);
    // ...and it is a real signature: cosign accepts it under the key that made it.
    expect(await cosignVerifiesBundle(home, stranger.pub, img.wrongKey!.ref)).toBe(true);
  });

  it('does not count an attestation of another predicate type as a signature', async () => {
    const r = await verify(img.otherType!.ref);
    expect(r.reason).toBe('SIGNATURE_NOT_FOUND');
    expect(r.signatures).toEqual([]);
    expect(await cosignVerifiesBundle(home, trusted.pub, img.otherType!.ref)).toBe(false);
  });

  it('sees bundle and classic signatures on one image', async () => {
    const r = await verify(img.both!.ref);
    expect(r.reason).toBe('VERIFIED');
    const formats = r.signatures.filter((s) => s.keyFingerprint && !s.problem).map((s) => s.format).sort();
    expect(formats).toEqual(['bundle', 'classic']);
    expect(await cosignVerifiesBundle(home, trusted.pub, img.both!.ref)).toBe(true);
    expect(await cosignVerifies(home, trusted.pub, img.both!.ref)).toBe(true);
  });

  it('reports a bundle that binds another digest, which cosign also refuses', async () => {
    const r = await verify(img.transplant!.ref);
    expect(r.reason).toBe('SIGNATURE_DIGEST_MISMATCH');
    expect(r.signatures[0]).toMatchObject({ format: 'bundle', problem: 'digest-mismatch', boundDigest: img.bundle!.digest });
    expect(r.signatures[0]!.keyFingerprint).toBe(trustRoot.keys[0]!.fingerprint);
    expect(await cosignVerifiesBundle(home, trusted.pub, img.transplant!.ref)).toBe(false);
  });

  it('gives the same verdicts from an OCI layout copy as from the registry', async () => {
    const names = Object.keys(img);
    const fromRegistry: Record<string, string> = {};
    const fromLayout: Record<string, string> = {};
    for (const n of names) {
      fromRegistry[n] = (await verify(img[n]!.ref, 'registry')).reason;
      fromLayout[n] = (await verify(img[n]!.ref, 'layout')).reason;
    }
    expect(fromLayout).toEqual(fromRegistry);
    expect(fromRegistry).toEqual({
      bundle: 'VERIFIED',
      wrongKey: 'SIGNATURE_INVALID',
      otherType: 'SIGNATURE_NOT_FOUND',
      both: 'VERIFIED',
      transplant: 'SIGNATURE_DIGEST_MISMATCH',
      unsigned: 'SIGNATURE_NOT_FOUND',
    });
  });

  it('treats a tampered bundle in the layout as a content mismatch, never as verified', async () => {
    const { readFile, writeFile, readdir } = await import('node:fs/promises');
    const dir = join(tmp, 'tampered');
    await copyRegistryToLayout(reg.host, [REPO], dir);
    const blobs = join(dir, 'blobs', 'sha256');
    let tampered = 0;
    for (const f of await readdir(blobs)) {
      const text = await readFile(join(blobs, f), 'utf8');
      if (text.includes('"dsseEnvelope"')) {
        await writeFile(join(blobs, f), text.replace('"payloadType"', '"payloadType" '));
        tampered++;
      }
    }
    expect(tampered).toBeGreaterThan(0);
    const r = await verifyImage({ image: img.bundle!.ref, trustRoot, sources: () => openOciLayout(dir) });
    expect(r.verified).toBe(false);
    expect(r.reason).toBe('CONTENT_DIGEST_MISMATCH');
  });
});
