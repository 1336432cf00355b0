// The verification report: the one shape every face shows (CLI `verify --json`, badges, the
// "Why this badge" panel, receipts). Plain data only, so it crosses IPC and lands in receipts
// unchanged. Field names are the contract of DESIGN 2.4; extend, don't rename.
import type { TrustedKeySummary } from '../trust/trust-root';

export const REASON_CODES = [
  'VERIFIED',
  'MANIFEST_INVALID',
  'REFERENCE_INVALID',
  'DIGEST_MISSING',
  'TRUST_ROOT_INVALID',
  'REGISTRY_UNREACHABLE',
  'REGISTRY_AUTH_FAILED',
  'IMAGE_NOT_FOUND',
  'CONTENT_DIGEST_MISMATCH',
  'SIGNATURE_NOT_FOUND',
  'SIGNATURE_INVALID',
  'SIGNATURE_DIGEST_MISMATCH',
  'PAYLOAD_INVALID',
  'LIMIT_EXCEEDED',
  'TLOG_ENTRY_INVALID',
  'TLOG_ENTRY_MISSING',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Stable check ids, in the order the checks run (DESIGN 2.3). */
export const CHECK_IDS = [
  'reference',
  'digest-pinned',
  'trust-root',
  'registry',
  'manifest',
  'signature-found',
  'signature-valid',
  'digest-binding',
  'identity',
  'transparency-log',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  id: CheckId;
  status: CheckStatus;
  /** A sentence a person can read, with the evidence (digests, fingerprints). */
  detail: string;
}

export type SignatureFormat = 'classic' | 'bundle';

/** One signature seen on the image, with what became of it. */
export interface SignatureSummary {
  format: SignatureFormat;
  /** Fingerprint of the trusted key it verified under; null when none did. */
  keyFingerprint: string | null;
  /** The payload's docker-reference (classic) or subject name (bundle), when readable. */
  identity: string | null;
  /** The digest the payload binds, when readable (evidence for SIGNATURE_DIGEST_MISMATCH). */
  boundDigest?: string | null;
  /** Why this one signature did not count, when it did not. */
  problem?: 'invalid-signature' | 'digest-mismatch' | 'payload-invalid' | 'tlog-invalid' | 'tlog-missing' | null;
  /** Its transparency-log data (DESIGN 2.8), judged when the signature verifies and binds the digest. */
  tlog?: TlogSummary;
  /** Where it was found: the `.sig` tag, the referrers API, the fallback tag index. */
  source?: string;
}

/**
 * A signature's transparency-log record, as judged offline (DESIGN 2.8): `verified` (an entry
 * from a trusted log checked out), `invalid` (an entry from a trusted log did not), `none` (no
 * entry), `unknown-log` (only entries from logs the trusted root does not know; not judged).
 */
export interface TlogSummary {
  status: 'verified' | 'invalid' | 'none' | 'unknown-log';
  /** The log's base URL, when the entry names a log the root knows. */
  log?: string;
  /** Hex log id the entry names. */
  logId?: string;
  index?: number;
  /** When the log integrated the entry (ISO-8601): the signature existed no later than this. */
  integratedTime?: string;
  /** What did not check out, or what was not judged and why. */
  detail?: string;
}

/** The store's transparency-log policy (index `policy.transparencyLog`, DESIGN 2.8). */
export type TlogPolicy = 'if-present' | 'required';

export interface VerificationReport {
  serviceId?: string;
  /** The image reference as given. */
  image: string;
  /** The digest that was checked (`sha256:…`); for tag-only images, the digest the tag resolved to, if it could be. */
  digest: string | null;
  /** The normalised repository (`registry/path`), for cache keys and identity checks. */
  repository?: string | null;
  verified: boolean;
  reason: ReasonCode;
  checks: Check[];
  signatures: SignatureSummary[];
  trustedKeys: TrustedKeySummary[];
  /** The transparency-log policy the verdict was reached under (absent in reports from before it existed). */
  transparencyLogPolicy?: TlogPolicy;
  /** Schema errors for MANIFEST_INVALID, and other evidence (JSON-pointer paths). */
  errors?: { path: string; message: string }[];
  /** When the verdict was reached (ISO-8601). */
  verifiedAt?: string;
  /** True when the report came from the badge cache rather than a fresh check. */
  cached?: boolean;
}
