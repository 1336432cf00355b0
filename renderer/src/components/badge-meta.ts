/* What each verification badge shows: words, an icon and a tone, and the order badges are listed in. */
import type { ReasonCode } from '../../../electron/ipc/contract/channels';

/** A badge's tone: colour is never the only signal — every badge also has an icon and words. */
type BadgeTone = 'ok' | 'warn' | 'danger' | 'neutral';

interface BadgeMeta {
  label: string;
  icon: string;
  tone: BadgeTone;
}

/**
 * A reason code, `pending` while a run that will reach the service is under way, or `unchecked`
 * when no verdict exists and none is coming (the run was cancelled or failed).
 */
export type BadgeKey = ReasonCode | 'pending' | 'unchecked';

export const BADGES: Record<BadgeKey, BadgeMeta> = {
  pending: { label: 'Checking…', icon: '◌', tone: 'neutral' },
  unchecked: { label: 'Not checked', icon: '–', tone: 'neutral' },
  VERIFIED: { label: 'Verified', icon: '✔', tone: 'ok' },
  DIGEST_MISSING: { label: 'Not pinned', icon: '⚠', tone: 'warn' },
  SIGNATURE_NOT_FOUND: { label: 'Unsigned', icon: '⚠', tone: 'warn' },
  SIGNATURE_INVALID: { label: 'Signature invalid', icon: '✖', tone: 'danger' },
  SIGNATURE_DIGEST_MISMATCH: { label: 'Bound to another image', icon: '✖', tone: 'danger' },
  PAYLOAD_INVALID: { label: 'Payload invalid', icon: '✖', tone: 'danger' },
  CONTENT_DIGEST_MISMATCH: { label: 'Content mismatch', icon: '✖', tone: 'danger' },
  MANIFEST_INVALID: { label: 'Invalid listing', icon: '✖', tone: 'danger' },
  REFERENCE_INVALID: { label: 'Invalid image reference', icon: '✖', tone: 'danger' },
  TRUST_ROOT_INVALID: { label: 'No trusted key', icon: '⚠', tone: 'warn' },
  REGISTRY_UNREACHABLE: { label: 'Registry unreachable', icon: '⟳', tone: 'neutral' },
  REGISTRY_AUTH_FAILED: { label: 'Registry refused access', icon: '⚠', tone: 'warn' },
  IMAGE_NOT_FOUND: { label: 'Image not found', icon: '?', tone: 'warn' },
  LIMIT_EXCEEDED: { label: 'Limit exceeded', icon: '⚠', tone: 'warn' },
  TLOG_ENTRY_INVALID: { label: 'Log entry invalid', icon: '✖', tone: 'danger' },
  TLOG_ENTRY_MISSING: { label: 'Not logged', icon: '⚠', tone: 'warn' },
};

/** Order for the summary and the badge filter: good first, then what needs attention. */
export const BADGE_ORDER: readonly BadgeKey[] = [
  'VERIFIED', 'DIGEST_MISSING', 'SIGNATURE_NOT_FOUND', 'SIGNATURE_INVALID', 'SIGNATURE_DIGEST_MISMATCH', 'PAYLOAD_INVALID',
  'TLOG_ENTRY_INVALID', 'TLOG_ENTRY_MISSING', 'CONTENT_DIGEST_MISMATCH', 'IMAGE_NOT_FOUND', 'REGISTRY_UNREACHABLE', 'REGISTRY_AUTH_FAILED', 'LIMIT_EXCEEDED',
  'REFERENCE_INVALID', 'MANIFEST_INVALID', 'TRUST_ROOT_INVALID', 'unchecked', 'pending',
];
