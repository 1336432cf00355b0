// Where verification reads images and signatures from: a registry (distribution API) or an OCI
// image layout directory standing in for one (DESIGN 2.1 `ociLayout`). Both implement the same
// checks: every manifest and blob fetched by digest is hashed and compared with that digest
// before anyone sees its bytes, and every body is bounded.
import { CoreError, type SourceErrorCode } from '../errors';

export interface FetchedManifest {
  /** sha256 digest of `bytes` (already checked against the digest asked for, when asked by digest). */
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface SourceLimits {
  /** Largest manifest / index accepted (bytes). */
  maxManifestBytes: number;
  /** Largest blob accepted for signature payloads and bundles (bytes). */
  maxBlobBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxManifestBytes: 4 * 1024 * 1024,
  maxBlobBytes: 4 * 1024 * 1024,
};

/**
 * Why a source could not answer; the verification orchestrator maps these onto reason codes:
 * unreachable → REGISTRY_UNREACHABLE, auth → REGISTRY_AUTH_FAILED, digest-mismatch →
 * CONTENT_DIGEST_MISMATCH, limit → LIMIT_EXCEEDED, invalid → (context dependent), unreadable (the
 * source itself cannot be read — an OCI layout whose index.json is a pipe, a directory, missing or
 * not JSON) → REGISTRY_UNREACHABLE: never a verdict on a signature, never cached.
 * "Not found" is not an error: the methods return null.
 */
export type SourceErrorKind = 'unreachable' | 'unreadable' | 'auth' | 'digest-mismatch' | 'limit' | 'invalid';

const SOURCE_ERROR_CODES: Record<SourceErrorKind, SourceErrorCode> = {
  unreachable: 'SOURCE_UNREACHABLE',
  unreadable: 'SOURCE_UNREADABLE',
  auth: 'SOURCE_AUTH',
  'digest-mismatch': 'SOURCE_DIGEST_MISMATCH',
  limit: 'SOURCE_LIMIT',
  invalid: 'SOURCE_INVALID',
};

export class SourceError extends CoreError {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
  ) {
    super(SOURCE_ERROR_CODES[kind], message);
    this.name = 'SourceError';
  }
}

export interface ImageSource {
  /** For people: "registry 127.0.0.1:5000", "OCI layout config/demo-store/oci". */
  readonly description: string;
  /**
   * A manifest or index by digest (`sha256:…`, content checked) or by tag. Null when the source
   * has no such manifest.
   */
  getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest | null>;
  /** A blob by digest, content checked, at most `maxBytes`. Null when absent. */
  getBlob(repository: string, digest: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer | null>;
  /**
   * The OCI 1.1 referrers index of `digest`. Null when the source has no referrers API (then
   * callers use the `sha256-<hex>` fallback tag).
   */
  getReferrers(repository: string, digest: string, signal?: AbortSignal): Promise<FetchedManifest | null>;
}
