import { defineDomain, type Invoke } from '../contract';
import type { VerificationReport } from '../../core/verification/types';
import type { Explanation } from '../../core/catalogue/reason-catalogue';

export type { VerificationReport, Check, CheckId, CheckStatus, ReasonCode, SignatureSummary } from '../../core/verification/types';
export type { Explanation } from '../../core/catalogue/reason-catalogue';

/** A verdict with its plain-words explanation from the catalogue (one catalogue, DESIGN 2.3). */
export interface ServiceVerdict {
  serviceId: string;
  report: VerificationReport;
  explanation: Explanation;
}

export interface VerificationRun {
  runId: string;
  storeId: string;
  total: number;
}

/** Pushed while a store verifies: the verdicts reached since the last event. */
export interface VerificationProgress {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  verdicts: ServiceVerdict[];
}

export interface VerificationFinished {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  cancelled: boolean;
  error: { code: string; message: string } | null;
}

/**
 * The `verification` domain: verdicts are reached in main (core) only; the renderer displays
 * them. `verifyStore` starts a run and returns at once; progress and the end are pushed.
 */
export const verification = defineDomain<
  {
    verifyStore: Invoke<{ storeId: string; fresh?: boolean }, VerificationRun>;
    cancel: Invoke<{ runId: string }, { cancelled: boolean }>;
    verifyService: Invoke<{ storeId: string; serviceId: string }, ServiceVerdict>;
    /** One image reference, fresh, against the app's trust root — e.g. what a cell runs (its current badge). */
    verifyImage: Invoke<{ image: string; serviceId?: string }, ServiceVerdict>;
  },
  { progress: VerificationProgress; finished: VerificationFinished }
>()('verification', ['verifyStore', 'cancel', 'verifyService', 'verifyImage'], ['progress', 'finished']);
