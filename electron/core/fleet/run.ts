import { randomUUID } from 'node:crypto';
import type { ReceiptOutcome } from '../receipts/receipt';
import { Semaphore } from '../registry/semaphore';
import { checkBatches, checkConcurrency, checkThreshold, DEFAULT_BATCHES, formBatches, stopsAfter, type BatchSize } from './batches';
import type { FleetPlan, FleetPlanCell } from './plan';

/**
 * The batch engine of a fleet run (DESIGN 2.10): batches one after the other, at most
 * `concurrency` cells at once inside a batch (a slot is freed the moment its cell ends, so a slow
 * or frozen cell holds only its own), the failure threshold judged after each batch, a stop
 * between batches and a cancel. The cell's own turn is injected: apply.ts runs real installs.
 */
export const FLEET_RECEIPT_KIND = 'pic-store-fleet-receipt';

export type FleetCellOutcome = 'installed' | 'upgraded' | 'failed' | 'rejected' | 'not-tried' | 'skipped';

export interface FleetReceipt {
  kind: typeof FLEET_RECEIPT_KIND;
  version: 1;
  id: string;
  planId: string;
  batches: string[][];
  cells: { cell: string; batch: number | null; outcome: FleetCellOutcome; receiptId: string | null; error?: { code: string; message: string } | null }[];
  stoppedAfterBatch: number | null;
  /** Additions: when, what, with which settings, and why it stopped. */
  at: string;
  service: FleetPlan['service'];
  digest: string | null;
  settings: { batches: BatchSize[]; maxFailPercent: number | null; concurrency: number };
  stopReason: 'threshold' | 'all-failed' | 'stopped' | 'cancelled' | null;
}

export interface TurnResult {
  outcome: ReceiptOutcome;
  receiptId: string;
  error: { code: string; message: string } | null;
}

export type FleetEvent =
  | { kind: 'batch-start'; batch: number; cells: string[] }
  | { kind: 'cell-start'; batch: number; cell: string }
  | { kind: 'cell-end'; batch: number; cell: string; outcome: FleetCellOutcome; error: TurnResult['error'] }
  | { kind: 'batch-end'; batch: number; failed: number; size: number; stops: boolean };

export interface FleetRunOptions {
  batches?: readonly BatchSize[];
  maxFailPercent?: number | null;
  concurrency?: number;
  /** Only these cells take part (retrying the failed cells of an earlier run). */
  only?: readonly string[];
  /** Cancel: cells not started are not tried, cells running are cancelled. */
  signal?: AbortSignal;
  /** Stop between batches: the running batch ends, no further batch starts. */
  stop?: AbortSignal;
  onEvent?: (e: FleetEvent) => void;
  runId?: string;
}

export type CellTurnRunner = (row: FleetPlanCell, fleet: { runId: string; batch: number }, signal: AbortSignal | undefined) => Promise<TurnResult>;

export function fleetOutcome(row: FleetPlanCell, r: TurnResult): FleetCellOutcome {
  if (r.outcome === 'installed') return row.action === 'upgrade' ? 'upgraded' : 'installed';
  return r.outcome === 'rejected' ? 'rejected' : 'failed';
}

/**
 * The cells a retry takes: those that failed, and those a stop or cancel left untried. A cell
 * refused at its turn (`rejected`: it changed since the plan, or its decision now blocks) is left
 * out: against the same plan it would be refused again — it needs a new plan.
 */
export function failedCells(r: Pick<FleetReceipt, 'cells'>): string[] {
  return r.cells.filter((c) => c.outcome === 'failed' || (c.outcome === 'not-tried' && c.batch !== null)).map((c) => c.cell);
}

/** The cells refused at their turn: a retry leaves them out, planning again reviews them. */
export function refusedCells(r: Pick<FleetReceipt, 'cells'>): string[] {
  return r.cells.filter((c) => c.outcome === 'rejected').map((c) => c.cell);
}

/** The cells of a plan that take part: install or upgrade, in plan order (and in `only`, when given). */
export function participants(plan: FleetPlan, only?: readonly string[]): FleetPlanCell[] {
  return plan.cells.filter((c) => (c.action === 'install' || c.action === 'upgrade') && (!only || only.includes(c.cell)));
}

export async function runFleet(plan: FleetPlan, turn: CellTurnRunner, opts: FleetRunOptions = {}): Promise<FleetReceipt> {
  const settings = { batches: [...checkBatches(opts.batches ?? DEFAULT_BATCHES)], maxFailPercent: checkThreshold(opts.maxFailPercent), concurrency: checkConcurrency(opts.concurrency) };
  const runId = opts.runId ?? randomUUID();
  const batches = formBatches(participants(plan, opts.only), settings.batches);
  const result = new Map<string, FleetReceipt['cells'][number]>();
  // Outside the batches: a cell the plan skips or blocks is `skipped` (a retry too); one to install that a retry leaves out is `not-tried`.
  const planned = new Set(participants(plan).map((c) => c.cell));
  for (const c of plan.cells) result.set(c.cell, { cell: c.cell, batch: null, outcome: opts.only && planned.has(c.cell) && !opts.only.includes(c.cell) ? 'not-tried' : 'skipped', receiptId: null });
  batches.forEach((b, i) => b.forEach((c) => result.set(c.cell, { cell: c.cell, batch: i + 1, outcome: 'not-tried', receiptId: null })));
  let stoppedAfterBatch: number | null = null;
  let stopReason: FleetReceipt['stopReason'] = null;
  const emit = opts.onEvent ?? (() => undefined);
  for (let i = 0; i < batches.length; i++) {
    const batch = i + 1;
    if (i > 0 && (opts.signal?.aborted || opts.stop?.aborted)) {
      stoppedAfterBatch = i;
      stopReason = opts.signal?.aborted ? 'cancelled' : 'stopped';
      break;
    }
    const cells = batches[i]!;
    emit({ kind: 'batch-start', batch, cells: cells.map((c) => c.cell) });
    const gate = new Semaphore(settings.concurrency);
    let failed = 0;
    await Promise.all(
      cells.map((row) =>
        gate.run(async () => {
          if (opts.signal?.aborted) return;
          emit({ kind: 'cell-start', batch, cell: row.cell });
          let r: TurnResult;
          try {
            r = await turn(row, { runId, batch }, opts.signal);
          } catch (e) {
            // The turn records its own receipt; only a failure to record lands here.
            r = { outcome: 'failed', receiptId: '', error: { code: 'INTERNAL', message: (e as Error).message } };
          }
          const outcome = fleetOutcome(row, r);
          if (outcome === 'failed' || outcome === 'rejected') failed++;
          result.set(row.cell, { cell: row.cell, batch, outcome, receiptId: r.receiptId || null, error: r.error });
          emit({ kind: 'cell-end', batch, cell: row.cell, outcome, error: r.error });
        }),
      ),
    );
    const stops = stopsAfter(failed, cells.length, settings.maxFailPercent);
    emit({ kind: 'batch-end', batch, failed, size: cells.length, stops });
    if (opts.signal?.aborted) {
      stoppedAfterBatch = batch;
      stopReason = 'cancelled';
      break;
    }
    if (stops && i < batches.length - 1) {
      stoppedAfterBatch = batch;
      stopReason = failed === cells.length ? 'all-failed' : 'threshold';
      break;
    }
  }
  return {
    kind: FLEET_RECEIPT_KIND, version: 1, id: runId, planId: plan.id, batches: batches.map((b) => b.map((c) => c.cell)),
    cells: plan.cells.map((c) => result.get(c.cell)!), stoppedAfterBatch, at: new Date().toISOString(), service: plan.service, digest: plan.digest, settings, stopReason,
  };
}
