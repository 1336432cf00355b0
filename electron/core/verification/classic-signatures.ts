// Classic cosign signatures (DESIGN 2.3): the `sha256-<hex>.sig` tag in the image's repository,
// an OCI manifest whose layers carry `dev.cosignproject.cosign/signature` (base64 over the raw
// layer bytes). Each layer becomes one SignatureSummary judged against every trusted key.
import { SourceError } from '../source/image-source';
import { parseCosignPayload } from './cosign-payload';
import { findVerifyingKey } from './key-verify';
import { TLOG_BUNDLE_ANNOTATION, verifyClassicTlog } from '../tlog/classic-tlog';
import { IncompleteCollection, isCancel, unreadableSignature, type CollectSignatures, type SignatureCollectorInput } from './signature-collector';
import type { SignatureSummary } from './types';

const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  annotations?: Record<string, unknown>;
}

function classicSignatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export const collectClassicSignatures: CollectSignatures = async (input) => {
  const tag = classicSignatureTag(input.digest);
  const m = await input.source.getManifest(input.repository, tag, input.signal);
  if (!m) return [];
  const src = `tag ${tag}`;
  let layers: Descriptor[];
  try {
    const doc = JSON.parse(m.bytes.toString('utf8')) as { layers?: unknown };
    if (!Array.isArray(doc.layers)) throw new Error('no layers');
    layers = doc.layers as Descriptor[];
  } catch {
    // Something sits where a signature should be, but it is not one: found, and not valid.
    return [unreadableSignature('classic', `${src} (the signature manifest ${input.repository}:${tag} is not an image manifest with layers)`)];
  }
  if (layers.length > input.maxSignatures) {
    throw new SourceError('limit', `the signature manifest ${input.repository}:${tag} lists ${layers.length} signatures, more than the limit of ${input.maxSignatures}`);
  }
  const out: SignatureSummary[] = [];
  let failure: unknown = null;
  for (const layer of layers) {
    input.signal?.throwIfAborted();
    try {
      const s = await judgeLayer(input, layer, src);
      if (s) out.push(s);
    } catch (e) {
      if (isCancel(e)) throw e;
      if (e instanceof SourceError && e.kind === 'invalid') out.push(unreadableSignature('classic', `${src}: ${e.message}`));
      else failure ??= e;
    }
  }
  if (failure !== null && !out.some((s) => s.keyFingerprint && !s.problem)) throw out.length ? new IncompleteCollection(out, failure) : failure;
  return out;
};

async function judgeLayer(input: SignatureCollectorInput, layer: Descriptor, src: string): Promise<SignatureSummary | null> {
  const sigB64 = layer.annotations?.[SIGNATURE_ANNOTATION];
  if (typeof sigB64 !== 'string') return null;
  if (typeof layer.digest !== 'string') return unreadableSignature('classic', src);
  if (typeof layer.size === 'number' && layer.size > input.maxBlobBytes) {
    throw new SourceError('limit', `signature payload ${layer.digest} declares ${layer.size} bytes, more than the limit of ${input.maxBlobBytes}`);
  }
  const payload = await input.source.getBlob(input.repository, layer.digest, input.maxBlobBytes, input.signal);
  if (!payload) return unreadableSignature('classic', `${src} (payload blob ${layer.digest} missing)`);
  const sig = Buffer.from(sigB64, 'base64');
  const key = sig.length > 0 ? findVerifyingKey(payload, sig, input.keys) : null;
  const parsed = parseCosignPayload(payload);
  const identity = parsed.ok ? parsed.payload.identity : null;
  const boundDigest = parsed.ok ? parsed.payload.digest : null;
  if (!key) return { format: 'classic', keyFingerprint: null, identity, boundDigest, problem: 'invalid-signature', source: src };
  if (!parsed.ok) return { format: 'classic', keyFingerprint: key.fingerprint, identity: null, boundDigest: null, problem: 'payload-invalid', source: src };
  if (parsed.payload.digest !== input.digest) return { format: 'classic', keyFingerprint: key.fingerprint, identity, boundDigest, problem: 'digest-mismatch', source: src };
  // The log record is judged only for a signature that would otherwise count (DESIGN 2.8).
  const tlog = verifyClassicTlog(layer.annotations?.[TLOG_BUNDLE_ANNOTATION], input.logs, { signature: sig, keyFingerprint: key.fingerprint, payload });
  return { format: 'classic', keyFingerprint: key.fingerprint, identity, boundDigest, problem: tlog.status === 'invalid' ? 'tlog-invalid' : null, source: src, tlog };
}
