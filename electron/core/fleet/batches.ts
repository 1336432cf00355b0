import { CoreError } from '../errors';

/**
 * Batch forming and the failure threshold of a fleet run (DESIGN 2.10), with Ansible's meaning
 * of `serial` and `max_fail_percentage` so an admin's habits carry over: a percentage is of the
 * cells that take part, rounded down, at least 1; the last entry repeats until every cell had its
 * turn; the run stops after a batch whose failed share EXCEEDS the threshold, and — threshold or
 * not — after a batch in which every cell failed. Pure: the fleet tests hold it against
 * `ansible-playbook` itself.
 */
export type BatchSize = number | `${number}%`;

export const DEFAULT_BATCHES: readonly BatchSize[] = [1, '10%', '100%'];
export const DEFAULT_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 64;

function usage(message: string): CoreError {
  return new CoreError('INVALID_FLEET_SETTINGS', message);
}

/** `1,10%,100%` (the CLI's --batches) as a list; every entry a positive count or a percentage in 1..100. */
export function parseBatches(text: string): BatchSize[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > 100 || parts.some((p) => p === '')) throw usage(`--batches "${text}" must be a comma-separated list like 1,10%,100%`);
  return parts.map((p) => {
    const m = /^(\d{1,6})(%?)$/.exec(p);
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || (m[2] && n > 100)) throw usage(`batch "${p}" must be a whole number of cells (at least 1) or a percentage from 1% to 100%`);
    return m[2] ? (`${n}%` as const) : n;
  });
}

export function checkBatches(batches: readonly BatchSize[]): readonly BatchSize[] {
  if (batches.length === 0) throw usage('the batch list is empty');
  return parseBatches(batches.join(','));
}

export function checkThreshold(maxFailPercent: number | null | undefined): number | null {
  if (maxFailPercent === null || maxFailPercent === undefined) return null;
  if (!Number.isFinite(maxFailPercent) || maxFailPercent < 0 || maxFailPercent > 100) throw usage(`the failure threshold must be a percentage from 0 to 100, not ${maxFailPercent}`);
  return maxFailPercent;
}

export function checkConcurrency(n: number | undefined): number {
  if (n === undefined) return DEFAULT_CONCURRENCY;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw usage(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${n}`);
  return n;
}

/** The size one entry stands for among `total` cells (Ansible's pct_to_int: floor, at least 1). */
export function batchSize(entry: BatchSize, total: number): number {
  if (typeof entry === 'number') return entry;
  return Math.max(1, Math.floor((Number(entry.slice(0, -1)) / 100) * total));
}

/** The cells split into batches, in order; the last entry repeats until none is left. */
export function formBatches<T>(cells: readonly T[], batches: readonly BatchSize[]): T[][] {
  const left = [...cells];
  const out: T[][] = [];
  for (let i = 0; left.length > 0; i = Math.min(i + 1, batches.length - 1)) out.push(left.splice(0, batchSize(batches[i]!, cells.length)));
  return out;
}

/** Whether the run stops after a batch with `failed` of its `size` cells failed. */
export function stopsAfter(failed: number, size: number, maxFailPercent: number | null): boolean {
  if (size > 0 && failed === size) return true;
  // Ansible's own arithmetic (failed / batch_size > pct / 100.0): (1/10)*100 would be 10.000000000000002 > 10.
  return maxFailPercent !== null && failed / size > maxFailPercent / 100;
}
