import type { UpdateCode, UpdateState } from '../updates/update-state';
import type { Explanation, Role } from './reason-catalogue';

/**
 * The catalogue's words for the codes of living with installed services (DESIGN 2.9):
 * SERVICE_REVOKED, UPDATE_NEEDS_REVIEW, SIGNER_CHANGED — one sentence and a next step per role,
 * filled from the evidence (the store's reason, the fingerprints, the changes). The CLI, the
 * Installed view and receipt explanations render from here so they say the same thing.
 */
export interface UpdateEvidence {
  service: string;
  /** The store's reason for a revocation, or the refusal's message. */
  detail: string;
  /** The new signer's fingerprints, when the signer changed. */
  newSigners?: string[];
}

type Entry = { title: string; sentence: (e: UpdateEvidence) => string; next: Record<Role, (e: UpdateEvidence) => string> };

const UPDATE_ENTRIES: Record<UpdateCode, Entry> = {
  SERVICE_REVOKED: {
    title: 'Withdrawn by the store',
    sentence: (e) => `The store withdrew ${e.service}: ${e.detail}. It cannot be installed or upgraded on any cell, whatever the cell's mode.`,
    next: {
      admin: (e) => `Stop and uninstall ${e.service} where it is installed (pic-store uninstall ${e.service} --cell …), and look for a replacement the store recommends.`,
      developer: () => 'Publish a fixed release under a new version and ask the store to list it; a revoked listing is never installed again.',
      helpdesk: (e) => `The refusal is the store's decision, not a fault of the cell or the app: ${e.detail}. Help the admin remove the installed copies.`,
    },
  },
  UPDATE_NEEDS_REVIEW: {
    title: 'Update needs review',
    sentence: (e) => `The new version of ${e.service} asks for more than the installed one (${e.detail}); it is not installed until the admin consents.`,
    next: {
      admin: () => 'Read the added and changed ports, volumes and environment in the review; if they are expected, consent (in the app, or --accept-changes with --yes).',
      developer: () => 'Say in the release notes why the new version needs the added ports, volumes or environment, so admins can consent knowingly.',
      helpdesk: () => 'Nothing failed: the upgrade waits for the admin to consent to what it adds or changes; the receipt lists the changes.',
    },
  },
  SIGNER_CHANGED: {
    title: 'Signed by another key',
    sentence: (e) => `The new version of ${e.service} is signed by a different key than the installed one${e.newSigners?.length ? ` (${e.newSigners.join(', ')})` : ''}; ${e.detail}.`,
    next: {
      admin: (e) => `Check with the store that the key changed on purpose; then confirm its fingerprint${e.newSigners?.[0] ? ` (--accept-signer ${e.newSigners[0]})` : ''}. Do not confirm a fingerprint you cannot check.`,
      developer: () => 'Announce a key rotation to the store and to admins before publishing a release signed by the new key.',
      helpdesk: () => "An unexpected signer change can mean a stolen or replaced key: compare the fingerprint with the store's announced key before the admin confirms it.",
    },
  },
};

export function isUpdateCode(code: string): code is UpdateCode {
  return code in UPDATE_ENTRIES;
}

/** Plain words for an update code with its evidence. */
export function explainUpdateCode(code: UpdateCode, e: UpdateEvidence): Explanation {
  const entry = UPDATE_ENTRIES[code];
  return { code, title: entry.title, sentence: entry.sentence(e), next: { admin: entry.next.admin(e), developer: entry.next.developer(e), helpdesk: entry.next.helpdesk(e) } };
}

/** Plain words for an installed service's state against the stores (DESIGN 2.9), for every view. */
export const UPDATE_STATE_WORDS: Record<UpdateState, { label: string; sentence: string }> = {
  current: { label: 'Up to date', sentence: 'The store lists exactly the image this cell runs.' },
  update: { label: 'Update available', sentence: 'The store lists a newer image signed by the same key; review what it changes before updating.' },
  held: { label: 'Update held', sentence: 'The store lists another image, but it is held: it is signed by another key or does not verify.' },
  revoked: { label: 'Withdrawn by the store', sentence: 'The store withdrew this service; stop and uninstall it.' },
  'end-of-life': { label: 'End of life', sentence: 'The store no longer maintains this service.' },
  unlisted: { label: 'Not listed', sentence: 'No configured store lists this service, so nothing can say whether it is current.' },
};
