import { defineDomain, type Invoke } from '../domain';
import type { Explanation } from '../../../core/catalogue/reason-catalogue';
import type { InstallPhase } from '../../../core/install/install-flow';
import type { PreflightSummary } from '../../../core/install/preflight';
import type { ServiceOp } from '../../../core/install/remote-scripts';
import type { Receipt } from '../../../core/receipts/receipt';

export type { PreflightSummary } from '../../../core/install/preflight';
export type { InstallPhase } from '../../../core/install/install-flow';
export type { ServiceOp } from '../../../core/install/remote-scripts';
export type { Explanation } from '../../../core/catalogue/reason-catalogue';

/** Which service (from which loaded store) goes onto which configured cell. */
export interface InstallStartRequest {
  /** Chosen by the renderer (a UUID) so it can cancel, and match progress, while planning runs. */
  sessionId: string;
  storeId: string;
  serviceId: string;
  cellId: string;
}

/**
 * How an attempt ended, as core recorded it: the receipt (already in the activity log), plus the
 * catalogue's plain words for the verdict and the mode so the renderer never composes reasons.
 */
export interface InstallOutcome {
  sessionId: string;
  receipt: Receipt;
  /** How it ended, in the receipt explanation's words ("The install of … completed with the image verified."). */
  summary: string;
  /** The verdict under the cell's key, in the catalogue's words; null when the cell was never read. */
  verdict: Explanation | null;
  mode: Explanation | null;
  /** Core's one-sentence reason for the decision (decision table), when a plan was made. */
  why: string | null;
  /** The signed store's listing blocked the attempt (DESIGN 2.7): the store catalogue's words; `detail` is the library's message, for the helpdesk. */
  listingBlock?: Explanation & { detail: string };
  /** The listing the attempt came from, as the pre-flight and the service page say it ("Listing signed by …"). */
  listingLine?: string;
  /** Why the image was not checked, when the catalogue knows (a blocked listing). */
  notChecked?: string;
  /** The admin declined the pre-flight: `receipt` describes it but was recorded nowhere (DESIGN 2.5). */
  declined?: true;
  /** A withdrawn service, an update's unconsented changes or a changed signer, in the update catalogue's words (DESIGN 2.9). */
  refusal?: Explanation;
}

/**
 * What the admin consented to in an upgrade's review (DESIGN 2.9): every added or changed port,
 * volume and variable shown, and the new signer's fingerprint as they typed it. Main passes it to
 * core, which refuses an upgrade it does not cover; the renderer only collects it.
 */
export interface ReviewConsent {
  acceptChanges: boolean;
  acceptSigner: string | null;
}

/** The catalogue's title for the verdict's reason code, and core's decision sentence. */
export interface VerdictWords {
  title: string;
  sentence: string;
}

/**
 * `start` answers once core either needs the admin's confirmation (the pre-flight summary) or has
 * already finished (blocked, cell unreachable, cancelled while planning).
 */
export type InstallStage =
  | { stage: 'confirm'; sessionId: string; summary: PreflightSummary; verdict: VerdictWords; mode: Explanation }
  | { stage: 'finished'; sessionId: string; outcome: InstallOutcome };

/** A pushed progress step or output line (docker pull, compose) of one attempt. */
export interface InstallProgressEvent {
  sessionId: string;
  phase: InstallPhase | 'uninstall';
  line?: string;
}

/**
 * The `installs` domain (DESIGN 2.2, 2.5): the install dialog's plan → confirm → apply with live
 * output and cancel, uninstall, and the basics of running services (state, logs, restart).
 * Every decision is core's; these types only carry it.
 */
export const installs = defineDomain<
  {
    start: Invoke<InstallStartRequest, InstallStage>;
    /** The admin confirmed the pre-flight summary: applies and resolves with the outcome. */
    confirm: Invoke<{ sessionId: string; consent?: ReviewConsent }, InstallOutcome>;
    /** Before confirm: records a cancelled attempt, nothing touched. During apply: aborts it. */
    cancel: Invoke<{ sessionId: string }, { cancelled: boolean }>;
    uninstall: Invoke<{ cellId: string; serviceId: string; purgeVolumes: boolean }, InstallOutcome>;
    service: Invoke<{ cellId: string; serviceId: string; op: ServiceOp }, { output: string }>;
    /** The first configured store listing this service id (for Upgrade from the Cells view). */
    findListing: Invoke<{ serviceId: string }, { storeId: string | null; version: string | null }>;
  },
  { progress: InstallProgressEvent; finished: InstallOutcome }
>()('installs', ['start', 'confirm', 'cancel', 'uninstall', 'service', 'findListing'], ['progress', 'finished']);
