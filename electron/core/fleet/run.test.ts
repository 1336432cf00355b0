import { describe, expect, it } from 'vitest';
import type { FleetPlan, FleetPlanCell } from './plan';
import { failedCells, refusedCells, runFleet, type TurnResult } from './run';

/** Unit test of the batch engine with a fake turn (the integration tests run real cells). */
const row = (cell: string, action: FleetPlanCell['action'] = 'install'): FleetPlanCell => ({ cell, reachable: true, mode: null, current: null, action, reason: null, review: null, decision: 'allow', cellKey: null, detail: '' });
const planOf = (cells: FleetPlanCell[]): FleetPlan => ({ kind: 'pic-store-fleet-plan', version: 1, id: 'p1', at: new Date().toISOString(), service: { id: 's', name: 'S', version: '1' }, image: 'r/s:1', digest: null, cells, manifest: {} as FleetPlan['manifest'], store: null, listing: null });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fleet run engine', () => {
  it('keeps at most `concurrency` cells in flight and frees a slot as soon as its cell ends', async () => {
    const plan = planOf(Array.from({ length: 12 }, (_, i) => row(`c${i}`)));
    let inFlight = 0;
    let peak = 0;
    const ended: string[] = [];
    const r = await runFleet(plan, async (c) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // c1 is slow: the others must not wait for it.
      await wait(c.cell === 'c1' ? 200 : 10);
      inFlight--;
      ended.push(c.cell);
      return { outcome: 'installed', receiptId: `r-${c.cell}`, error: null } satisfies TurnResult;
    }, { batches: [1, '100%'], concurrency: 3 });
    expect(peak).toBe(3);
    expect(r.batches.map((b) => b.length)).toEqual([1, 11]);
    expect(r.cells.every((c) => c.outcome === 'installed')).toBe(true);
    expect(ended.at(-1)).toBe('c1');
    expect(r.stoppedAfterBatch).toBeNull();
  });

  it('a failed canary stops the run; blocked and skipped cells are in no batch', async () => {
    const plan = planOf([row('a', 'blocked'), row('b'), row('c', 'skip'), row('d'), row('e', 'upgrade')]);
    const tried: string[] = [];
    const r = await runFleet(plan, async (c) => {
      tried.push(c.cell);
      return { outcome: 'failed', receiptId: 'x', error: { code: 'INSTALL_FAILED', message: 'no' } };
    });
    expect(tried).toEqual(['b']);
    expect(r.stoppedAfterBatch).toBe(1);
    expect(r.stopReason).toBe('all-failed');
    expect(r.cells.map((c) => [c.cell, c.batch, c.outcome])).toEqual([['a', null, 'skipped'], ['b', 1, 'failed'], ['c', null, 'skipped'], ['d', 2, 'not-tried'], ['e', 3, 'not-tried']]);
  });

  it('stop between batches ends after the running batch; retry takes only the named cells', async () => {
    const plan = planOf(['a', 'b', 'c', 'd'].map((c) => row(c)));
    const stop = new AbortController();
    const r = await runFleet(plan, async (c) => {
      stop.abort();
      return { outcome: c.cell === 'a' ? 'installed' : 'failed', receiptId: c.cell, error: null };
    }, { batches: [1], stop: stop.signal });
    expect(r.stoppedAfterBatch).toBe(1);
    expect(r.stopReason).toBe('stopped');
    const again = await runFleet(plan, async (c) => ({ outcome: 'installed', receiptId: c.cell, error: null }), { batches: [1], only: ['c', 'd'] });
    expect(again.batches).toEqual([['c'], ['d']]);
    expect(again.cells.find((c) => c.cell === 'a')?.outcome).toBe('not-tried');
    expect(again.cells.find((c) => c.cell === 'd')?.outcome).toBe('installed');
  });

  it('a retry leaves refused cells out (they need a new plan) and keeps blocked or current cells skipped', async () => {
    const plan = planOf([row('a'), row('b'), row('c'), row('x', 'blocked'), row('y', 'skip')]);
    const first = await runFleet(plan, async (c) => ({ outcome: c.cell === 'a' ? 'failed' : c.cell === 'b' ? 'rejected' : 'installed', receiptId: c.cell, error: null }), { batches: ['100%'] });
    expect(failedCells(first)).toEqual(['a']);
    expect(refusedCells(first)).toEqual(['b']);
    const again = await runFleet(plan, async (c) => ({ outcome: 'installed', receiptId: c.cell, error: null }), { batches: ['100%'], only: failedCells(first) });
    expect(again.cells.map((c) => [c.cell, c.batch, c.outcome])).toEqual([['a', 1, 'installed'], ['b', null, 'not-tried'], ['c', null, 'not-tried'], ['x', null, 'skipped'], ['y', null, 'skipped']]);
  });
});
