import { defineDomain, type Invoke } from '../domain';
import type { Explanation } from '../../../core/catalogue/reason-catalogue';
import type { CellProfile } from '../../../core/cell/profiles';
import type { BatchSize } from '../../../core/fleet/batches';
import type { FleetPlan, FleetPlanCell } from '../../../core/fleet/plan';
import type { FleetEvent, FleetReceipt } from '../../../core/fleet/run';
import type { InstallPhase } from '../../../core/install/install-flow';

export type { BatchSize } from '../../../core/fleet/batches';
export type { FleetPlan, FleetPlanCell, FleetAction } from '../../../core/fleet/plan';
export type { FleetEvent, FleetReceipt, FleetCellOutcome } from '../../../core/fleet/run';
export type { ReceiptReview } from '../../../core/updates/upgrade-gate';

/** One service from a loaded store onto the cells named (profile names or group names). */
export interface FleetPlanStart {
  storeId: string;
  serviceId: string;
  /** Which listed version, where the store lists the service more than once. */
  version?: string;
  cells: string[];
}

export interface FleetApplyStart {
  planId: string;
  batches?: BatchSize[];
  maxFailPercent?: number | null;
  concurrency?: number;
  /** Retry: only the cells that failed, were refused or were not reached in this earlier run of the plan. */
  retryRunId?: string;
}

/** The catalogue's words, made in main: a title and sentence first, the code only after. */
export type FleetWords = Pick<Explanation, 'code' | 'title' | 'sentence'> & { next: string };

/** A plan as the app shows it: the plan document, and per cell the words for its action and reason. */
export interface FleetPlanView {
  plan: FleetPlan;
  /** Per cell name: the action in words, and why (null for a verified install or upgrade). */
  /** Per cell: the plan's action, its mode (as the reason catalogue names it) and why, in words. */
  rows: Record<string, { action: string; mode: string; why: FleetWords | null }>;
}

/** A fleet receipt as Activity and the Fleet view show it: how it ended and each cell's outcome in words. */
export interface FleetRunView {
  receipt: FleetReceipt;
  ended: string;
  cells: Record<string, { outcome: string; why: FleetWords | null }>;
}

/** Planning, cell by cell: how many are selected and each row as it is read. */
export type FleetPlanProgress = { total: number; row: FleetPlanCell | null; done: number };

/** A batch/cell step of the engine (with the words for a failed cell), or one cell's install phase or output line. */
export type FleetProgress =
  | { runId: string; event: FleetEvent; words?: { outcome: string; why: FleetWords | null } }
  | { runId: string; cell: string; phase: InstallPhase; line?: string };

/**
 * The `fleet` domain (DESIGN 2.10): plan (the pre-flight of every selected cell, saved under
 * fleet/) with progress and cancel, save a plan where the person chooses, apply in the background
 * with live progress, stop between batches, cancel, and the fleet receipts for Activity. Every
 * judgement is core's; every word is the catalogue's.
 */
export const fleet = defineDomain<
  {
    plan: Invoke<FleetPlanStart, FleetPlanView>;
    /** Cancels the plan being made (its unread cells come back blocked, CANCELLED). */
    cancelPlan: Invoke<void, { cancelled: boolean }>;
    /** Writes a plan made earlier to a new file the person chose (`pic-store fleet apply FILE` reads it). */
    savePlan: Invoke<{ planId: string; path: string }, { path: string; bytes: number }>;
    /** Starts the run and answers at once with its id; `finished` carries the fleet receipt. */
    apply: Invoke<FleetApplyStart, { runId: string }>;
    stop: Invoke<{ runId: string }, { stopping: boolean }>;
    cancel: Invoke<{ runId: string }, { cancelled: boolean }>;
    runs: Invoke<{ limit?: number }, FleetRunView[]>;
    /** Adds a cell profile per host of an Ansible YAML inventory; no host key is recorded (each is confirmed before first use). */
    importInventory: Invoke<{ path: string }, { added: CellProfile[] }>;
    /** Writes the cells (all, or those named / in the groups named) as an Ansible YAML inventory to a new file. */
    exportInventory: Invoke<{ path: string; cells?: string[] }, { path: string; count: number }>;
  },
  { planProgress: FleetPlanProgress; progress: FleetProgress; finished: FleetRunView; failed: { runId: string; error: { code: string; message: string } } }
>()('fleet', ['plan', 'cancelPlan', 'savePlan', 'apply', 'stop', 'cancel', 'runs', 'importInventory', 'exportInventory'], ['planProgress', 'progress', 'finished', 'failed']);
