import type { Explanation, Role } from './reason-catalogue';
import type { StoreCode } from '../signed-store/tuf-errors';

/**
 * The catalogue's words for a signed store's state (DESIGN 2.7): what happened in one sentence
 * and a next step per role, for the store banner, `store refresh`, `verify store:NAME` and the
 * receipt of an install the listing blocked. Kept beside the verdict catalogue, same shape.
 */
export interface StoreEvidence {
  store: string;
  /** The trusted listing's targets version, or null when none was ever accepted. */
  version: number | null;
  expires: string | null;
  /** The library's message: for the helpdesk's details, never part of the sentence. */
  detail: string;
}

type Entry = { title: string; sentence: (e: StoreEvidence) => string; next: Record<Role, (e: StoreEvidence) => string> };

const kept = (e: StoreEvidence) => (e.version === null ? 'No listing from it was ever accepted.' : `It still shows the last trusted listing, version ${e.version}${e.expires ? `, valid until ${readableExpiry(e.expires)}` : ''}.`);

const STORE_REASONS: Record<StoreCode, Entry> = {
  STORE_UNREACHABLE: {
    title: 'Store unreachable',
    sentence: (e) => `The signed store ${e.store} could not be reached. ${kept(e)}`,
    next: {
      admin: () => 'Installs from the trusted listing stay allowed until it expires; check the network or the store address and refresh.',
      developer: () => 'Make sure the store repository (metadata/ and targets/) is published and answering.',
      helpdesk: (e) => `A network or hosting problem, not tampering. The listing expires ${e.expires ?? 'when its metadata does'}; after that installs are blocked.`,
    },
  },
  STORE_ROLLBACK: {
    title: 'Store rollback refused',
    sentence: (e) => `The signed store ${e.store} served metadata older than what this machine already trusts: a rollback, replay or mix of versions. ${kept(e)}`,
    next: {
      admin: () => 'Do not install from this store until it refreshes cleanly; someone may be serving an old listing to pin a vulnerable release. Report it to the store maintainers.',
      developer: () => 'Publish with the publishing script only (versions only ever go up), and check that every mirror serves the newest metadata.',
      helpdesk: () => `Treat as a possible attack or a broken mirror: the store's metadata went backwards. Installs from it are blocked.`,
    },
  },
  STORE_EXPIRED: {
    title: 'Store listing expired',
    sentence: (e) => `The signed store ${e.store} has no listing that is still valid. ${kept(e)}`,
    next: {
      admin: () => 'Installs from this store are blocked until a fresh listing verifies; refresh once the store is reachable, or ask its maintainers to re-sign (a frozen store cannot deliver updates or revocations).',
      developer: () => 'Re-sign the timestamp (publish-store.mjs timestamp) before it expires, and keep the repository reachable.',
      helpdesk: () => `The store stopped delivering fresh signed metadata; that is how a freeze attack looks. Installs are blocked until it refreshes.`,
    },
  },
  STORE_METADATA_INVALID: {
    title: 'Store metadata not valid',
    sentence: (e) => `The signed store ${e.store} served metadata that does not verify: a bad signature, too few signatures, a bad format, or a root change the old root did not sign. ${kept(e)}`,
    next: {
      admin: () => 'Do not install from this store until it refreshes cleanly; report it to the store maintainers. If the store really changed its keys, get its new root file from them through a channel you trust and add the store again.',
      developer: () => 'Sign every role to its threshold with the keys the current root names, and sign a new root with the old root keys as well.',
      helpdesk: () => `Treat as possible tampering. Installs from the store are blocked.`,
    },
  },
  STORE_TARGET_MISMATCH: {
    title: 'Store index altered',
    sentence: (e) => `The signed store ${e.store} served an index whose bytes do not match the length and hashes its metadata signs. ${kept(e)}`,
    next: {
      admin: () => 'Do not install from this store until it refreshes cleanly: the listing was altered after signing. Report it.',
      developer: () => 'Publish the index only through the publishing script, which signs its exact bytes; never edit targets/index.json by hand.',
      helpdesk: () => `The index was changed after it was signed; treat as tampering. Installs from it are blocked.`,
    },
  },
};

export function isStoreCode(code: string): code is StoreCode {
  return Object.hasOwn(STORE_REASONS, code);
}

/**
 * Plain words for a signed store's error code. The TUF library's own message never enters the
 * sentence (it is worded for developers and may name another role than the one that failed); it
 * travels as `detail`, shown apart as "Details for the helpdesk: …".
 */
export function explainStoreError(code: StoreCode, e: StoreEvidence): Explanation & { detail: string } {
  const entry = STORE_REASONS[code];
  return { code, title: entry.title, sentence: entry.sentence(e), next: { admin: entry.next.admin(e), developer: entry.next.developer(e), helpdesk: entry.next.helpdesk(e) }, detail: e.detail };
}

export const STORE_CATALOGUE_CODES = Object.keys(STORE_REASONS) as StoreCode[];

/** An expiry as people read it: `2027-01-31 12:00 UTC` (the ISO instant, minute precision). */
export function readableExpiry(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The one line views, the pre-flight and the install outcome show about the listing itself
 * (DESIGN 2.7): "Listing signed by <store>, version N, valid until <date>", its expired or
 * refused form, or "Listing not signed".
 */
export function listingSentence(store: string, l: { signed: boolean; version: number | null; expires: string | null; state?: string }): string {
  if (!l.signed) return 'Listing not signed';
  if (l.version === null) return `Listing signed by ${store}; no listing from it has been accepted yet`;
  const base = `Listing signed by ${store}, version ${l.version}`;
  if (l.state === 'expired') return `${base}, expired${l.expires ? ` on ${readableExpiry(l.expires)}` : ''}; installs from it are blocked`;
  if (l.state === 'refused') return `${base}${l.expires ? `, valid until ${readableExpiry(l.expires)}` : ''}; its latest update was refused, so installs from it are blocked`;
  return `${base}${l.expires ? `, valid until ${readableExpiry(l.expires)}` : ''}`;
}

/** Why an install's image was never checked when the store's listing blocked it (DESIGN 2.7). */
export const LISTING_BLOCKED_NOT_CHECKED = "The image was not checked: the store's listing is blocked, so nothing from it is installed.";
