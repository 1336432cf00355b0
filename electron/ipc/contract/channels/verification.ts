import { defineDomain, type Invoke, type IpcError } from '../domain';
import type { ReasonCode, VerificationReport } from '../../../core/verification/types';
import type { Explanation } from '../../../core/catalogue/reason-catalogue';

export type { VerificationReport, Check, CheckId, CheckStatus, ReasonCode, SignatureSummary, TlogSummary, TlogPolicy } from '../../../core/verification/types';
export type { Explanation } from '../../../core/catalogue/reason-catalogue';

/** A verdict with its plain-words explanation from the catalogue (one catalogue, DESIGN 2.3). */
export interface ServiceVerdict {
  serviceId: string;
  /**
   * The entry's position in its store's `services` (StoreServiceView.index), null for an image
   * verified on its own. Key verdicts by this, never by serviceId: ids can repeat in an index.
   * Always set by main; optional only so that verdicts built elsewhere (previews) stay valid.
   */
  index?: number | null;
  report: VerificationReport;
  explanation: Explanation;
}

/**
 * What the browse view needs of a verdict: the badge. Progress events carry only these (a full
 * report with its explanation is ≈ 6 KB, so 5,000 of them were 30 MB of JSON for the renderer to
 * decode while the admin types); the full verdict is fetched with `verdict` when a page opens.
 */
export interface VerdictSummary {
  serviceId: string;
  /** As ServiceVerdict.index: the per-entry key of the badge (always set by main). */
  index?: number | null;
  reason: ReasonCode;
  verified: boolean;
  /** When the verdict was reached (ISO-8601): tells a fetched full verdict from an older one. */
  verifiedAt: string | null;
  cached: boolean;
}

export interface VerificationRun {
  runId: string;
  storeId: string;
  total: number;
}

/** Pushed while a store verifies: the verdicts reached since the last event, as summaries. */
export interface VerificationProgress {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  summaries: VerdictSummary[];
}

export interface VerificationFinished {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  cancelled: boolean;
  error: IpcError | null;
}

/**
 * The `verification` domain: verdicts are reached in main (core) only; the renderer displays
 * them. `verifyStore` starts a run and returns at once; progress and the end are pushed.
 */
export const verification = defineDomain<
  {
    verifyStore: Invoke<{ storeId: string; fresh?: boolean }, VerificationRun>;
    cancel: Invoke<{ runId: string }, { cancelled: boolean }>;
    /** One entry, fresh; `index` names the entry (without it: the first entry with that id). */
    verifyService: Invoke<{ storeId: string; serviceId: string; index?: number }, ServiceVerdict>;
    /** The latest full verdict main reached for an entry of a store this session; null before one. `index` as for verifyService. */
    verdict: Invoke<{ storeId: string; serviceId: string; index?: number }, ServiceVerdict | null>;
    /** One image reference, fresh, against the app's trust root — e.g. what a cell runs (its current badge). */
    verifyImage: Invoke<{ image: string; serviceId?: string }, ServiceVerdict>;
  },
  { progress: VerificationProgress; finished: VerificationFinished }
>()('verification', ['verifyStore', 'cancel', 'verifyService', 'verdict', 'verifyImage'], ['progress', 'finished']);
