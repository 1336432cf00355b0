/**
 * Per-file locks for the data directory's read-modify-write files (stores.json, cells.json,
 * known_hosts — DESIGN 2.6): two writers (two windows, the app and the CLI, concurrent IPC calls)
 * take turns, so neither loses the other's change. Pure Node, no native module:
 *
 * - Across processes the lock is a sibling file `<file>.lock` created with O_EXCL, holding the
 *   owner's pid, host, start time and a random token. A lock whose owner is gone (same host,
 *   pid dead), or that is older than `staleMs`, is broken — under a second O_EXCL file so two
 *   waiters never break it twice (the second would delete the first's fresh lock).
 * - Within one process, callers queue on a promise chain per file, so concurrent IPC calls wait
 *   their turn instead of polling the lock file.
 *
 * Callers re-read the file inside the lock (see `updateJsonFile` in data-dir): a check made
 * before it (a duplicate name, an existing entry) is only advice.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CoreError, errorMessage } from './errors';

export interface FileLockOptions {
  /** How long to wait for another writer before giving up (default 10 s). */
  waitMs?: number;
  /** A lock held longer than this is taken to be a hung or reused-pid owner's (default 30 s). */
  staleMs?: number;
}

const DEFAULT_WAIT_MS = 10_000;
const DEFAULT_STALE_MS = 30_000;
/** A lock file still empty after this long was left by a writer killed between create and write. */
const EMPTY_STALE_MS = 5_000;

const queues = new Map<string, Promise<void>>();

export function lockPathOf(path: string): string {
  return `${resolve(path)}.lock`;
}

/**
 * Runs `fn` while holding the lock of `path` (the file itself need not exist). Temp files a
 * killed writer of `path` left behind are removed first, so every write also tidies up.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const key = resolve(path);
  const before = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const turn = new Promise<void>((r) => (done = r));
  const tail = before.then(() => turn);
  queues.set(key, tail);
  await before;
  try {
    const token = await acquire(key, opts);
    try {
      await removeStaleTemps(key, opts.staleMs);
      return await fn();
    } finally {
      await release(key, token);
    }
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

interface Holder {
  raw: string;
  pid: number | null;
  host: string | null;
  sinceMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acquire(path: string, opts: FileLockOptions): Promise<string> {
  const lock = lockPathOf(path);
  const token = `${process.pid} ${hostname()} ${Date.now()} ${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_WAIT_MS);
  await mkdir(dirname(lock), { recursive: true, mode: 0o700 });
  let delay = 5;
  // Bounded by the deadline; each turn either takes the lock, breaks a stale one or sleeps.
  for (;;) {
    if (await createExclusive(lock, token)) return token;
    const holder = await readHolder(lock);
    if (holder && isStale(holder, opts.staleMs ?? DEFAULT_STALE_MS)) {
      await breakStale(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder?.pid ? `process ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''}` : 'another process';
      throw new CoreError('DATA_FILE_LOCKED', `${path} is being changed by ${who} (lock ${lock}); nothing was changed — try again in a moment`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new CoreError('DATA_FILE_UNREADABLE', `cannot create the lock ${file}: ${errorMessage(e)}`);
  }
  try {
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
  return true;
}

async function readHolder(lock: string): Promise<Holder | null> {
  try {
    const [raw, st] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    const [pid, host, at] = raw.trim().split(' ');
    const since = Number(at);
    return {
      raw,
      pid: /^\d+$/.test(pid ?? '') ? Number(pid) : null,
      host: host ?? null,
      sinceMs: Number.isFinite(since) && since > 0 ? since : st.mtimeMs,
    };
  } catch {
    return null; // released meanwhile: the next turn takes it
  }
}

function isStale(h: Holder, staleMs: number): boolean {
  const age = Date.now() - h.sinceMs;
  if (h.raw === '') return age > EMPTY_STALE_MS;
  if (h.pid !== null && h.host === hostname() && !processAlive(h.pid)) return true;
  return age > staleMs;
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock, once: only the waiter holding `<lock>.break` may, and only if the lock
 * still holds exactly what was judged stale (a fresh owner's lock is never removed). A break
 * file left by a killed breaker is itself removed after a few seconds.
 */
async function breakStale(lock: string, judged: Holder): Promise<void> {
  const breaker = `${lock}.break`;
  if (!(await createExclusive(breaker, `${process.pid}\n`))) {
    const st = await stat(breaker).catch(() => null);
    if (st && Date.now() - st.mtimeMs > EMPTY_STALE_MS) await rm(breaker, { force: true });
    else await sleep(10);
    return;
  }
  try {
    const now = await readHolder(lock);
    if (now && now.raw === judged.raw) await unlink(lock).catch(() => undefined);
  } finally {
    await rm(breaker, { force: true });
  }
}

async function release(path: string, token: string): Promise<void> {
  const lock = lockPathOf(path);
  // Only our own lock: if it was broken as stale meanwhile, the new owner's stays.
  const now = await readFile(lock, 'utf8').catch(() => null);
  if (now === token) await unlink(lock).catch(() => undefined);
}

/**
 * Removes temporary siblings (`<name>.<pid>.<hex>.tmp`, as writeFileAtomic makes them) that a
 * killed writer of `path` left behind. Called by a writer holding the lock: every writer of a
 * locked file holds it, so a temp file whose pid is dead, or that is older than `staleMs`, is
 * nobody's.
 */
export async function removeStaleTemps(path: string, staleMs = DEFAULT_STALE_MS): Promise<void> {
  const dir = dirname(resolve(path));
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const full = join(dir, name);
    const st = await stat(full).catch(() => null);
    if (!st?.isFile()) continue;
    if (!processAlive(Number(m[1])) || Date.now() - st.mtimeMs > staleMs) await rm(full, { force: true });
  }
}
