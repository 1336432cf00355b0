import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendReceipt, readActivity } from './activity-log';
import type { Receipt, ReceiptOutcome } from './receipt';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-activity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OUTCOMES: ReceiptOutcome[] = ['installed', 'rejected', 'failed', 'cancelled', 'uninstalled'];

/** The i-th receipt of a synthetic history: outcomes, cells and services rotate. */
function nth(i: number): Receipt {
  const outcome = OUTCOMES[i % OUTCOMES.length]!;
  return sampleReceipt(
    {
      service: { id: `svc-${i % 7}`, name: `Service ${i % 7}`, version: `1.0.${i}` },
      cell: { name: `cell-${i % 3}`, destination: `pic@cell${i % 3}.test`, root: '/opt/pic' },
      outcome,
      decision: outcome === 'rejected' ? 'block' : 'allow',
    },
    { newId: () => `r-${i}`, now: () => new Date(Date.UTC(2030, 0, 1) + i * 1000) },
  );
}

describe('activity log', () => {
  it('a missing log reads as empty', async () => {
    const page = await readActivity(join(dir, 'nope', 'activity.jsonl'));
    expect(page).toMatchObject({ receipts: [], total: 0, skippedCount: 0 });
  });

  it('appends one line per receipt (creating the directory, mode 0600) and reads newest first', async () => {
    const log = join(dir, 'a', 'activity.jsonl');
    for (let i = 0; i < 5; i++) await appendReceipt(log, nth(i));
    const text = await readFile(log, 'utf8');
    expect(text.split('\n')).toHaveLength(6);
    expect(text.endsWith('\n')).toBe(true);
    expect((await stat(log)).mode & 0o777).toBe(0o600);
    const page = await readActivity(log);
    expect(page.receipts.map((r) => r.id)).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
    expect(page.receipts[0]).toEqual(nth(4));
    expect(page.total).toBe(5);
  });

  it('pages with offset/limit and filters by outcome, cell, service and reason', async () => {
    const log = join(dir, 'b', 'activity.jsonl');
    for (let i = 0; i < 30; i++) await appendReceipt(log, nth(i));
    const p1 = await readActivity(log, { offset: 0, limit: 10 });
    const p2 = await readActivity(log, { offset: 10, limit: 10 });
    expect(p1.receipts.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, k) => `r-${29 - k}`));
    expect(p2.receipts.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, k) => `r-${19 - k}`));
    expect(p1.total).toBe(30);

    const rejected = await readActivity(log, { outcome: 'rejected', limit: 100 });
    expect(rejected.total).toBe(6);
    expect(rejected.receipts.every((r) => r.outcome === 'rejected')).toBe(true);

    const byCell = await readActivity(log, { cell: 'pic@cell1.test', limit: 100 });
    expect(byCell.total).toBe(10);
    expect((await readActivity(log, { cell: 'cell-1' })).total).toBe(10);

    const both = await readActivity(log, { service: 'svc-2', cell: 'cell-0', limit: 100 });
    expect(both.receipts.map((r) => r.id)).toEqual(['r-9']);

    expect((await readActivity(log, { reason: 'SIGNATURE_NOT_FOUND' })).total).toBe(30);
    // The Reason filter takes the label the Reason column shows, in any case, as well as the code.
    expect((await readActivity(log, { reason: 'unsigned' })).total).toBe(30);
    expect((await readActivity(log, { reason: 'VERIFIED' })).total).toBe(0);
    expect((await readActivity(log, { service: 'Service 3' })).total).toBe(4);
  });

  it('skips a torn last line, reports it, keeps every earlier receipt, never alters the file', async () => {
    const log = join(dir, 'c', 'activity.jsonl');
    for (let i = 0; i < 3; i++) await appendReceipt(log, nth(i));
    const torn = JSON.stringify(nth(3)).slice(0, 150);
    await appendFile(log, torn);
    const before = await readFile(log);

    const page = await readActivity(log);
    expect(page.receipts.map((r) => r.id)).toEqual(['r-2', 'r-1', 'r-0']);
    expect(page.skippedCount).toBe(1);
    expect(page.skipped[0]).toEqual({ line: 4, reason: expect.stringMatching(/incomplete last line/) });
    expect(await readFile(log)).toEqual(before);

    // The next append starts on its own line: the torn fragment never swallows it.
    await appendReceipt(log, nth(4));
    const after = await readActivity(log);
    expect(after.receipts.map((r) => r.id)).toEqual(['r-4', 'r-2', 'r-1', 'r-0']);
    expect(after.skipped).toEqual([{ line: 4, reason: expect.stringMatching(/not valid JSON/) }]);
    expect((await readFile(log, 'utf8')).startsWith(before.toString('utf8'))).toBe(true);
  });

  it('reports lines that are JSON but not receipts, and receipts that fail validation', async () => {
    const log = join(dir, 'd', 'activity.jsonl');
    await appendReceipt(log, nth(0));
    await appendFile(log, '{"hello":"world"}\n\n');
    await appendFile(log, `${JSON.stringify({ ...nth(1), digest: 'sha256:short' })}\n`);
    await appendReceipt(log, nth(2));
    const page = await readActivity(log);
    expect(page.receipts.map((r) => r.id)).toEqual(['r-2', 'r-0']);
    expect(page.skipped.map((s) => s.line)).toEqual([4, 2]);
    expect(page.skipped[0]!.reason).toMatch(/\/digest/);
    expect(page.skipped[1]!.reason).toMatch(/not a PIC Store receipt/);
  });

  it('an unreadable log is an error, not an empty history', async () => {
    const log = join(dir, 'e', 'activity.jsonl');
    await mkdir(log, { recursive: true });
    await expect(readActivity(log)).rejects.toThrow(/not a regular file/);
    await expect(appendReceipt(log, nth(0))).rejects.toThrow(/activity log/);
  });

  it('10,000 receipts with a torn last line: all load, paged and filtered', async () => {
    const log = join(dir, 'f', 'activity.jsonl');
    await mkdir(join(dir, 'f'));
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(JSON.stringify(nth(i)));
    await writeFile(log, `${lines.join('\n')}\n${lines[0]!.slice(0, 300)}`);
    const size = (await stat(log)).size;

    let t = performance.now();
    const first = await readActivity(log, { limit: 50 });
    const tFirst = performance.now() - t;
    expect(first.total).toBe(10_000);
    expect(first.receipts).toHaveLength(50);
    expect(first.receipts[0]!.id).toBe('r-9999');
    expect(first.skipped).toEqual([{ line: 10_001, reason: expect.stringMatching(/incomplete last line/) }]);

    const last = await readActivity(log, { offset: 9_990, limit: 50 });
    expect(last.receipts.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, k) => `r-${9 - k}`));

    t = performance.now();
    const failed = await readActivity(log, { outcome: 'failed', cell: 'cell-2', limit: 20 });
    const tFiltered = performance.now() - t;
    expect(failed.total).toBe(667);
    expect(failed.receipts[0]!.id).toBe('r-9992');
    expect(failed.receipts.every((r) => r.outcome === 'failed' && r.cell.name === 'cell-2')).toBe(true);
    // Figures for the report, not assertions (DESIGN 4: performance is measured by benchmarks).
    console.log(`activity: ${(size / 1e6).toFixed(1)} MB, first page ${tFirst.toFixed(0)} ms, filtered ${tFiltered.toFixed(0)} ms`);
  });
});
