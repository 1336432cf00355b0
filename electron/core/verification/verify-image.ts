// The verification orchestrator (DESIGN 2.3): runs the checks in their fixed order —
// reference, digest pinned, trust root, registry, manifest, signatures — and the first failure
// decides the reason. Every check id appears in every report, with a readable detail; checks
// after a failure are `skip` and say why. Cancellation (the signal) throws; it is not a verdict.
import { parseImageReference, type ImageReference } from '../reference/image-reference';
import { SourceError, type ImageSource } from '../source/image-source';
import { summarizeKey, type TrustRoot } from '../trust/trust-root';
import { SIGNATURE_COLLECTORS } from './collectors';
import { IncompleteCollection, isCancel, unreadableSignature, type SignatureCollector, type SignatureCollectorInput } from './signature-collector';
import { judgeTlog } from './tlog-judgement';
import type { Check, CheckId, CheckStatus, ReasonCode, SignatureSummary, TlogPolicy, VerificationReport } from './types';
import { CHECK_IDS } from './types';

export interface VerificationLimits {
  maxSignatures: number;
  maxBlobBytes: number;
}

const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = { maxSignatures: 32, maxBlobBytes: 1024 * 1024 };

/** Picks where an image is read from (a registry per host, or an OCI layout). */
export type SourceProvider = (ref: ImageReference) => ImageSource;

export interface VerifyImageInput {
  image: string;
  serviceId?: string;
  trustRoot: TrustRoot;
  sources: SourceProvider;
  signal?: AbortSignal;
  limits?: VerificationLimits;
  collectors?: readonly SignatureCollector[];
  /**
   * true (default): every format is looked up and every signature reported. false: formats are
   * tried in order and the lookup stops at the first format that yields a valid, bound
   * signature — the same verdict with fewer requests, for whole-store badges.
   */
  exhaustive?: boolean;
  /** The store's transparency-log policy (DESIGN 2.8); default "if-present". */
  transparencyLog?: TlogPolicy;
  now?: () => Date;
}

const SOURCE_REASON: Record<SourceError['kind'], ReasonCode> = {
  unreachable: 'REGISTRY_UNREACHABLE',
  unreadable: 'REGISTRY_UNREACHABLE',
  auth: 'REGISTRY_AUTH_FAILED',
  'digest-mismatch': 'CONTENT_DIGEST_MISMATCH',
  limit: 'LIMIT_EXCEEDED',
  invalid: 'REGISTRY_UNREACHABLE',
};

export class ReportBuilder {
  readonly checks = new Map<CheckId, Check>();
  reason: ReasonCode | null = null;
  set(id: CheckId, status: CheckStatus, detail: string): void {
    this.checks.set(id, { id, status, detail });
  }
  fail(id: CheckId, reason: ReasonCode, detail: string): void {
    this.set(id, 'fail', detail);
    this.reason ??= reason;
  }
  finish(skipWhy: string): Check[] {
    return CHECK_IDS.map((id) => this.checks.get(id) ?? { id, status: 'skip' as const, detail: skipWhy });
  }
}

function repoOf(identity: string): string | null {
  const r = parseImageReference(identity);
  return r.ok ? r.ref.name : null;
}

/** The passing trust-root check's detail: the keys and their origins (also rebuilt on a cache hit, from today's root). */
export function trustRootPassDetail(root: TrustRoot): string {
  const unusable = root.problems.length ? `; ${root.problems.length} key file(s) could not be used and were left out` : '';
  return `${root.keys.length} trusted key(s): ${root.keys.map((k) => `${k.fingerprint.slice(0, 16)}… (${k.type}, ${k.origin})`).join(', ')}${unusable}`;
}

/** Marks a signature verdict reached while a lookup could not be completed (such a verdict is not cached). */
export const LOOKUP_INCOMPLETE_NOTE = 'a lookup could not be completed';

/** Verifies one image reference; never throws except on cancellation. */
export async function verifyImage(input: VerifyImageInput): Promise<VerificationReport> {
  const b = new ReportBuilder();
  const limits = input.limits ?? DEFAULT_VERIFICATION_LIMITS;
  const collectors = input.collectors ?? SIGNATURE_COLLECTORS;
  const trustedKeys = input.trustRoot.keys.map(summarizeKey);
  const policy: TlogPolicy = input.transparencyLog ?? 'if-present';
  let digest: string | null = null;
  let repository: string | null = null;
  let signatures: SignatureSummary[] = [];

  const done = (skipWhy: string): VerificationReport => {
    const reason = b.reason ?? 'VERIFIED';
    return {
      ...(input.serviceId !== undefined ? { serviceId: input.serviceId } : {}),
      image: input.image,
      digest,
      repository,
      verified: reason === 'VERIFIED',
      reason,
      checks: b.finish(skipWhy),
      signatures,
      trustedKeys,
      transparencyLogPolicy: policy,
      verifiedAt: (input.now ?? (() => new Date()))().toISOString(),
    };
  };

  // 1. reference
  const parsed = parseImageReference(input.image);
  if (!parsed.ok) {
    b.fail('reference', 'REFERENCE_INVALID', `"${input.image}" is not a valid image reference: ${parsed.reason}`);
    return done('not reached: the image reference is invalid');
  }
  const ref = parsed.ref;
  repository = ref.name;
  b.set('reference', 'pass', `${ref.name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''} (registry ${ref.registry}, repository ${ref.repository})`);

  // 2. digest pinned
  if (!ref.digest) {
    b.fail('digest-pinned', 'DIGEST_MISSING', `the image is named by tag "${ref.tag ?? 'latest'}" only; a tag can be moved after review, so only a sha256 digest is accepted`);
    digest = await resolveTagQuietly(input, ref);
    if (digest) b.set('registry', 'warn', `for reference only: the tag currently resolves to ${digest}`);
    return done('not reached: the image is not pinned by digest');
  }
  digest = ref.digest;
  b.set('digest-pinned', 'pass', `pinned to ${ref.digest}${ref.tag ? ` (the tag "${ref.tag}" is ignored; the digest governs)` : ''}`);

  // 3. trust root
  if (input.trustRoot.keys.length === 0) {
    const problems = input.trustRoot.problems.map((p) => `${p.source}: ${p.message}`).join('; ');
    b.fail('trust-root', 'TRUST_ROOT_INVALID', `no usable trusted public key${problems ? ` (${problems})` : ' is installed'}`);
    return done('not reached: there is no trusted key to verify against');
  }
  b.set('trust-root', 'pass', trustRootPassDetail(input.trustRoot));

  // 4–5. registry and manifest; the signature lookups start at the same time (they are needed
  // whenever the manifest checks out, and waiting would double the latency per image), but their
  // outcome only counts after the manifest's.
  let source: ImageSource;
  try {
    source = input.sources(ref);
  } catch (e) {
    if (isCancel(e)) throw e;
    failFromSource(b, e, 'registry', `registry ${ref.registry}`);
    return done('not reached: the registry could not be addressed');
  }
  const pinned = ref.digest;
  const collectInput = {
    source, repository: ref.repository, digest: pinned, keys: input.trustRoot.keys, logs: input.trustRoot.logs,
    maxSignatures: limits.maxSignatures, maxBlobBytes: limits.maxBlobBytes, signal: input.signal,
  };
  const sigs = collectSignatures(collectors, collectInput, input.exhaustive !== false, policy);
  try {
    const m = await source.getManifest(ref.repository, ref.digest, input.signal);
    b.set('registry', 'pass', `${source.description} answered`);
    if (!m) {
      b.fail('manifest', 'IMAGE_NOT_FOUND', `${source.description} has no manifest ${ref.repository}@${ref.digest}`);
      await sigs;
      return done('not reached: the image was not found');
    }
    b.set('manifest', 'pass', `${m.mediaType || 'manifest'} of ${m.bytes.length} bytes; its SHA-256 equals ${ref.digest}`);
  } catch (e) {
    await sigs;
    if (isCancel(e)) throw e;
    failFromSource(b, e, 'manifest', source.description);
    return done('not reached: the image manifest could not be checked');
  }

  // 6–9. signatures. Any good signature verifies. Else a signature that verifies under a
  // trusted key but fails the binding decides (DIGEST_MISMATCH > PAYLOAD_INVALID). Else a lookup
  // that could not be completed decides (unreachable, limit…): "no signature verifies" is only
  // claimed when every lookup was complete. Else SIGNATURE_INVALID / SIGNATURE_NOT_FOUND.
  const collected = await sigs;
  if (collected.cancelled) throw collected.cancelled;
  signatures = collected.signatures;
  if (signatures.length > limits.maxSignatures) {
    failFromSource(b, new SourceError('limit', `more than ${limits.maxSignatures} signatures are attached to ${ref.digest}`), 'signature-found', source.description);
    return done('not reached: the signatures could not be read');
  }
  if (collected.errors.length > 0 && !signatures.some((sig) => sig.keyFingerprint)) {
    failFromSource(b, collected.errors[0], 'signature-found', source.description);
    return done('not reached: the signatures could not be read');
  }
  judgeSignatures(b, signatures, ref, ref.digest, collected.errors, policy);
  return done('not reached: an earlier check failed');
}

interface Collected {
  signatures: SignatureSummary[];
  /** Source failures of lookups that could not be completed, in collector order. */
  errors: unknown[];
  cancelled: unknown;
}

/**
 * Runs the collectors, each settled on its own so one format's failure never discards another
 * format's verdict. Exhaustive: all at once. Otherwise in order, stopping at the first format
 * that yields a valid, bound signature (the same verdict with fewer requests, for badges).
 * Never rejects: cancellation is returned and rethrown by the caller after the manifest check.
 */
async function collectSignatures(collectors: readonly SignatureCollector[], input: SignatureCollectorInput, exhaustive: boolean, policy: TlogPolicy): Promise<Collected> {
  const out: Collected = { signatures: [], errors: [], cancelled: null };
  const take = (c: SignatureCollector, r: PromiseSettledResult<SignatureSummary[]>) => {
    if (r.status === 'fulfilled') out.signatures.push(...r.value);
    else if (isCancel(r.reason)) out.cancelled ??= r.reason;
    else if (r.reason instanceof IncompleteCollection) {
      out.signatures.push(...r.reason.found);
      out.errors.push(r.reason.error);
    } else if (r.reason instanceof SourceError && r.reason.kind === 'invalid') {
      out.signatures.push(unreadableSignature(c.format, r.reason.message));
    } else out.errors.push(r.reason);
  };
  const good = () => out.signatures.some((s) => s.keyFingerprint && !s.problem && (policy === 'if-present' || s.tlog?.status === 'verified'));
  if (exhaustive) {
    const settled = await Promise.allSettled(collectors.map((c) => c.collect(input)));
    collectors.forEach((c, i) => take(c, settled[i]!));
    return out;
  }
  for (const c of collectors) {
    const [r] = await Promise.allSettled([c.collect(input)]);
    take(c, r!);
    if (out.cancelled || good()) break;
  }
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function failFromSource(b: ReportBuilder, e: unknown, at: CheckId, where: string): void {
  if (e instanceof SourceError) {
    const reason = SOURCE_REASON[e.kind];
    if (reason === 'REGISTRY_UNREACHABLE' || reason === 'REGISTRY_AUTH_FAILED') b.fail('registry', reason, `${where}: ${e.message}`);
    else {
      if (!b.checks.has('registry')) b.set('registry', 'pass', `${where} answered`);
      b.fail(at, reason, e.message);
    }
    return;
  }
  b.fail('registry', 'REGISTRY_UNREACHABLE', `${where}: ${e instanceof Error ? e.message : String(e)}`);
}

function judgeSignatures(b: ReportBuilder, sigs: SignatureSummary[], ref: ImageReference, digest: string, lookupErrors: readonly unknown[], policy: TlogPolicy): void {
  if (sigs.length === 0) {
    b.fail('signature-found', 'SIGNATURE_NOT_FOUND', `no cosign signature is attached to ${digest} in ${ref.name} (looked for the classic .sig tag and bundle referrers)`);
    return;
  }
  const formats = [...new Set(sigs.map((s) => s.format))].join(' and ');
  const incomplete = lookupErrors.length ? `; ${LOOKUP_INCOMPLETE_NOTE} (${lookupErrors.map(errorText).join('; ')})` : '';
  b.set('signature-found', 'pass', `${sigs.length} signature(s) found (${formats})${incomplete}`);
  const keyed = sigs.filter((s) => s.keyFingerprint);
  if (keyed.length === 0) {
    const unreadable = sigs.filter((s) => s.source?.includes(': ')).slice(0, 3).map((s) => s.source);
    b.fail('signature-valid', 'SIGNATURE_INVALID', `none of the ${sigs.length} signature(s) verifies under a trusted key${unreadable.length ? ` (${unreadable.join('; ')})` : ''}`);
    return;
  }
  b.set('signature-valid', 'pass', `${keyed.length} of ${sigs.length} signature(s) verify under trusted key ${keyed[0]!.keyFingerprint}`);
  const bound = keyed.filter((s) => !s.problem || s.problem === 'tlog-invalid');
  const counting = bound.filter((s) => !s.problem && (policy === 'if-present' || s.tlog?.status === 'verified'));
  // Precedence among signatures that all fail (DESIGN 2.3): the binding's failures first, then the log's.
  if (counting.length === 0) {
    const mismatch = keyed.find((s) => s.problem === 'digest-mismatch');
    if (mismatch) return b.fail('digest-binding', 'SIGNATURE_DIGEST_MISMATCH', `a valid signature binds ${mismatch.boundDigest ?? 'another digest'}, not ${digest}: it was made for another image`);
    if (bound.length === 0) return b.fail('digest-binding', 'PAYLOAD_INVALID', 'a signature verifies but its signed payload is not a cosign payload naming the image digest');
  }
  b.set('digest-binding', 'pass', `the signed payload binds ${digest}`);
  const decided = counting.length ? counting : bound;
  const ids = [...new Set(decided.map((s) => s.identity).filter((x): x is string => !!x))];
  const other = ids.filter((id) => repoOf(id) !== ref.name);
  if (ids.length === 0) b.set('identity', 'pass', 'the signature names no repository (cosign does not require one)');
  else if (other.length === ids.length) b.set('identity', 'warn', `the signature names ${other.join(', ')}, not ${ref.name}; cosign ignores this, but the image may have been copied from there`);
  else b.set('identity', 'pass', `the signature names ${ids.filter((i) => !other.includes(i)).join(', ')}`);
  judgeTlog(b, bound, counting, policy);
}

async function resolveTagQuietly(input: VerifyImageInput, ref: ImageReference): Promise<string | null> {
  try {
    const m = await input.sources(ref).getManifest(ref.repository, ref.tag ?? 'latest', input.signal);
    return m?.digest ?? null;
  } catch (e) {
    if (isCancel(e)) throw e;
    return null;
  }
}
