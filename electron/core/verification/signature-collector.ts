import type { ImageSource } from '../source/image-source';
import type { TrustedKey } from '../trust/trust-root';
import type { SignatureSummary } from './types';

/**
 * One signature format's finder + checker (classic `.sig` tag, sigstore bundle referrers).
 * Each returns every signature it found attached to `digest`, each judged against `keys`:
 * `keyFingerprint` set and `problem` null means that signature verifies and binds the digest.
 * Source failures (unreachable, auth, digest mismatch, limits) are thrown as SourceError and
 * decide the reason in the orchestrator; more than `maxSignatures` is a SourceError('limit').
 */
export interface SignatureCollectorInput {
  source: ImageSource;
  /** Repository path inside the source (e.g. `library/nginx`, `demo/web`). */
  repository: string;
  /** The image digest being verified, `sha256:<64 hex>`. */
  digest: string;
  keys: readonly TrustedKey[];
  maxSignatures: number;
  maxBlobBytes: number;
  signal?: AbortSignal;
}

export type SignatureCollector = (input: SignatureCollectorInput) => Promise<SignatureSummary[]>;
