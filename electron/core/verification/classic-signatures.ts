import { SourceError } from '../source/image-source';
import { parseCosignPayload } from './cosign-payload';
import { findVerifyingKey } from './key-verify';
import type { SignatureCollector } from './signature-collector';
import type { SignatureSummary } from './types';

/**
 * Classic cosign signatures (DESIGN 2.3): the `sha256-<hex>.sig` tag in the image's repository,
 * an OCI manifest whose layers carry `dev.cosignproject.cosign/signature` (base64 over the raw
 * layer bytes). Each layer becomes one SignatureSummary judged against every trusted key.
 */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  annotations?: Record<string, unknown>;
}

export function classicSignatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export const collectClassicSignatures: SignatureCollector = async (input) => {
  const tag = classicSignatureTag(input.digest);
  const m = await input.source.getManifest(input.repository, tag, input.signal);
  if (!m) return [];
  let layers: Descriptor[];
  try {
    const doc = JSON.parse(m.bytes.toString('utf8')) as { layers?: unknown };
    if (!Array.isArray(doc.layers)) throw new Error('no layers');
    layers = doc.layers as Descriptor[];
  } catch {
    throw new SourceError('invalid', `the signature manifest ${input.repository}:${tag} is not an image manifest with layers`);
  }
  if (layers.length > input.maxSignatures) {
    throw new SourceError('limit', `the signature manifest ${input.repository}:${tag} lists ${layers.length} signatures, more than the limit of ${input.maxSignatures}`);
  }
  const out: SignatureSummary[] = [];
  for (const layer of layers) {
    const sigB64 = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (typeof sigB64 !== 'string') continue;
    const src = `tag ${tag}`;
    if (typeof layer.digest !== 'string') {
      out.push({ format: 'classic', keyFingerprint: null, identity: null, problem: 'invalid-signature', source: src });
      continue;
    }
    if (typeof layer.size === 'number' && layer.size > input.maxBlobBytes) {
      throw new SourceError('limit', `signature payload ${layer.digest} declares ${layer.size} bytes, more than the limit of ${input.maxBlobBytes}`);
    }
    const payload = await input.source.getBlob(input.repository, layer.digest, input.maxBlobBytes, input.signal);
    if (!payload) {
      out.push({ format: 'classic', keyFingerprint: null, identity: null, problem: 'invalid-signature', source: `${src} (payload blob ${layer.digest} missing)` });
      continue;
    }
    const sig = Buffer.from(sigB64, 'base64');
    const key = sig.length > 0 ? findVerifyingKey(payload, sig, input.keys) : null;
    const parsed = parseCosignPayload(payload);
    const identity = parsed.ok ? parsed.payload.identity : null;
    const boundDigest = parsed.ok ? parsed.payload.digest : null;
    if (!key) {
      out.push({ format: 'classic', keyFingerprint: null, identity, boundDigest, problem: 'invalid-signature', source: src });
    } else if (!parsed.ok) {
      out.push({ format: 'classic', keyFingerprint: key.fingerprint, identity: null, boundDigest: null, problem: 'payload-invalid', source: src });
    } else if (parsed.payload.digest !== input.digest) {
      out.push({ format: 'classic', keyFingerprint: key.fingerprint, identity, boundDigest, problem: 'digest-mismatch', source: src });
    } else {
      out.push({ format: 'classic', keyFingerprint: key.fingerprint, identity, boundDigest, problem: null, source: src });
    }
  }
  return out;
};
