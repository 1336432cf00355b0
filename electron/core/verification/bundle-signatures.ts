// Bundle-format signatures (cosign `--new-bundle-format`, the default of cosign 3): OCI 1.1
// referrers holding a sigstore bundle whose DSSE envelope carries an in-toto statement with
// predicate type `https://sigstore.dev/cosign/sign/v1` and the image digest as subject.
// Other attestations are not signatures and are left out entirely (they do not count as found).
import { SourceError } from '../source/image-source';
import { verifyBundleTlog } from '../tlog/bundle-tlog';
import { verifyDsseWithKeys, parseDsseBundle } from './bundle-dsse';
import { bundleLayerOf, listBundleReferrers } from './bundle-referrers';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, SIGN_PREDICATE_TYPE, subjectBinding } from './bundle-statement';
import { IncompleteCollection, isCancel, unreadableSignature, type CollectSignatures, type SignatureCollectorInput } from './signature-collector';
import type { SignatureSummary } from './types';

export const collectBundleSignatures: CollectSignatures = async (input) => {
  const { source, repository, digest, maxSignatures, signal } = input;
  let candidates: Awaited<ReturnType<typeof listBundleReferrers>>;
  try {
    candidates = await listBundleReferrers(source, repository, digest, maxSignatures, signal);
  } catch (e) {
    // An unreadable referrers index (e.g. junk under the fallback tag) is one signature that
    // does not count, not a verdict on the whole image.
    if (e instanceof SourceError && e.kind === 'invalid') return [unreadableSignature('bundle', e.message)];
    throw e;
  }
  const out: SignatureSummary[] = [];
  let failure: unknown = null;
  for (const c of candidates) {
    signal?.throwIfAborted();
    try {
      const s = await judgeReferrer(input, c.digest, c.listedIn);
      if (s) out.push(s);
    } catch (e) {
      if (isCancel(e)) throw e;
      if (e instanceof SourceError && e.kind === 'invalid') out.push(unreadableSignature('bundle', `${c.listedIn}, referrer ${c.digest}: ${e.message}`));
      else failure ??= e;
    }
  }
  if (failure !== null && !out.some((s) => s.keyFingerprint && !s.problem)) throw out.length ? new IncompleteCollection(out, failure) : failure;
  return out;
};

async function judgeReferrer(input: SignatureCollectorInput, referrer: string, listedIn: string): Promise<SignatureSummary | null> {
  const { source, repository, digest, keys, maxBlobBytes, signal } = input;
  const manifest = await source.getManifest(repository, referrer, signal);
  if (manifest === null) return null;
  const layer = bundleLayerOf(manifest);
  if (layer === null) return null;
  // Unsigned hint, used only to skip: an attestation that says it is something else is not a signature.
  if (layer.predicateType !== null && layer.predicateType !== SIGN_PREDICATE_TYPE) return null;
  if (layer.size > maxBlobBytes) {
    throw new SourceError('limit', `the bundle ${layer.digest} is ${layer.size} bytes, more than the ${maxBlobBytes}-byte limit`);
  }
  const blob = await source.getBlob(repository, layer.digest, maxBlobBytes, signal);
  if (blob === null) return null;

  const where = `${listedIn}, referrer ${referrer}`;
  const base: SignatureSummary = { format: 'bundle', keyFingerprint: null, identity: null, boundDigest: null, problem: 'invalid-signature', source: where };
  const parsed = parseDsseBundle(blob);
  if (!parsed.ok) return base;

  const statement = parseStatement(parsed.payload);
  const predicateType = statement.predicateType;
  if (predicateType !== null && predicateType !== SIGN_PREDICATE_TYPE) return null;

  const key = verifyDsseWithKeys(parsed.bundle, keys);
  if (key === null) return base;
  const verified = { ...base, keyFingerprint: key.fingerprint };
  if (parsed.payloadType !== IN_TOTO_PAYLOAD_TYPE || !statement.ok) return { ...verified, problem: 'payload-invalid' };

  const binding = subjectBinding(statement.subjects, digest);
  if (!binding.bound) {
    const other = statement.subjects.find((s) => s.digest === binding.boundDigest);
    return { ...verified, identity: other?.name ?? null, boundDigest: binding.boundDigest, problem: 'digest-mismatch' };
  }
  // The log record is judged only for a signature that would otherwise count (DESIGN 2.8).
  const tlog = verifyBundleTlog(parsed.bundle, key, input.logs);
  return { ...verified, identity: binding.subject.name, boundDigest: digest, problem: tlog.status === 'invalid' ? 'tlog-invalid' : null, tlog };
}
