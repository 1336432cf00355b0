// The receipt of one install, upgrade or uninstall attempt (DESIGN 2.5): what was asked, what
// the desktop and the cell each concluded, under which mode, and what happened. It is plain
// data so it can be appended to logs, exported, sent to helpdesk and imported unchanged.
import { randomUUID } from 'node:crypto';
import { APP_VERSION } from '../app-info';
import type { TrustedKeySummary } from '../trust/trust-root';
import type { Check, ReasonCode, SignatureSummary, TlogPolicy } from '../verification/types';
import type { ReceiptReview } from '../updates/upgrade-gate';

export const RECEIPT_KIND = 'pic-store-receipt';
export const RECEIPT_VERSION = 1;

export const RECEIPT_ACTIONS = ['install', 'upgrade', 'uninstall'] as const;
export type ReceiptAction = (typeof RECEIPT_ACTIONS)[number];

export const RECEIPT_OUTCOMES = ['installed', 'uninstalled', 'rejected', 'failed', 'cancelled'] as const;
export type ReceiptOutcome = (typeof RECEIPT_OUTCOMES)[number];

export const DECISIONS = ['allow', 'warn', 'block'] as const;
export type Decision = (typeof DECISIONS)[number];

export const MODE_VALUES = ['off', 'warn', 'enforce'] as const;
export type ModeValue = (typeof MODE_VALUES)[number];

export const MODE_SOURCES = ['config', 'default', 'fail-closed'] as const;
export type ModeSource = (typeof MODE_SOURCES)[number];

/** The cell's effective verification mode and why (DESIGN 2.2). */
export interface ReceiptMode {
  value: ModeValue;
  source: ModeSource;
  detail: string;
}

/** The desktop's verdict, as much of the VerificationReport as a receipt keeps. */
interface ReceiptVerification {
  verified: boolean;
  reason: ReasonCode;
  checks: Check[];
  signatures: SignatureSummary[];
  trustedKeys: TrustedKeySummary[];
  /** The transparency-log policy the verdict was reached under (each signature's `tlog` holds its log, index and time). */
  transparencyLogPolicy?: TlogPolicy;
}

/** The cell-side `cosign verify`, when cosign is on the cell's PATH. */
export interface ReceiptCellVerification {
  ran: boolean;
  /** null when it did not run. */
  verified: boolean | null;
  cosignVersion: string | null;
  /** cosign's (bounded) output, the evidence when the two verdicts disagree. */
  output: string;
}

export interface Receipt {
  kind: typeof RECEIPT_KIND;
  version: typeof RECEIPT_VERSION;
  id: string;
  /** ISO-8601, UTC. */
  at: string;
  action: ReceiptAction;
  app: { version: string };
  store: { name: string; url: string } | null;
  service: { id: string; name: string; version: string };
  cell: { name: string; destination: string; root: string };
  image: string;
  digest: string | null;
  /**
   * The desktop's verdict. null only when no verification ran: an uninstall, or an attempt that
   * failed or was cancelled before verifying (DESIGN 2.5 shows it non-null for installs).
   */
  verification: ReceiptVerification | null;
  cellVerification: ReceiptCellVerification | null;
  /** null only when the cell could not be reached. */
  mode: ReceiptMode | null;
  decision: Decision | null;
  outcome: ReceiptOutcome;
  error: { code: string; message: string } | null;
  /** How the store listing the service came from was authenticated (DESIGN 2.5/2.7); version-1 addition. */
  listing?: ReceiptListing | null;
  /** An upgrade's review and what the admin consented to (DESIGN 2.5, 2.9); absent on receipts before it. */
  review?: ReceiptReview | null;
  /** The fleet run and batch (from 1) this attempt was part of (DESIGN 2.10); absent or null for a single install. */
  fleet?: { runId: string; batch: number } | null;
}

export interface ReceiptListing {
  signed: boolean;
  /** The signed store's targets version; null for an unsigned listing. */
  storeVersion: number | null;
  state: string;
}

/** Everything the caller decides; the envelope (kind, version, id, time, app) is filled in here. */
export type ReceiptFields = Omit<Receipt, 'kind' | 'version' | 'id' | 'at' | 'app'> & { app?: Receipt['app'] };

interface ReceiptClock {
  now?: () => Date;
  newId?: () => string;
}

/** Makes a receipt with a fresh random id and the current time, so no two attempts share one. */
export function createReceipt(fields: ReceiptFields, clock: ReceiptClock = {}): Receipt {
  const { app, ...rest } = fields;
  return {
    kind: RECEIPT_KIND,
    version: RECEIPT_VERSION,
    id: (clock.newId ?? randomUUID)(),
    at: (clock.now ?? (() => new Date()))().toISOString(),
    action: rest.action,
    app: app ?? { version: APP_VERSION },
    store: rest.store,
    service: rest.service,
    cell: rest.cell,
    image: rest.image,
    digest: rest.digest,
    verification: rest.verification,
    cellVerification: rest.cellVerification,
    mode: rest.mode,
    decision: rest.decision,
    outcome: rest.outcome,
    error: rest.error,
    ...(rest.listing !== undefined ? { listing: rest.listing } : {}),
    ...(rest.review !== undefined ? { review: rest.review } : {}),
    ...(rest.fleet ? { fleet: rest.fleet } : {}),
  };
}

/** Keeps the receipt's copy of a verification report to the fields DESIGN 2.5 names. */
export function receiptVerification(report: ReceiptVerification): ReceiptVerification {
  return {
    verified: report.verified,
    reason: report.reason,
    checks: report.checks,
    signatures: report.signatures,
    trustedKeys: report.trustedKeys,
    ...(report.transparencyLogPolicy ? { transparencyLogPolicy: report.transparencyLogPolicy } : {}),
  };
}
