import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FetchedManifest, ImageSource } from '../source/image-source';
import { parsePublicKeyPem } from '../trust/public-key';
import type { TrustedKey } from '../trust/trust-root';
import { collectBundleSignatures } from './bundle-signatures';
import { parseStatement, SIGN_PREDICATE_TYPE } from './bundle-statement';

// Pure-logic tests with an in-memory source and bundles signed here by node:crypto (the real
// cosign-made bundles are covered by bundle-signatures.itest.ts). These reach what a plain
// registry cannot show: the referrers API path, other key types, malformed statements, limits.
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const IMAGE = sha(Buffer.from('the image manifest'));
const OTHER = sha(Buffer.from('another image manifest'));

type KeyKind = 'p256' | 'p384' | 'ed25519' | 'rsa';
function makeKey(kind: KeyKind): { priv: KeyObject; trusted: TrustedKey } {
  const pair =
    kind === 'ed25519' ? generateKeyPairSync('ed25519')
    : kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'prime256v1' : 'secp384r1' });
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { priv: pair.privateKey, trusted: { ...parsePublicKeyPem(pem), origin: 'local', source: `${kind}.pub` } };
}

function statement(opts: { type?: string; digest?: string; name?: string; _type?: string } = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: opts._type ?? 'https://in-toto.io/Statement/v0.1',
      predicateType: opts.type ?? SIGN_PREDICATE_TYPE,
      subject: [{ name: opts.name ?? 'reg.example/team/app', digest: { sha256: (opts.digest ?? IMAGE).slice(7) } }],
      predicate: {},
    }),
  );
}

function bundle(priv: KeyObject, payload: Buffer, payloadType = 'application/vnd.in-toto+json'): Buffer {
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
  const sig = sign(priv.asymmetricKeyType === 'ed25519' ? null : 'sha256', pae, priv);
  return Buffer.from(
    JSON.stringify({
      mediaType: BUNDLE,
      verificationMaterial: { publicKey: { hint: '' } },
      dsseEnvelope: { payload: payload.toString('base64'), payloadType, signatures: [{ sig: sig.toString('base64'), keyid: '' }] },
    }),
  );
}

/** An in-memory source: blobs by digest, tags, and optionally a referrers API. */
class MemorySource implements ImageSource {
  readonly description = 'memory';
  readonly blobs = new Map<string, Buffer>();
  readonly tags = new Map<string, string>();
  referrersApi = false;
  fetchedBlobs: string[] = [];
  put(b: Buffer): string {
    this.blobs.set(sha(b), b);
    return sha(b);
  }
  /** Attaches a bundle as a referrer of IMAGE; returns the referrer digest. */
  attach(bundleBytes: Buffer, opts: { artifactType?: string; annotations?: Record<string, string>; subject?: string } = {}): string {
    const layer = this.put(bundleBytes);
    const m = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: opts.artifactType ?? BUNDLE,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: this.put(Buffer.from('{}')), size: 2 },
        layers: [{ mediaType: BUNDLE, digest: layer, size: bundleBytes.length }],
        subject: { digest: opts.subject ?? IMAGE },
        annotations: opts.annotations ?? {},
      }),
    );
    return this.put(m);
  }
  index(entries: { digest: string; artifactType: string }[]): void {
    const idx = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: entries.map((e) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, ...e })) }));
    this.tags.set(`sha256-${IMAGE.slice(7)}`, this.put(idx));
  }
  async getManifest(_r: string, reference: string): Promise<FetchedManifest | null> {
    const d = reference.startsWith('sha256:') ? reference : this.tags.get(reference);
    const bytes = d ? this.blobs.get(d) : undefined;
    return d && bytes ? { digest: d, mediaType: 'application/json', bytes } : null;
  }
  async getBlob(_r: string, digest: string): Promise<Buffer | null> {
    this.fetchedBlobs.push(digest);
    return this.blobs.get(digest) ?? null;
  }
  async getReferrers(r: string, digest: string): Promise<FetchedManifest | null> {
    if (!this.referrersApi) return null;
    return this.getManifest(r, `sha256-${digest.slice(7)}`);
  }
}

const collect = (source: ImageSource, keys: TrustedKey[], maxSignatures = 8, maxBlobBytes = 1 << 20) =>
  collectBundleSignatures({ source, repository: 'team/app', digest: IMAGE, keys, maxSignatures, maxBlobBytes });

describe('collectBundleSignatures', () => {
  it.each<KeyKind>(['p256', 'p384', 'ed25519', 'rsa'])('verifies a %s-signed bundle through the fallback tag', async (kind) => {
    const k = makeKey(kind);
    const src = new MemorySource();
    src.index([{ digest: src.attach(bundle(k.priv, statement())), artifactType: 'application/vnd.oci.empty.v1+json' }]);
    const [s, ...rest] = await collect(src, [makeKey('p256').trusted, k.trusted]);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ format: 'bundle', keyFingerprint: k.trusted.fingerprint, problem: null, identity: 'reg.example/team/app', boundDigest: IMAGE });
    expect(s?.source).toMatch(/^fallback tag sha256-/);
  });

  it('uses the referrers API when there is one, skipping other artifact types unread', async () => {
    const k = makeKey('p256');
    const src = new MemorySource();
    src.referrersApi = true;
    const sbom = src.attach(Buffer.from('{"spdx":true}'), { artifactType: 'application/spdx+json' });
    src.index([
      { digest: src.attach(bundle(k.priv, statement())), artifactType: BUNDLE },
      { digest: sbom, artifactType: 'application/spdx+json' },
    ]);
    const sigs = await collect(src, [k.trusted]);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ keyFingerprint: k.trusted.fingerprint, problem: null });
    expect(sigs[0]?.source).toMatch(/^referrers API/);
    expect(src.fetchedBlobs).toHaveLength(1);
  });

  it('leaves out attestations of other predicate types, signed or labelled', async () => {
    const k = makeKey('p256');
    const src = new MemorySource();
    src.index([
      { digest: src.attach(bundle(k.priv, statement({ type: 'https://slsa.dev/provenance/v1' }))), artifactType: 'x' },
      { digest: src.attach(bundle(k.priv, statement()), { annotations: { 'dev.sigstore.bundle.predicateType': 'https://spdx.dev/Document' } }), artifactType: 'x' },
    ]);
    expect(await collect(src, [k.trusted])).toEqual([]);
  });

  it('judges signatures: wrong key, another digest, not a statement, not in-toto', async () => {
    const k = makeKey('p256');
    const stranger = makeKey('p256');
    const src = new MemorySource();
    src.index(
      [
        bundle(stranger.priv, statement()),
        bundle(k.priv, statement({ digest: OTHER })),
        bundle(k.priv, Buffer.from('not json')),
        bundle(k.priv, statement({ _type: 'https://example.org/NotAStatement' })),
        bundle(k.priv, statement(), 'text/plain'),
        Buffer.from('{"mediaType":"x"}'),
      ].map((b) => ({ digest: src.attach(b), artifactType: 'x' })),
    );
    const sigs = await collect(src, [k.trusted]);
    expect(sigs.map((s) => [s.problem, s.keyFingerprint !== null])).toEqual([
      ['invalid-signature', false],
      ['digest-mismatch', true],
      ['payload-invalid', true],
      ['payload-invalid', true],
      ['payload-invalid', true],
      ['invalid-signature', false],
    ]);
    expect(sigs[1]?.boundDigest).toBe(OTHER);
  });

  it('one malformed referrer is a signature that does not count, not the end of the lookup', async () => {
    const k = makeKey('p256');
    const src = new MemorySource();
    const junk = src.put(Buffer.from('not json at all'));
    src.index([{ digest: junk, artifactType: 'x' }, { digest: src.attach(bundle(k.priv, statement())), artifactType: 'x' }]);
    const sigs = await collect(src, [k.trusted]);
    expect(sigs.map((s) => [s.problem, s.keyFingerprint !== null])).toEqual([['invalid-signature', false], [null, true]]);
    expect(sigs[0]?.source).toMatch(/not JSON/);
  });

  it('finds nothing when there is no fallback tag', async () => {
    expect(await collect(new MemorySource(), [makeKey('p256').trusted])).toEqual([]);
  });

  it('bounds the number of candidates and the bundle size', async () => {
    const k = makeKey('p256');
    const src = new MemorySource();
    const b = bundle(k.priv, statement());
    src.index(Array.from({ length: 5 }, () => ({ digest: src.attach(b), artifactType: 'x' })));
    await expect(collect(src, [k.trusted], 4)).rejects.toMatchObject({ kind: 'limit' });
    await expect(collect(src, [k.trusted], 8, 100)).rejects.toMatchObject({ kind: 'limit' });
    expect(await collect(src, [k.trusted], 5)).toHaveLength(5);
  });
});

describe('parseStatement', () => {
  it('reads subjects and refuses what is not a statement', () => {
    const ok = parseStatement(statement());
    expect(ok).toMatchObject({ ok: true, predicateType: SIGN_PREDICATE_TYPE, subjects: [{ digest: IMAGE }] });
    expect(parseStatement(Buffer.from('[]')).ok).toBe(false);
    expect(parseStatement(Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: SIGN_PREDICATE_TYPE, subject: [] }))).ok).toBe(false);
    const badDigest = parseStatement(Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: SIGN_PREDICATE_TYPE, subject: [{ digest: { sha256: 'ABC' } }] })));
    expect(badDigest).toMatchObject({ ok: false, predicateType: SIGN_PREDICATE_TYPE });
  });
});
