import type { CellProfile } from '../cell/profiles';
import type { SshContext } from '../cell/ssh-context';
import { getCellStatus, type CellStatus } from '../cell/status';
import { CoreError, errorMessage } from '../errors';
import type { ReceiptFields } from '../receipts/receipt';
import type { ServiceManifest } from '../store/manifest-schema';
import type { TrustRoot } from '../trust/trust-root';
import type { VerificationReport } from '../verification/types';
import { buildReview, changesNeedingConsent, reportSigners, type AcceptedItem, type UpdateReview } from './review';
import type { UpdateCode } from './update-state';

/**
 * The gates an install or upgrade passes besides verification (DESIGN 2.9): a revoked listing is
 * refused in every mode; an upgrade whose review adds or changes ports, volumes or environment
 * needs consent (UPDATE_NEEDS_REVIEW), and one whose signer changed needs the new fingerprint
 * confirmed (SIGNER_CHANGED, a wrong fingerprint included). Each refusal is a `rejected` receipt,
 * the cell untouched; consent is recorded in the receipt's `review`.
 */
export interface UpgradeConsent {
  /** The admin consented to every added or changed port, volume and variable shown. */
  acceptChanges?: boolean;
  /** The new signer's fingerprint, as the admin confirmed it. */
  acceptSigner?: string | null;
}

/** The receipt's `review` (DESIGN 2.5 + 2.9): the review, the installed side, and what was consented to. */
export type ReceiptReview = UpdateReview & {
  from: { version: string | null; digest: string | null; signers: string[] };
  accepted: AcceptedItem[];
};

export interface Refusal {
  code: UpdateCode;
  message: string;
}

/** A revoked listing's refusal, before anything else is done; null when not revoked. */
export function revocationRefusal(manifest: ServiceManifest): Refusal | null {
  if (!manifest.revoked) return null;
  return { code: 'SERVICE_REVOKED', message: `the store withdrew ${manifest.id} on ${manifest.revoked.at}: ${manifest.revoked.reason}. It cannot be installed or upgraded in any mode` };
}

/**
 * The receipt fields of a refused revoked install: the cell is read (its mode belongs in the
 * receipt, DESIGN 2.5) but nothing is verified, pulled or written. An unreachable cell still
 * refuses — the listing alone decides — with mode and decision null.
 */
export async function revokedReceiptFields(
  req: { manifest: ServiceManifest; store: ReceiptFields['store']; profile: CellProfile; ssh: SshContext; appTrustRoot: TrustRoot; signal?: AbortSignal },
  refusal: Refusal,
): Promise<ReceiptFields> {
  let status: CellStatus | null = null;
  let note = '';
  try {
    status = await getCellStatus(req.profile, req.ssh, { trustRoot: req.appTrustRoot, signal: req.signal });
  } catch (e) {
    note = ` (the cell could not be read either: ${e instanceof CoreError ? `${e.code}: ` : ''}${errorMessage(e)})`;
  }
  const m = req.manifest;
  return {
    action: status?.installed.some((s) => s.id === m.id) ? 'upgrade' : 'install',
    store: req.store,
    service: { id: m.id, name: m.name, version: m.version },
    cell: { name: req.profile.name, destination: req.profile.destination, root: req.profile.root },
    image: m.image,
    digest: null,
    verification: null,
    cellVerification: null,
    mode: status?.mode ?? null,
    decision: status ? 'block' : null,
    outcome: 'rejected',
    error: { code: refusal.code, message: `${refusal.message}${note}` },
  };
}

export interface UpgradeReviewInput {
  manifest: ServiceManifest;
  status: CellStatus;
  digest: string | null;
  /** Verification under the cell's key (decides cellKeyVerifies). */
  report: VerificationReport;
  /** Verification under the app's trust root, when its keys differ from the cell's (else `report` is it). */
  appReport: VerificationReport | null;
  listingSigned: boolean;
  /**
   * Absent: the caller confirms the pre-flight, which shows the review, and that confirmation is the
   * consent to added and changed things (the app's dialog); a new signer still needs its
   * fingerprint. Given (the CLI): exactly what it says.
   */
  consent?: UpgradeConsent;
}

/**
 * The review of an upgrade and whether consent covers it. Null review for a fresh install.
 * Signers are the app trust root's verdict (as badges are), falling back to the cell key's when
 * the app's keys found none.
 */
export function reviewUpgrade(i: UpgradeReviewInput): { review: ReceiptReview | null; refusal: Refusal | null } {
  const inst = i.status.installed.find((s) => s.id === i.manifest.id);
  if (!inst) return { review: null, refusal: null };
  const appSigners = reportSigners(i.appReport ?? i.report);
  const review = buildReview(
    { version: inst.version, digest: inst.digest, signers: inst.signers ?? [], listing: inst.listing ?? null },
    { manifest: i.manifest, digest: i.digest, signers: appSigners.length ? appSigners : reportSigners(i.report), cellKeyVerifies: i.report.verified, listingSigned: i.listingSigned },
  );
  const consent = i.consent ?? { acceptChanges: true };
  const needing = changesNeedingConsent(review);
  const accepted: AcceptedItem[] = [];
  const full = (acc: AcceptedItem[]): ReceiptReview => ({ ...review, from: { version: inst.version, digest: inst.digest, signers: review.signers.from }, accepted: acc });
  const to = review.signers.to;
  if (review.signers.changed) {
    const from = review.signers.from.join(', ');
    const given = consent.acceptSigner?.trim().toLowerCase() ?? '';
    if (!given) return { review: full([]), refusal: { code: 'SIGNER_CHANGED', message: `the signer changed: the installed version was signed by ${from}, the new version by ${to.join(', ')}; confirm the new key's fingerprint (--accept-signer ${to[0]}) after checking it with the store` } };
    if (!to.includes(given)) return { review: full([]), refusal: { code: 'SIGNER_CHANGED', message: `the fingerprint confirmed (${given.slice(0, 80)}) is not the new signer's (${to.join(', ')}); nothing was changed` } };
    accepted.push({ field: 'signer', change: 'changed', name: given });
  }
  if (needing.length && !consent.acceptChanges) {
    const list = needing.map((c) => `${c.field} ${c.name} ${c.change}${c.to !== undefined ? ` (${JSON.stringify(c.to)})` : ''}`).join('; ');
    return { review: full(accepted), refusal: { code: 'UPDATE_NEEDS_REVIEW', message: `the upgrade adds or changes what the service asks for — ${list}; review and consent (--accept-changes) to go ahead` } };
  }
  accepted.push(...needing);
  return { review: full(accepted), refusal: null };
}
