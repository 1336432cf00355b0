import { execFileSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Process helpers of the testbed: find the processes a test started (by walking /proc from a PID
 * it owns), signal them by PID, and wait for exits — never anything found by name.
 */

/** Runs a testbed command to completion (bounded), returning its stdout; throws on failure. */
export function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

/** Direct children of `pid` according to /proc (bounded scan). */
export async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // Field 4 (ppid) follows the ")" that closes the command name.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[1]) === pid) out.push(Number(name));
  }
  return out;
}

export async function descendantsOf(pid: number): Promise<number[]> {
  const all: number[] = [];
  let frontier = [pid];
  for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const p of frontier) next.push(...(await childrenOf(p)));
    all.push(...next);
    frontier = next;
  }
  return all;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
