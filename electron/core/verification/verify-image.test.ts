import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SourceError, type FetchedManifest, type ImageSource } from '../source/image-source';
import { parsePublicKeyPem } from '../trust/public-key';
import type { TrustRoot } from '../trust/trust-root';
import { verifyImage, type VerifyImageInput } from './verify-image';

// The orchestrator's decisions over an in-memory source (pure logic); the registry, cosign and
// OCI-layout behaviour is covered by the *.itest.ts files on the real components.
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const trustRoot: TrustRoot = {
  keys: [{ ...parsePublicKeyPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()), origin: 'command-line', source: 'test.pub' }],
  problems: [],
};

class MemorySource implements ImageSource {
  readonly description = 'memory';
  readonly manifests = new Map<string, Buffer | Error>();
  readonly blobs = new Map<string, Buffer>();
  putManifest(repo: string, ref: string, bytes: Buffer | Error): void {
    this.manifests.set(`${repo}:${ref}`, bytes);
  }
  putBlob(repo: string, bytes: Buffer): string {
    const d = sha(bytes);
    this.blobs.set(`${repo}@${d}`, bytes);
    return d;
  }
  async getManifest(repo: string, ref: string): Promise<FetchedManifest | null> {
    const m = this.manifests.get(`${repo}:${ref}`);
    if (m instanceof Error) throw m;
    return m ? { digest: sha(m), mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: m } : null;
  }
  async getBlob(repo: string, digest: string): Promise<Buffer | null> {
    return this.blobs.get(`${repo}@${digest}`) ?? null;
  }
  async getReferrers(): Promise<FetchedManifest | null> {
    return null;
  }
}

const REPO = 'demo/app';
function image(src: MemorySource, content: string): string {
  const m = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [], content }));
  const d = sha(m);
  src.putManifest(REPO, d, m);
  return d;
}
function classicSig(src: MemorySource, digest: string, boundDigest: string): void {
  const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': `r.example/${REPO}` }, image: { 'docker-manifest-digest': boundDigest }, type: 'cosign container image signature' }, optional: null }));
  const layer = { mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: src.putBlob(REPO, payload), size: payload.length, annotations: { 'dev.cosignproject.cosign/signature': sign('sha256', payload, pair.privateKey).toString('base64') } };
  src.putManifest(REPO, `${digest.replace(':', '-')}.sig`, Buffer.from(JSON.stringify({ schemaVersion: 2, layers: [layer] })));
}
function junkFallbackTag(src: MemorySource, digest: string): void {
  src.putManifest(REPO, digest.replace(':', '-'), Buffer.from('this is not JSON'));
}
const run = (src: ImageSource, digest: string, extra: Partial<VerifyImageInput> = {}) =>
  verifyImage({ image: `r.example/${REPO}@${digest}`, trustRoot, sources: () => src, ...extra });

describe('verifyImage', () => {
  it('never throws when no source can be made for the reference: a verdict instead', async () => {
    const r = await verifyImage({ image: `r.example/${REPO}@sha256:${'a'.repeat(64)}`, trustRoot, sources: () => { throw new TypeError('Invalid URL'); } });
    expect(r).toMatchObject({ verified: false, reason: 'REGISTRY_UNREACHABLE' });
    expect(r.checks.find((c) => c.id === 'registry')?.detail).toContain('Invalid URL');
  });

  it('a junk fallback tag next to a valid classic signature does not block: VERIFIED in both lookup modes', async () => {
    const src = new MemorySource();
    const d = image(src, 'a');
    classicSig(src, d, d);
    junkFallbackTag(src, d);
    const exhaustive = await run(src, d);
    const quick = await run(src, d, { exhaustive: false });
    expect([exhaustive.reason, quick.reason]).toEqual(['VERIFIED', 'VERIFIED']);
    // The junk is still reported, as a signature that did not count.
    expect(exhaustive.signatures).toEqual(expect.arrayContaining([expect.objectContaining({ format: 'bundle', problem: 'invalid-signature', keyFingerprint: null })]));
  });

  it('a junk fallback tag does not hide a transplanted classic signature: SIGNATURE_DIGEST_MISMATCH', async () => {
    const src = new MemorySource();
    const d = image(src, 'a');
    const other = image(src, 'b');
    classicSig(src, d, other);
    junkFallbackTag(src, d);
    const r = await run(src, d);
    expect(r.reason).toBe('SIGNATURE_DIGEST_MISMATCH');
    expect(r.checks.find((c) => c.id === 'digest-binding')?.detail).toContain(other);
  });

  it('only junk where a signature should be → SIGNATURE_INVALID', async () => {
    const src = new MemorySource();
    const d = image(src, 'a');
    junkFallbackTag(src, d);
    expect((await run(src, d)).reason).toBe('SIGNATURE_INVALID');
  });

  it('a lookup that could not be completed decides only when no signature verified under a trusted key', async () => {
    const src = new MemorySource();
    const d = image(src, 'a');
    classicSig(src, d, d);
    src.putManifest(REPO, d.replace(':', '-'), new SourceError('unreachable', 'connection reset'));
    expect((await run(src, d)).reason).toBe('VERIFIED');
    const bare = new MemorySource();
    const d2 = image(bare, 'a');
    bare.putManifest(REPO, d2.replace(':', '-'), new SourceError('unreachable', 'connection reset'));
    const r = await run(bare, d2);
    expect(r.reason).toBe('REGISTRY_UNREACHABLE');
    // Junk is no evidence that no valid signature exists: an incomplete lookup decides then.
    const j = new MemorySource();
    const d4 = image(j, 'a');
    j.putManifest(REPO, `${d4.replace(':', '-')}.sig`, new SourceError('limit', 'the signature manifest is too big'));
    junkFallbackTag(j, d4);
    expect((await run(j, d4)).reason).toBe('LIMIT_EXCEEDED');
    // A signature that verifies under a trusted key but binds another digest is judged; the
    // incomplete lookup does not override that verdict.
    const t = new MemorySource();
    const d3 = image(t, 'a');
    classicSig(t, d3, image(t, 'b'));
    t.putManifest(REPO, d3.replace(':', '-'), new SourceError('limit', 'too big'));
    expect((await run(t, d3)).reason).toBe('SIGNATURE_DIGEST_MISMATCH');
  });
});
