// Whole-store verification (issue 4): every service concurrently, progress as each result
// arrives, cancellation through the signal, and the badge cache. The IPC layer and the CLI call
// this; installs never do (they verify fresh with verifyImage).
import { openImageSources } from '../core-services';
import { parseImageReference, type ImageReference } from '../reference/image-reference';
import type { CredentialProvider } from '../registry/docker-credentials';
import { Semaphore } from '../registry/semaphore';
import { SourceError, type ImageSource } from '../source/image-source';
import type { LoadedStore } from '../store/load-index';
import type { StoreService } from '../store/validate';
import { summarizeKey, trustRootId, type TrustRoot } from '../trust/trust-root';
import { CHECK_IDS, type TlogPolicy, type VerificationReport } from './types';
import type { CacheKeyParts, VerificationCache } from './verification-cache';
import { trustRootPassDetail, verifyImage, type SourceProvider, type VerificationLimits } from './verify-image';

export interface StoreProgress {
  done: number;
  total: number;
  /**
   * The entry's position in the index's `services` (StoreService.index): the one key that is
   * unique per entry — a repeated service id must never make two entries share a verdict.
   */
  index: number;
  result: VerificationReport;
}

export interface VerifyStoreOptions {
  trustRoot: TrustRoot;
  signal?: AbortSignal;
  onProgress?: (p: StoreProgress) => void;
  cache?: VerificationCache | null;
  /** Images verified at once (default 16). */
  concurrency?: number;
  timeoutMs?: number;
  insecureHosts?: readonly string[];
  credentials?: CredentialProvider;
  limits?: VerificationLimits;
  /** Look up every signature format even after one verifies (default false: badges need the verdict only). */
  exhaustive?: boolean;
  /** Override where images are read from (tests); default: the index's OCI layout or registries. */
  sources?: SourceProvider;
  /**
   * When the whole run must end (epoch ms). Images not finished by then become
   * REGISTRY_UNREACHABLE verdicts saying so — an unreachable registry is a verdict (DESIGN 2.4),
   * so a run always returns every result. Cancellation stays `signal`.
   */
  deadline?: number;
  /** Bound for one image (default 3 × timeoutMs: a few requests in a row, each bounded by timeoutMs). */
  imageTimeoutMs?: number;
  now?: () => number;
}

/** Thrown into an image's verification when its time is up; named like a cancellation so every layer stops at once. */
class TimeUp extends Error {
  constructor() {
    super('time is up');
    this.name = 'AbortError';
  }
}

/** The report for a listing that fails the schema: nothing about the image was checked. */
export function manifestInvalidReport(service: StoreService, trustRoot: TrustRoot): VerificationReport {
  const raw = service.raw as { image?: unknown } | null;
  const image = raw && typeof raw === 'object' && typeof raw.image === 'string' ? raw.image : '';
  const parsed = image ? parseImageReference(image) : null;
  return {
    ...(service.id !== null ? { serviceId: service.id } : {}),
    image,
    digest: parsed?.ok ? parsed.ref.digest : null,
    repository: parsed?.ok ? parsed.ref.name : null,
    verified: false,
    reason: 'MANIFEST_INVALID',
    checks: CHECK_IDS.map((id) => ({ id, status: 'skip' as const, detail: 'not checked: the store listing fails the manifest schema' })),
    signatures: [],
    trustedKeys: trustRoot.keys.map(summarizeKey),
    errors: service.errors,
    verifiedAt: new Date().toISOString(),
  };
}

/** Where a store's images are read from: its OCI layout, else one registry client per host. */
export function storeSources(store: Pick<LoadedStore, 'ociLayoutDir'>, opts: Pick<VerifyStoreOptions, 'timeoutMs' | 'insecureHosts' | 'credentials'>): { provider: SourceProvider; close(): void } {
  return openImageSources({ ociLayoutDir: store.ociLayoutDir, timeoutMs: opts.timeoutMs, credentials: opts.credentials, plainHttpRegistries: opts.insecureHosts ?? [] });
}

export async function verifyStore(store: Pick<LoadedStore, 'services' | 'ociLayoutDir' | 'transparencyLog'>, opts: VerifyStoreOptions): Promise<VerificationReport[]> {
  const own = opts.sources ? null : storeSources(store, opts);
  const provider = opts.sources ?? own!.provider;
  const policy = store.transparencyLog ?? 'if-present';
  // A verdict holds for one trust root (keys and logs) under one log policy.
  const trustId = `${trustRootId(opts.trustRoot)}|tlog=${policy}`;
  const sem = new Semaphore(Math.max(1, opts.concurrency ?? 16));
  const total = store.services.length;
  let done = 0;
  const results: VerificationReport[] = new Array<VerificationReport>(total);
  try {
    await Promise.all(
      store.services.map((svc, i) =>
        sem.run(async () => {
          opts.signal?.throwIfAborted();
          const result = await verifyService(svc, provider, trustId, policy, opts);
          results[i] = result;
          done++;
          opts.onProgress?.({ done, total, index: svc.index, result });
        }),
      ),
    );
  } finally {
    own?.close();
    await opts.cache?.flush().catch(() => undefined);
  }
  return results;
}

async function verifyService(svc: StoreService, provider: SourceProvider, trustId: string, policy: TlogPolicy, opts: VerifyStoreOptions): Promise<VerificationReport> {
  if (!svc.manifest) return manifestInvalidReport(svc, opts.trustRoot);
  const image = svc.manifest.image;
  const parsed = parseImageReference(image);
  const key = parsed.ok && parsed.ref.digest && opts.trustRoot.keys.length
    ? cacheKeyFor(provider, parsed.ref, parsed.ref.digest, trustId)
    : null;
  const hit = key && opts.cache ? opts.cache.get(key) : null;
  if (hit) return fromCache(hit, svc.manifest.id, image, opts.trustRoot);
  const base = { image, serviceId: svc.manifest.id, trustRoot: opts.trustRoot, limits: opts.limits, exhaustive: opts.exhaustive ?? false, transparencyLog: policy };
  const now = opts.now ?? Date.now;
  const imageMs = opts.imageTimeoutMs ?? 3 * (opts.timeoutMs ?? 30_000);
  const leftMs = opts.deadline !== undefined ? opts.deadline - now() : Infinity;
  const boundMs = Math.min(imageMs, leftMs);
  const unfinished = (why: string) =>
    verifyImage({ ...base, sources: () => { throw new SourceError('unreachable', why); } });
  if (boundMs <= 0) return unfinished(`not checked: the run's time limit was reached before this image's turn`);
  const ac = new AbortController();
  const onCancel = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  if (opts.signal?.aborted) onCancel();
  const timer = Number.isFinite(boundMs) ? setTimeout(() => ac.abort(new TimeUp()), boundMs) : null;
  let report: VerificationReport;
  try {
    report = await verifyImage({ ...base, sources: provider, signal: ac.signal });
  } catch (e) {
    if (opts.signal?.aborted || !(ac.signal.reason instanceof TimeUp)) throw e;
    const which = boundMs === leftMs ? "the run's time limit" : `the ${Math.round(imageMs / 100) / 10} s limit for one image`;
    return unfinished(`verification did not finish within ${which}`);
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
  if (key && opts.cache) opts.cache.set(key, report);
  return report;
}

/** The cache key, or null when no source can be made for the reference (verifyImage then reports why). */
function cacheKeyFor(provider: SourceProvider, ref: ImageReference, digest: string, trustRootId: string): CacheKeyParts | null {
  let source: ImageSource;
  try {
    source = provider(ref);
  } catch {
    return null;
  }
  return { source: source.description, repository: ref.name, digest, trustRootId };
}

/**
 * A cached verdict shown under TODAY's trust root: the key only holds fingerprints, so the
 * keys' origins and the trust-root check are rebuilt from the current root, never replayed.
 */
function fromCache(hit: VerificationReport, serviceId: string, image: string, trustRoot: TrustRoot): VerificationReport {
  return {
    ...hit,
    serviceId,
    image,
    trustedKeys: trustRoot.keys.map(summarizeKey),
    checks: hit.checks.map((c) => (c.id === 'trust-root' ? { ...c, detail: trustRootPassDetail(trustRoot) } : c)),
  };
}
