// The one catalogue of plain words for every verdict and every mode (DESIGN 2.3): what
// happened in one sentence, and a next step per role, filled from the report's evidence
// (digests, fingerprints expected and found, the digest a transplanted signature binds). The UI,
// the CLI and receipts all render from here so they never disagree.
import type { ResolvedMode } from '../cell/mode';
import type { ReasonCode, VerificationReport } from '../verification/types';
import { modeTitle } from './short-labels';

export type Role = 'admin' | 'developer' | 'helpdesk';
export const ROLES: readonly Role[] = ['admin', 'developer', 'helpdesk'];

export interface Explanation {
  code: string;
  /** A short label for badges and headings. */
  title: string;
  /** What happened, in one plain sentence with the evidence. */
  sentence: string;
  next: Record<Role, string>;
}

interface Evidence {
  image: string;
  digest: string;
  repository: string;
  trusted: string;
  found: string;
  bound: string;
  detail: string;
  errors: string;
}

function short(fp: string): string {
  return fp.length > 16 ? `${fp.slice(0, 16)}…` : fp;
}

function evidenceOf(r: VerificationReport): Evidence {
  const failed = r.checks.find((c) => c.status === 'fail');
  const bound = r.signatures.find((s) => s.problem === 'digest-mismatch')?.boundDigest;
  const found = [...new Set(r.signatures.map((s) => s.keyFingerprint).filter((x): x is string => !!x))];
  return {
    image: r.image,
    digest: r.digest ?? 'no digest',
    repository: r.repository ?? r.image,
    trusted: r.trustedKeys.length ? r.trustedKeys.map((k) => `${short(k.fingerprint)} (${k.origin})`).join(', ') : 'none',
    found: found.length ? found.map(short).join(', ') : 'none',
    bound: bound ?? 'another digest',
    detail: failed?.detail ?? '',
    errors: (r.errors ?? []).map((e) => `${e.path || '/'}: ${e.message}`).join('; '),
  };
}

type Entry = { title: string; sentence: (e: Evidence) => string; next: Record<Role, (e: Evidence) => string> };

const REASONS: Record<ReasonCode, Entry> = {
  VERIFIED: {
    title: 'Verified',
    sentence: (e) => `${e.image} is pinned to ${e.digest} and carries a valid cosign signature under a trusted key.`,
    next: {
      admin: () => 'Nothing to do: the image may be installed. Ports, volumes and environment come from the store listing and are not signed; review them in the pre-flight summary.',
      developer: () => 'Nothing to do: a default (enforce) cell will accept this image.',
      helpdesk: (e) => `The image itself was not the problem: it verified at ${e.digest}. Look at the cell's mode, key and runtime in the receipt.`,
    },
  },
  MANIFEST_INVALID: {
    title: 'Invalid store listing',
    sentence: (e) => `The store listing for this service fails the manifest schema (${e.errors || e.detail || 'see the errors'}), so it cannot be installed.`,
    next: {
      admin: () => 'Do not install it; tell the store maintainers the listing is broken.',
      developer: () => 'Fix the listed fields (run `pic-store lint` on your manifest) and resubmit.',
      helpdesk: (e) => `The listing itself is invalid; the image was never checked. Errors: ${e.errors || e.detail}.`,
    },
  },
  REFERENCE_INVALID: {
    title: 'Invalid image reference',
    sentence: (e) => `"${e.image}" is not a valid image reference: ${e.detail}.`,
    next: {
      admin: () => 'Do not install it; report the listing to the store maintainers.',
      developer: () => 'Write the image as registry/repository@sha256:<64 lowercase hex>.',
      helpdesk: () => 'The image string in the listing is malformed; nothing was fetched. Send it back to the service developer.',
    },
  },
  DIGEST_MISSING: {
    title: 'Not pinned by digest',
    sentence: (e) => `${e.image} names a tag only; tags can be moved after review, so only a sha256 digest is accepted${e.digest !== 'no digest' ? ` (the tag currently points at ${e.digest})` : ''}.`,
    next: {
      admin: () => 'A cell in enforce mode will refuse it; ask the developer for a digest-pinned release.',
      developer: (e) => `Pin the image by digest: ${e.repository}@${e.digest !== 'no digest' ? e.digest : 'sha256:…'}, and sign that digest.`,
      helpdesk: () => 'The listing uses a tag instead of a digest; the cell refuses it in enforce mode. Ask the developer to pin the digest.',
    },
  },
  TRUST_ROOT_INVALID: {
    title: 'No trusted key',
    sentence: (e) => `There is no usable trusted public key, so nothing can verify (${e.detail || 'no store key is installed'}).`,
    next: {
      admin: () => "Place the store's publish key in config/cosign/ (or the data directory's trust/); nothing from a store verifies until then.",
      developer: () => 'Nothing is wrong with your image as far as this check goes; the viewer has no trusted key installed.',
      helpdesk: () => 'The app has no usable key: check config/cosign/*.pub and trust/*.pub and the key problems listed.',
    },
  },
  REGISTRY_UNREACHABLE: {
    title: 'Registry unreachable',
    sentence: (e) => `The registry for ${e.repository} could not be reached: ${e.detail}.`,
    next: {
      admin: () => 'Check the network or try again later; in enforce mode the cell refuses images it cannot verify.',
      developer: () => 'Make sure the registry is public and answering, and try again.',
      helpdesk: (e) => `A network or server error, not a signature problem: ${e.detail}. Retry once the registry answers.`,
    },
  },
  REGISTRY_AUTH_FAILED: {
    title: 'Registry refused access',
    sentence: (e) => `The registry refused access to ${e.repository}: ${e.detail}.`,
    next: {
      admin: () => "Log in to that registry (docker login) on this machine, or ask the developer to make the image public.",
      developer: () => 'Make the repository and its signatures publicly pullable.',
      helpdesk: () => "Credentials problem: check the user's Docker config.json and whether the repository is private.",
    },
  },
  IMAGE_NOT_FOUND: {
    title: 'Image not found',
    sentence: (e) => `The registry has no image ${e.repository}@${e.digest}.`,
    next: {
      admin: () => 'Do not install it; the listing names an image that does not exist (deleted, or never pushed).',
      developer: (e) => `Push ${e.repository}@${e.digest} (or fix the digest in the listing).`,
      helpdesk: (e) => `The digest ${e.digest} is not in ${e.repository}; the listing is stale or wrong.`,
    },
  },
  CONTENT_DIGEST_MISMATCH: {
    title: 'Content does not match digest',
    sentence: (e) => `The registry served bytes that do not hash to the digest asked for: ${e.detail}.`,
    next: {
      admin: () => 'Do not install it: the registry or the network path is serving altered content. Report it.',
      developer: () => 'Check your registry or mirror: it is serving content that does not match its digests.',
      helpdesk: (e) => `Treat as a possible attack or corrupt mirror: ${e.detail}.`,
    },
  },
  SIGNATURE_NOT_FOUND: {
    title: 'Unsigned',
    sentence: (e) => `No cosign signature is attached to ${e.repository}@${e.digest}.`,
    next: {
      admin: () => 'Do not install it on an enforce cell; ask the store to sign it through the publish pipeline.',
      developer: (e) => `Have the PIC publish pipeline sign ${e.repository}@${e.digest} (cosign sign --key …).`,
      helpdesk: (e) => `The image at ${e.digest} has no signature (no .sig tag or signature referrer); it was never signed, or signed at another digest (for example a platform child instead of the index).`,
    },
  },
  SIGNATURE_INVALID: {
    title: 'Signature not valid',
    sentence: (e) => `Signatures are attached to ${e.digest}, but none verifies under a trusted key (trusted: ${e.trusted}).`,
    next: {
      admin: () => 'Do not install it: it is signed by a key this app does not trust, or the signature was altered.',
      developer: () => "Sign with the store's publish key; a signature by your own key is not trusted by cells.",
      helpdesk: (e) => `Compare the trusted keys (${e.trusted}) with the key that signed; a key rotation may not have reached this machine.`,
    },
  },
  SIGNATURE_DIGEST_MISMATCH: {
    title: 'Signature for another image',
    sentence: (e) => `A signature verifies under trusted key ${e.found}, but it was made for ${e.bound}, not ${e.digest}.`,
    next: {
      admin: () => 'Do not install it: a signature was copied from another image onto this one.',
      developer: (e) => `Sign ${e.digest} itself; the attached signature belongs to ${e.bound}.`,
      helpdesk: (e) => `Transplanted signature: it binds ${e.bound} while the image is ${e.digest}. Treat as tampering.`,
    },
  },
  PAYLOAD_INVALID: {
    title: 'Signed payload is not a cosign payload',
    sentence: (e) => `A signature verifies under trusted key ${e.found}, but what it signs is not a cosign payload naming the image digest.`,
    next: {
      admin: () => 'Do not install it: the trusted key signed something that is not an image signature.',
      developer: () => 'Sign with `cosign sign`, which writes the simple-signing payload binding the digest.',
      helpdesk: () => 'The signed content is not a cosign image signature (wrong tool, or a key used for other documents).',
    },
  },
  LIMIT_EXCEEDED: {
    title: 'Answer too large',
    sentence: (e) => `An answer exceeded a size or count limit: ${e.detail}.`,
    next: {
      admin: () => 'Do not install it; a registry answering with oversized data is misbehaving or hostile.',
      developer: () => 'Keep signatures few and small; remove stale signatures from the .sig tag.',
      helpdesk: (e) => `Verification stopped at a safety bound: ${e.detail}.`,
    },
  },
  TLOG_ENTRY_INVALID: {
    title: 'Transparency-log entry invalid',
    sentence: (e) => `A signature verifies under trusted key ${e.found}, but its record in a trusted transparency log does not check out (${e.detail}), so it does not count.`,
    next: {
      admin: () => 'Do not install it: the log record was altered, belongs to another signature or key, or was made outside the log key\'s validity.',
      developer: () => 'Re-sign the image with cosign uploading to the transparency log (do not edit or copy the dev.sigstore.cosign/bundle annotation or the bundle\'s tlogEntries), then publish again.',
      helpdesk: (e) => `The signature is fine but its log record is not: ${e.detail}. Treat as tampering until the store re-signs; check that the trusted root (About / Trust) is the expected one.`,
    },
  },
  TLOG_ENTRY_MISSING: {
    title: 'Not in a transparency log',
    sentence: (e) => `The store requires a transparency-log entry, and no signature on ${e.digest} that verifies under trusted key ${e.found} has a valid one from a trusted log.`,
    next: {
      admin: () => 'Do not install it: the store requires logged signatures, and a registry that strips log entries would look exactly like this.',
      developer: () => 'Sign with the transparency-log upload on (cosign sign without --tlog-upload=false) so the signature carries its entry, and check the log is in the trusted root.',
      helpdesk: (e) => `The store's policy is "required" and the signature has no entry from a trusted log (${e.detail}). Compare the log the signer used with the trusted logs in About / Trust.`,
    },
  },
};

function render(code: string, entry: Entry, e: Evidence): Explanation {
  return {
    code,
    title: entry.title,
    sentence: entry.sentence(e),
    next: { admin: entry.next.admin(e), developer: entry.next.developer(e), helpdesk: entry.next.helpdesk(e) },
  };
}

/** Plain words for a verification report's verdict. */
export function explainReport(report: VerificationReport): Explanation {
  return render(report.reason, REASONS[report.reason], evidenceOf(report));
}

export function reasonTitle(code: ReasonCode): string {
  return REASONS[code].title;
}

type ModeKey = `${ResolvedMode['source']}:${ResolvedMode['value']}`;
type ModeEntry = { title: string; sentence: (m: ResolvedMode) => string; next: Record<Role, (m: ResolvedMode) => string> };

const MODE_WEAK = 'There is deliberately no switch in the app; changing it is an edit of config/api/cell_config.json on the cell.';

/** Every mode source × value the resolver can produce (default and fail-closed are always enforce). */
const MODES: Partial<Record<ModeKey, ModeEntry>> = {
  'config:enforce': {
    title: modeTitle({ source: 'config', value: 'enforce' }),
    sentence: () => 'The cell is configured to enforce: an undigested, unsigned or mismatched image is refused.',
    next: {
      admin: () => 'Nothing to do; this is the recommended setting.',
      developer: () => 'Your image must be digest-pinned and signed by the store key to install here.',
      helpdesk: () => 'Blocked installs on this cell are the verification verdict working as intended; explain the reason code.',
    },
  },
  'config:warn': {
    title: modeTitle({ source: 'config', value: 'warn' }),
    sentence: () => 'The cell is configured to warn: images that fail verification are installed anyway, with a warning recorded.',
    next: {
      admin: () => `Consider returning the cell to enforce. ${MODE_WEAK}`,
      developer: () => 'This cell would install an unverified image; do not rely on it — default cells enforce.',
      helpdesk: () => 'The cell was deliberately set to warn; unverified installs were allowed and recorded.',
    },
  },
  'config:off': {
    title: modeTitle({ source: 'config', value: 'off' }),
    sentence: () => 'The cell is configured with verification off: images are installed without a signature check (noted in the receipt).',
    next: {
      admin: () => `Turn verification back on (enforce). ${MODE_WEAK}`,
      developer: () => 'This cell does not check signatures; default cells enforce.',
      helpdesk: () => 'Verification was switched off on this cell by a config edit; installs are noted, not checked.',
    },
  },
  'default:enforce': {
    title: modeTitle({ source: 'default', value: 'enforce' }),
    sentence: (m) => `The cell sets no mode, so the default applies: enforce${m.detail ? ` (${m.detail})` : ''}.`,
    next: {
      admin: () => 'Nothing to do; enforce is the default.',
      developer: () => 'Your image must be digest-pinned and signed by the store key to install here.',
      helpdesk: () => 'No mode configured; the cell enforces by default.',
    },
  },
  'fail-closed:enforce': {
    title: modeTitle({ source: 'fail-closed', value: 'enforce' }),
    sentence: (m) => `The cell's mode could not be read with certainty (${m.detail}), so verification fails closed: enforce.`,
    next: {
      admin: (m) => `Repair config/api/cell_config.json on the cell (${m.detail}); until then the cell enforces.`,
      developer: () => 'The cell enforces until its config is repaired; your image must verify.',
      helpdesk: (m) => `The cell config is unreadable or invalid (${m.detail}); the app enforced rather than guess. Have the admin fix the file.`,
    },
  },
};

/** Plain words for a cell's resolved mode. */
export function explainMode(mode: ResolvedMode): Explanation {
  const key = `${mode.source}:${mode.value}` as ModeKey;
  const entry = MODES[key] ?? MODES['fail-closed:enforce']!;
  return {
    code: key,
    title: entry.title,
    sentence: entry.sentence(mode),
    next: { admin: entry.next.admin(mode), developer: entry.next.developer(mode), helpdesk: entry.next.helpdesk(mode) },
  };
}

/**
 * The next steps once an install or uninstall has completed: the verdict's own next steps speak
 * of what to do before installing ("the image may be installed"), which reads wrong afterwards.
 */
export const DONE_NEXT: Record<'installed' | 'uninstalled', Record<Role, string>> = {
  installed: {
    admin: 'Nothing to do: the service is installed and its image verified. Its ports, volumes and environment came from the store listing, not the signature; the receipt records them.',
    developer: 'Nothing to do: the cell accepted this image.',
    helpdesk: 'The install completed with a verified image; if the service misbehaves, look at its container on the cell, not at the signature.',
  },
  uninstalled: {
    admin: 'Nothing to do: the service was removed from the cell.',
    developer: 'Nothing for the service developer: an uninstall involves no image verification.',
    helpdesk: 'The service was removed; no verification runs for an uninstall.',
  },
};

export const MODE_CATALOGUE_KEYS = Object.keys(MODES) as ModeKey[];

/**
 * Refusals that are not verdicts (DESIGN 2.2): an install or uninstall refused before the cell was
 * touched, outcome `rejected`, recorded in the local activity log only. The receipt's message
 * carries the evidence (what changed, which port); these are the plain words around it.
 */
export const REFUSAL_CODES = ['CELL_CHANGED', 'PORT_IN_USE'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

type RefusalEntry = { title: string; sentence: (detail: string) => string; next: Record<Role, string> };

const REFUSALS: Record<RefusalCode, RefusalEntry> = {
  CELL_CHANGED: {
    title: 'The cell changed while it waited',
    sentence: (d) => `The cell's verification mode or its key changed between the pre-flight the admin confirmed and the moment the change would have been made, so nothing was done: ${d}.`,
    next: {
      admin: 'Find out who changed config/api/cell_config.json or config/cosign/cosign.pub on the cell and why; then run the operation again and review the new pre-flight.',
      developer: 'Nothing for the service developer: the image was not the problem.',
      helpdesk: 'Nothing was installed or removed. Ask the admin whether the change of mode or key on the cell was intended before anyone retries.',
    },
  },
  PORT_IN_USE: {
    title: 'A listed host port is taken',
    sentence: (d) => `The store listing asks for a host port that something else already holds on the cell, so the install was refused at pre-flight, before the cell was touched: ${d}.`,
    next: {
      admin: 'See what holds the port on the cell (ss -ltnup there) and free it, or install a listing that uses another port.',
      developer: 'If the port is a common one, consider listing a less contended default host port.',
      helpdesk: 'Nothing was installed. Ask the admin which program holds the port on the cell.',
    },
  },
};

/** Plain words for a refusal code, or null when `code` is none (a verdict or a failure instead). */
export function explainRefusal(code: string, detail: string): Explanation | null {
  if (!(REFUSAL_CODES as readonly string[]).includes(code)) return null;
  const entry = REFUSALS[code as RefusalCode];
  return { code, title: entry.title, sentence: entry.sentence(detail.replace(/\.$/, '')), next: { ...entry.next } };
}

// Short labels for codes (badges, checks, errors, modes) live beside this catalogue, one copy.
export { BADGES, BADGE_ORDER, badgeLabel, checkLabel, containerWords, listingStateWords, modeTitle, type BadgeKey } from './short-labels';
export { errorLabel } from './error-catalogue';

// Signed stores' codes (DESIGN 2.7) have their own entries, in the same shape.
export { explainStoreError, isStoreCode, STORE_CATALOGUE_CODES, type StoreEvidence } from './store-catalogue';
