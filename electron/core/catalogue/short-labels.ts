// Short labels a person reads where a code would otherwise stand alone: the verification badges,
// the checks of a report, a resolved mode, a container's state. One copy, shared by the CLI, the
// receipts' explanations and (through electron/ipc/contract/labels.ts) the renderer; the codes stay
// available beside them as secondary text for the helpdesk.
import type { ReasonCode, CheckId } from '../verification/types';

/**
 * A badge's tone follows what a default (enforce) cell does with the image: `ok` installs,
 * `refused` is everything an enforcing cell refuses (one style for all of them, whatever the
 * reason), `neutral` has no verdict yet. Colour is never the only signal — every badge also has
 * an icon and words.
 */
export type BadgeTone = 'ok' | 'refused' | 'neutral';

export interface BadgeMeta {
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
  DIGEST_MISSING: { label: 'Not pinned', icon: '⚠', tone: 'refused' },
  SIGNATURE_NOT_FOUND: { label: 'Unsigned', icon: '⚠', tone: 'refused' },
  SIGNATURE_INVALID: { label: 'Signature invalid', icon: '✖', tone: 'refused' },
  SIGNATURE_DIGEST_MISMATCH: { label: 'Bound to another image', icon: '✖', tone: 'refused' },
  PAYLOAD_INVALID: { label: 'Payload invalid', icon: '✖', tone: 'refused' },
  CONTENT_DIGEST_MISMATCH: { label: 'Content mismatch', icon: '✖', tone: 'refused' },
  MANIFEST_INVALID: { label: 'Invalid listing', icon: '✖', tone: 'refused' },
  REFERENCE_INVALID: { label: 'Invalid image reference', icon: '✖', tone: 'refused' },
  TRUST_ROOT_INVALID: { label: 'No trusted key', icon: '⚠', tone: 'refused' },
  REGISTRY_UNREACHABLE: { label: 'Registry unreachable', icon: '⟳', tone: 'refused' },
  REGISTRY_AUTH_FAILED: { label: 'Registry refused access', icon: '⚠', tone: 'refused' },
  IMAGE_NOT_FOUND: { label: 'Image not found', icon: '?', tone: 'refused' },
  LIMIT_EXCEEDED: { label: 'Limit exceeded', icon: '⚠', tone: 'refused' },
  TLOG_ENTRY_INVALID: { label: 'Log entry invalid', icon: '✖', tone: 'refused' },
  TLOG_ENTRY_MISSING: { label: 'Not logged', icon: '⚠', tone: 'refused' },
};

/** Order for the summary and the badge filter: good first, then what needs attention. */
export const BADGE_ORDER: readonly BadgeKey[] = [
  'VERIFIED', 'DIGEST_MISSING', 'SIGNATURE_NOT_FOUND', 'SIGNATURE_INVALID', 'SIGNATURE_DIGEST_MISMATCH', 'PAYLOAD_INVALID',
  'TLOG_ENTRY_INVALID', 'TLOG_ENTRY_MISSING', 'CONTENT_DIGEST_MISMATCH', 'IMAGE_NOT_FOUND', 'REGISTRY_UNREACHABLE', 'REGISTRY_AUTH_FAILED', 'LIMIT_EXCEEDED',
  'REFERENCE_INVALID', 'MANIFEST_INVALID', 'TRUST_ROOT_INVALID', 'unchecked', 'pending',
];

/** The badge's words for a verification reason. */
export function badgeLabel(code: ReasonCode): string {
  return BADGES[code].label;
}

/** What each check of a report looks at, in words (DESIGN 2.3 check ids stay the stable key). */
export const CHECK_LABELS: Record<CheckId, string> = {
  reference: 'Image reference',
  'digest-pinned': 'Pinned to a digest',
  'trust-root': 'Trusted key available',
  registry: 'Registry answered',
  manifest: 'Image manifest',
  'signature-found': 'Signature attached',
  'signature-valid': 'Signature valid',
  'digest-binding': 'Signature names this image',
  identity: 'Signed identity',
  'transparency-log': 'Transparency log',
};

export function checkLabel(id: string): string {
  return (CHECK_LABELS as Record<string, string>)[id] ?? id;
}

/** A resolved mode in a few words: where it came from and what it is. */
const MODE_SOURCE_WORDS: Record<string, string> = { config: 'from the cell config', default: 'default', 'fail-closed': 'fail-closed' };

export function modeTitle(mode: { value: string; source: string }): string {
  const value = `${mode.value.charAt(0).toUpperCase()}${mode.value.slice(1)}`;
  return `${value} (${MODE_SOURCE_WORDS[mode.source] ?? mode.source})`;
}

const CONTAINER_STATE_WORDS: Record<string, string> = {
  running: 'Running',
  restarting: 'Restarting',
  exited: 'Stopped',
  created: 'Created, not started',
  paused: 'Paused',
  dead: 'Dead (could not be stopped cleanly)',
  removing: 'Being removed',
  missing: 'No container',
  unknown: 'State unknown',
};
const CONTAINER_HEALTH_WORDS: Record<string, string> = { healthy: 'healthy', unhealthy: 'unhealthy', starting: 'health check starting' };

/** A container's state and health in words, e.g. "Running, healthy". */
export function containerWords(c: { state: string; health: string | null }): string {
  const state = CONTAINER_STATE_WORDS[c.state] ?? CONTAINER_STATE_WORDS.unknown!;
  return c.health ? `${state}, ${CONTAINER_HEALTH_WORDS[c.health] ?? c.health}` : state;
}

/** A signed store's listing state (DESIGN 2.7) in words. */
const LISTING_STATE_WORDS: Record<string, string> = {
  current: 'up to date',
  stale: 'the last verified listing; the store could not be refreshed',
  refused: 'refused',
  expired: 'expired',
  unreadable: 'not readable yet',
};

export function listingStateWords(state: string): string {
  return LISTING_STATE_WORDS[state] ?? state;
}
