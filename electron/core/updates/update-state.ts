import type { InstalledService } from '../cell/installed-inventory';
import { parseImageReference } from '../reference/image-reference';
import type { ServiceManifest } from '../store/manifest-schema';
import type { VerificationReport } from '../verification/types';
import { buildReview, changesNeedingConsent, reportSigners, type UpdateReview } from './review';

/**
 * The state of one installed service against the stores (DESIGN 2.9), decided from plain data so
 * it is unit-tested without a cell: `revoked` > `end-of-life` > `held` > `update` > `current`,
 * and `unlisted` when no store lists it. An upgrade to the same digest is never offered.
 */
export const UPDATE_STATES = ['current', 'update', 'held', 'revoked', 'end-of-life', 'unlisted'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];

/** Codes an update state or an upgrade refusal carries (error vocabulary, catalogue in update-catalogue). */
export const UPDATE_CODES = ['SERVICE_REVOKED', 'UPDATE_NEEDS_REVIEW', 'SIGNER_CHANGED'] as const;
export type UpdateCode = (typeof UPDATE_CODES)[number];

export interface ListedService {
  store: { name: string; url: string };
  manifest: ServiceManifest;
  listingSigned: boolean;
}

export interface ServiceUpdate {
  id: string;
  installed: { version: string | null; digest: string | null; signers: string[]; container: { state: string; health: string | null } };
  listed: { store: string; version: string; digest: string | null } | null;
  state: UpdateState;
  /** Why it is in that state, as a catalogue code (SERVICE_REVOKED, SIGNER_CHANGED, UPDATE_NEEDS_REVIEW, a verification reason); null when nothing needs saying. */
  reason: string | null;
  revoked: { reason: string; at: string } | null;
  endOfLife: { reason: string; replacedBy: string | null } | null;
  review: UpdateReview | null;
  /** A sentence for people (why unlisted, why held). */
  note: string | null;
}

/** The listing's pinned digest, when the reference has one (what the store says it lists). */
function listedDigest(m: ServiceManifest, report: VerificationReport | null): string | null {
  if (report?.digest) return report.digest;
  const r = parseImageReference(m.image);
  return r.ok ? r.ref.digest : null;
}

/**
 * Decides one service's state. `report` is the listed image verified under the app's trust root
 * (as badges are); `cellKeyVerifies` is the cell's own key's verdict when it was checked.
 */
export function updateStateOf(inst: InstalledService, listed: ListedService | null, report: VerificationReport | null, opts: { cellKeyVerifies?: boolean | null; note?: string } = {}): ServiceUpdate {
  const installed = {
    version: inst.version,
    digest: inst.digest,
    signers: inst.signers ?? [],
    container: { state: inst.container?.state ?? 'unknown', health: inst.container?.health ?? null },
  };
  const base = { id: inst.id, installed, revoked: null, endOfLife: null, review: null, note: opts.note ?? null };
  if (!listed) return { ...base, listed: null, state: 'unlisted', reason: null, note: opts.note ?? 'no configured store lists this service' };
  const m = listed.manifest;
  const digest = listedDigest(m, report);
  const revoked = m.revoked ? { reason: m.revoked.reason, at: m.revoked.at } : null;
  const endOfLife = m.endOfLife ? { reason: m.endOfLife.reason, replacedBy: m.endOfLife.replacedBy ?? null } : null;
  const out = { ...base, listed: { store: listed.store.name, version: m.version, digest }, revoked, endOfLife };
  const same = digest !== null && digest === inst.digest;
  const review = same
    ? null
    : buildReview(
        { version: inst.version, digest: inst.digest, signers: installed.signers, listing: inst.listing ?? null },
        { manifest: m, digest, signers: reportSigners(report), cellKeyVerifies: opts.cellKeyVerifies ?? null, listingSigned: listed.listingSigned },
      );
  if (revoked) return { ...out, state: 'revoked', reason: 'SERVICE_REVOKED', review };
  if (endOfLife) return { ...out, state: 'end-of-life', reason: null, review, note: endOfLife.replacedBy ? `no longer maintained; replaced by ${endOfLife.replacedBy}` : 'no longer maintained' };
  if (!review) return { ...out, state: 'current', reason: null };
  if (report && !report.verified) {
    // Another digest is listed but it does not verify under the app's keys: never offered as an update.
    return { ...out, state: 'held', reason: report.reason, review, note: `the listed version does not verify (${report.reason})` };
  }
  if (review.signers.changed) return { ...out, state: 'held', reason: 'SIGNER_CHANGED', review, note: `signed by ${review.signers.to.join(', ')} instead of ${review.signers.from.join(', ')}` };
  return { ...out, state: 'update', reason: changesNeedingConsent(review).length ? 'UPDATE_NEEDS_REVIEW' : null, review };
}

/**
 * Which listing an installed service is judged against: the store its receipt names (its URL
 * equals a configured store's), else the only store listing that id. Several stores and none
 * named: ambiguous, reported as unlisted with a note rather than guessed.
 */
export function pickListing(inst: InstalledService, candidates: readonly ListedService[]): { listed: ListedService | null; note?: string } {
  const mine = candidates.filter((c) => c.manifest.id === inst.id);
  const named = inst.store ? mine.find((c) => c.store.url === inst.store!.url) : undefined;
  if (named) return { listed: named };
  if (mine.length === 1) return { listed: mine[0]! };
  if (mine.length > 1) return { listed: null, note: `listed by several stores (${mine.map((c) => c.store.name).join(', ')}) and the install receipt names none of them` };
  return { listed: null };
}
