import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Concurrency measured at the cells themselves, not by the engine's own events: each test cell's
 * sshd logs (LogLevel VERBOSE) every session it starts and closes, without a time, so the logs are
 * polled and each new line is stamped when seen. A cell is busy from the first session it starts
 * after `watchCellSessions` to the last one it closes; the peak is how many cells were busy at
 * once (a start and an end seen in the same poll count as not overlapping, so a poll's coarseness
 * never inflates the peak).
 */
export interface CellSessions {
  /** Per cell name: when (ms since the watch began) its first session started and its last closed. */
  busy: Map<string, { start: number; end: number }>;
  peak: number;
}

export function watchCellSessions(cells: readonly { name: string; dir: string }[], everyMs = 50): { stop(): Promise<CellSessions> } {
  const t0 = Date.now();
  const read = (dir: string) => readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '');
  const seen = new Map<string, number>();
  const busy = new Map<string, { start: number; end: number }>();
  const first = Promise.all(cells.map(async (c) => seen.set(c.name, (await read(c.dir)).length)));
  let polling: Promise<void> = first.then(() => undefined);
  const poll = async () => {
    const at = Date.now() - t0;
    await Promise.all(
      cells.map(async (c) => {
        const text = await read(c.dir);
        const fresh = text.slice(seen.get(c.name) ?? 0);
        seen.set(c.name, text.length);
        if (/Starting session:/.test(fresh) && !busy.has(c.name)) busy.set(c.name, { start: at, end: -1 });
        if (/Close session:/.test(fresh) && busy.has(c.name)) busy.get(c.name)!.end = at;
      }),
    );
  };
  const timer = setInterval(() => {
    polling = polling.then(poll);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await polling;
      await poll();
      // Sweep: ends before starts at the same instant.
      const marks = [...busy.values()].flatMap((b) => [{ at: b.start, d: 1 }, { at: b.end < 0 ? Infinity : b.end, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
      let now = 0;
      let peak = 0;
      for (const m of marks) peak = Math.max(peak, (now += m.d));
      return { busy, peak };
    },
  };
}
