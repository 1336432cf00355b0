import type { InstalledListing } from '../cell/installed-inventory';
import { listingOf } from '../cell/installed-inventory';
import type { ServiceManifest } from '../store/manifest-schema';
import type { VerificationReport } from '../verification/types';

/**
 * The review of an upgrade (DESIGN 2.9): a typed diff from the installed version to the listed
 * one, in ONE shape for the `updates` JSON, the pre-flight and the receipt. Signers come from
 * verification (each side's valid signatures), never from the listing; only differences are
 * listed. Removed things are shown; added or changed ones need the admin's consent, and a
 * changed signer needs the new fingerprint confirmed.
 */
export type ReviewField = 'ports' | 'volumes' | 'environment';

export interface ReviewChange {
  field: ReviewField;
  change: 'added' | 'removed' | 'changed';
  /** `8080/tcp` for a port (host side), the volume name, the variable name. */
  name: string;
  from?: string;
  to?: string;
}

export interface UpdateReview {
  version: { from: string | null; to: string };
  digest: { from: string | null; to: string | null };
  signers: { from: string[]; to: string[]; changed: boolean };
  /** Whether the cell's own key verifies the new image (in enforce it must); null when not checked. */
  cellKeyVerifies: boolean | null;
  listingSigned: boolean;
  changes: ReviewChange[];
}

/** What an upgrade's consent covered, as the receipt records it (DESIGN 2.5 `review.accepted`). */
export type AcceptedItem = ReviewChange | { field: 'signer'; change: 'changed'; name: string };

/** The installed side of a review, from the cell's inventory (receipt + installed manifest). */
export interface ReviewFrom {
  version: string | null;
  digest: string | null;
  signers: readonly string[];
  listing: InstalledListing | null;
}

/** Fingerprints of the signatures that counted in a verification (valid, bound to the digest), each once. */
export function reportSigners(report: Pick<VerificationReport, 'signatures'> | null | undefined): string[] {
  if (!report) return [];
  return [...new Set(report.signatures.filter((s) => s.keyFingerprint && !s.problem).map((s) => s.keyFingerprint!))].sort();
}

/**
 * The signer changed when both versions are signed by trusted keys and no key signed both. A side
 * with no valid signature is not a signer change: whether an unverified image may run is the
 * cell's mode's decision (DESIGN 2.2's table), and `updates` holds an unverified listing anyway.
 */
export function signersChanged(from: readonly string[], to: readonly string[]): boolean {
  if (from.length === 0 || to.length === 0) return false;
  return !to.some((fp) => from.includes(fp));
}

const portKey = (p: { host: number; protocol: string }) => `${p.host}/${p.protocol}`;
const portText = (p: { host: number; container: number; protocol: string }) => `${p.host}→${p.container}/${p.protocol}`;

/** Per field, what is added, removed or changed from `a` to `b` (values of added/changed variables shown). */
export function listingChanges(a: InstalledListing, b: InstalledListing): ReviewChange[] {
  const out: ReviewChange[] = [];
  const diff = <T>(field: ReviewField, from: Map<string, T>, to: Map<string, T>, text: (v: T) => string) => {
    for (const [name, v] of to) {
      const old = from.get(name);
      if (old === undefined) out.push({ field, change: 'added', name, to: text(v) });
      else if (text(old) !== text(v)) out.push({ field, change: 'changed', name, from: text(old), to: text(v) });
    }
    for (const [name, v] of from) if (!to.has(name)) out.push({ field, change: 'removed', name, from: text(v) });
  };
  diff('ports', new Map(a.ports.map((p) => [portKey(p), p])), new Map(b.ports.map((p) => [portKey(p), p])), portText);
  diff('volumes', new Map(a.volumes.map((v) => [v.name, v])), new Map(b.volumes.map((v) => [v.name, v])), (v) => v.path);
  diff('environment', new Map(Object.entries(a.environment)), new Map(Object.entries(b.environment)), (v) => v);
  return out;
}

export interface ReviewTo {
  manifest: ServiceManifest;
  digest: string | null;
  signers: readonly string[];
  cellKeyVerifies: boolean | null;
  listingSigned: boolean;
}

/**
 * Builds the review. An installed manifest that could not be read counts as asking for nothing,
 * so everything the new listing asks for shows as added and needs consent (fail closed).
 */
export function buildReview(from: ReviewFrom, to: ReviewTo): UpdateReview {
  const empty: InstalledListing = { ports: [], volumes: [], environment: {} };
  return {
    version: { from: from.version, to: to.manifest.version },
    digest: { from: from.digest, to: to.digest },
    signers: { from: [...from.signers].sort(), to: [...to.signers].sort(), changed: signersChanged(from.signers, to.signers) },
    cellKeyVerifies: to.cellKeyVerifies,
    listingSigned: to.listingSigned,
    changes: listingChanges(from.listing ?? empty, listingOf(to.manifest as unknown as Record<string, unknown>)),
  };
}

/** The changes that need consent: everything added or changed (removed things are only shown). */
export function changesNeedingConsent(review: UpdateReview): ReviewChange[] {
  return review.changes.filter((c) => c.change !== 'removed');
}

const show = (s: string) => JSON.stringify(s);

/** The review as lines for a terminal (the caller makes each line terminal-safe). */
export function formatReview(r: UpdateReview): string[] {
  const L: string[] = [];
  L.push(`  review:   ${r.version.from ?? '?'} → ${r.version.to}; ${r.digest.from ?? '?'} → ${r.digest.to ?? '?'}`);
  const fps = (x: string[]) => (x.length ? x.join(', ') : 'none');
  L.push(`  signers:  ${fps(r.signers.from)} → ${fps(r.signers.to)}${r.signers.changed ? '  — SIGNER CHANGED: confirm the new fingerprint' : ' (unchanged)'}`);
  L.push(`  cell key: ${r.cellKeyVerifies === null ? 'not checked' : r.cellKeyVerifies ? 'verifies the new image' : 'does NOT verify the new image'}; listing ${r.listingSigned ? 'signed' : 'from the store listing, not signed'}`);
  if (r.changes.length === 0) L.push('  changes:  no ports, volumes or environment change');
  for (const c of r.changes) {
    const what = c.change === 'changed' ? `${show(c.from ?? '')} → ${show(c.to ?? '')}` : show((c.change === 'added' ? c.to : c.from) ?? '');
    L.push(`    ${c.change === 'removed' ? '-' : c.change === 'added' ? '+' : '~'} ${c.field} ${show(c.name)}: ${what}${c.change === 'removed' ? '' : '  (needs consent)'}`);
  }
  return L;
}
