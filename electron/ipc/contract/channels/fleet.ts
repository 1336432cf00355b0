import { defineDomain, type Invoke } from '../domain';
import type { BatchSize } from '../../../core/fleet/batches';
import type { FleetPlan } from '../../../core/fleet/plan';
import type { FleetEvent, FleetReceipt } from '../../../core/fleet/run';
import type { InstallPhase } from '../../../core/install/install-flow';

export type { BatchSize } from '../../../core/fleet/batches';
export type { FleetPlan, FleetPlanCell } from '../../../core/fleet/plan';
export type { FleetEvent, FleetReceipt } from '../../../core/fleet/run';

/** One service from a loaded store onto the cells named (profile names or group names). */
export interface FleetPlanStart {
  storeId: string;
  serviceId: string;
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

/** A batch/cell step of the engine, or one cell's install phase or output line. */
export type FleetProgress = { runId: string; event: FleetEvent } | { runId: string; cell: string; phase: InstallPhase; line?: string };

/**
 * The `fleet` domain (DESIGN 2.10): plan (the pre-flight of every selected cell, saved under
 * fleet/), apply in the background with live progress, stop between batches, cancel, and the
 * fleet receipts for Activity. Every judgement is core's.
 */
export const fleet = defineDomain<
  {
    plan: Invoke<FleetPlanStart, FleetPlan>;
    /** Starts the run and answers at once with its id; `finished` carries the fleet receipt. */
    apply: Invoke<FleetApplyStart, { runId: string }>;
    stop: Invoke<{ runId: string }, { stopping: boolean }>;
    cancel: Invoke<{ runId: string }, { cancelled: boolean }>;
    runs: Invoke<{ limit?: number }, FleetReceipt[]>;
  },
  { progress: FleetProgress; finished: FleetReceipt; failed: { runId: string; error: { code: string; message: string } } }
>()('fleet', ['plan', 'apply', 'stop', 'cancel', 'runs'], ['progress', 'finished', 'failed']);
