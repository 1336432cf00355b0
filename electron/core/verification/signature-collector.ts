// One signature format's finder + checker (classic `.sig` tag, sigstore bundle referrers).
// Each returns every signature it found attached to `digest`, each judged against `keys`:
// `keyFingerprint` set and `problem` null means that signature verifies and binds the digest.
// Something unreadable where a signature should be is reported as a signature that did not
// count (`problem: 'invalid-signature'`), never thrown: one junk artifact must not hide the
// verdict on the others. Source failures (unreachable, auth, digest mismatch, limits) are thrown
// as SourceError — wrapped in IncompleteCollection when some signatures were judged before —
// and decide the reason in the orchestrator only when no signature was judged; more than
// `maxSignatures` is a SourceError('limit').
import type { ImageSource } from '../source/image-source';
import type { TrustedLogs } from '../tlog/trusted-logs';
import type { TrustedKey } from '../trust/trust-root';
import type { SignatureFormat, SignatureSummary } from './types';

export interface SignatureCollectorInput {
  source: ImageSource;
  /** Repository path inside the source (e.g. `library/nginx`, `demo/web`). */
  repository: string;
  /** The image digest being verified, `sha256:<64 hex>`. */
  digest: string;
  keys: readonly TrustedKey[];
  /** The trusted transparency logs; absent: no entry is judged (every one is from an unknown log). */
  logs?: TrustedLogs;
  maxSignatures: number;
  maxBlobBytes: number;
  signal?: AbortSignal;
}

export type CollectSignatures = (input: SignatureCollectorInput) => Promise<SignatureSummary[]>;

/** One format's collector, named by the format it finds (for what an unreadable lookup reports). */
export interface SignatureCollector {
  format: SignatureFormat;
  collect: CollectSignatures;
}

/** A lookup that judged some signatures and then could not read the rest. */
export class IncompleteCollection extends Error {
  constructor(
    readonly found: SignatureSummary[],
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'IncompleteCollection';
  }
}

/** A signature that was attached but could not be read: it counts as found, never as valid. */
export function unreadableSignature(format: SignatureFormat, source: string): SignatureSummary {
  return { format, keyFingerprint: null, identity: null, boundDigest: null, problem: 'invalid-signature', source };
}

export function isCancel(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
