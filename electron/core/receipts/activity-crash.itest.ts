// Crash safety, for real: a separate process appends receipts in a (bounded) loop through the
// real appendReceipt and reports each one once it has returned (i.e. fsync'd); we SIGKILL it
// mid-stream. Every acknowledged receipt must read back; at most the line being written is lost.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendReceipt, readActivity } from './activity-log';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

let dir: string;
let child: ReturnType<typeof spawn> | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-activity-crash-'));
  await build({
    stdin: {
      contents: `
        const { appendReceipt } = require('./activity-log');
        const { sampleReceipt } = require('../../../scripts/testbed/sample-receipt');
        (async () => {
          const log = process.argv[2];
          // Large receipts make each write longer, so the kill often lands inside one.
          const output = 'x'.repeat(64 * 1024);
          for (let i = 0; i < 20000; i++) {
            const r = sampleReceipt({ cellVerification: { ran: true, verified: false, cosignVersion: 'v2.5.0', output } }, { newId: () => 'crash-' + i });
            await appendReceipt(log, r);
            process.stdout.write('ack ' + i + '\\n');
          }
        })();
      `,
      resolveDir: __dirname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(dir, 'appender.cjs'),
    logLevel: 'silent',
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('activity log under SIGKILL', () => {
  it('keeps every acknowledged receipt; a torn tail is skipped and the next append is readable', async () => {
    const log = join(dir, 'activity.jsonl');
    const proc = spawn(process.execPath, [join(dir, 'appender.cjs'), log], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    let acked = -1;
    let buffered = '';
    const killed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error('the appender did not get going within 20 s'));
      }, 20_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) acked = Number(l.slice(4));
        if (acked >= 150 && proc.signalCode === null) {
          clearTimeout(timer);
          proc.kill('SIGKILL');
        }
      });
      proc.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await killed;
    expect(proc.signalCode).toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(150);

    const page = await readActivity(log, { limit: 10_000 });
    const ids = new Set(page.receipts.map((r) => r.id));
    for (let i = 0; i <= acked; i++) expect(ids.has(`crash-${i}`)).toBe(true);
    // At most one line (the one being written at the kill) can be unusable, and only the last.
    expect(page.skippedCount).toBeLessThanOrEqual(1);
    const raw = await readFile(log, 'utf8');
    const lineCount = raw.split('\n').filter((l) => l !== '').length;
    if (page.skippedCount === 1) expect(page.skipped[0]!.line).toBe(lineCount);

    // Recovery: the next writer's receipt always lands on a line of its own and reads back.
    const next = sampleReceipt({}, { newId: () => 'after-crash' });
    await appendReceipt(log, next);
    const after = await readActivity(log, { limit: 1 });
    expect(after.receipts[0]).toEqual(next);
    expect(after.total).toBe(page.total + 1);
  });
});
