// Runs commands on a cell through the system ssh. Every failure of the connection itself (ssh's
// exit 255) becomes a CoreError naming what to do; the remote command's own exit status is
// returned for the caller to judge.
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { CoreError } from '../errors';
import { ProcessError, type RunResult } from '../process-runner';
import { probeHostKey } from './host-keys';
import type { CellProfile } from './profiles';
import { classifySshFailure, sshFailure } from './ssh-errors';
import { binOf, describeTarget, resolveTarget, runnerOf, timeoutsOf, type SshContext } from './ssh-context';
import { connectArgv, controlArgv, ensureControlDir, forcedOptions, type SshTarget } from './ssh-options';

export interface RemoteRunOptions {
  /** Sent on stdin (scripts go here, so the remote command line stays a fixed `sh -s`). */
  stdin?: string;
  /** Whole-call limit; defaults to connect timeout + 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  maxOutputBytes?: number;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

async function prepare(profile: CellProfile, ctx: SshContext, signal?: AbortSignal) {
  const target = await resolveTarget(profile, ctx, signal);
  const controlDir = await ensureControlDir(ctx.dataDir);
  const forced = forcedOptions({ dataDir: ctx.dataDir, controlDir, target, timeouts: timeoutsOf(ctx) });
  return { target, forced };
}

/**
 * Runs `remoteCommand` (already quoted with remote-quote.ts — this function adds no quoting) on
 * the cell over the shared connection.
 */
export async function runRemote(profile: CellProfile, remoteCommand: string, ctx: SshContext, opts: RemoteRunOptions = {}): Promise<RunResult> {
  const { target, forced } = await prepare(profile, ctx, opts.signal);
  const t = timeoutsOf(ctx);
  const timeoutMs = opts.timeoutMs ?? (t.connectTimeoutSec + 60) * 1000;
  // A multiplexed session's stdio is handed to the master process, so killing our ssh client
  // alone would leave the remote command (and our pipes) running. Cancel and timeout therefore
  // close the cell's master connection, which ends the remote session too.
  const stop = new AbortController();
  let timedOut = false;
  const closeMaster = () => {
    void runnerOf(ctx)(binOf(ctx, 'ssh'), controlArgv(profile, forced, 'exit'), { env: ctx.env, timeoutMs: 10_000 }).catch(() => undefined);
  };
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  stop.signal.addEventListener('abort', closeMaster, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, timeoutMs);
  let r: RunResult;
  try {
    r = await runnerOf(ctx)(binOf(ctx, 'ssh'), connectArgv(profile, forced, remoteCommand), {
      input: opts.stdin,
      env: ctx.env,
      signal: stop.signal,
      maxOutputBytes: opts.maxOutputBytes,
      onOutput: opts.onOutput,
    });
  } catch (e) {
    if (e instanceof ProcessError && e.cancelled && timedOut) {
      throw new CoreError('CELL_TIMEOUT', `${describeTarget(profile, target)} did not finish answering within ${Math.round(timeoutMs / 1000)} s`, { stderr: e.stderr });
    }
    if (e instanceof ProcessError && e.cancelled) throw new CoreError('CANCELLED', `the operation on ${profile.destination} was cancelled`);
    throw e;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (r.exitCode === 255) throw await explainFailure(profile, target, r.stderr, ctx, opts.signal);
  return r;
}

async function explainFailure(profile: CellProfile, target: SshTarget, stderr: string, ctx: SshContext, signal?: AbortSignal): Promise<CoreError> {
  const where = describeTarget(profile, target);
  const code = classifySshFailure(stderr);
  if (code === 'HOST_KEY_UNKNOWN') {
    // ssh stopped at the host-key check, before authenticating: nothing was sent. Fetch the key
    // so the person can compare and confirm its fingerprint.
    try {
      const probe = await probeHostKey(profile, ctx, signal);
      if (probe.state === 'changed') return sshFailure('HOST_KEY_CHANGED', where, stderr);
      const fp = probe.preferred?.fingerprint;
      const e = sshFailure(code, where, stderr, { hostToken: probe.hostToken, keys: probe.keys.map(({ type, fingerprint }) => ({ type, fingerprint })), fingerprint: fp });
      e.message = `the host key of ${where} is not known yet. It presents ${probe.preferred?.type ?? 'a'} key ${fp ?? '(none)'}. Compare it with the cell's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the cell) and confirm it; nothing was sent to the cell`;
      return e;
    } catch (scanError) {
      return sshFailure(code, where, stderr, { scanError: (scanError as Error).message });
    }
  }
  if (code === 'AUTH_FAILED') {
    const locked = await lockedKeyNotInAgent(target, ctx);
    if (locked) {
      return new CoreError(
        'KEY_NEEDS_PASSPHRASE',
        `your key ${locked} is protected by a passphrase and is not loaded in an ssh-agent, and the app never asks for passphrases; run "ssh-add ${locked}" (with SSH_AUTH_SOCK set for the app), then retry`,
        { stderr },
      );
    }
  }
  return sshFailure(code, where, stderr);
}

/** The first identity file that needs a passphrase and whose public key the agent does not hold. */
async function lockedKeyNotInAgent(target: SshTarget, ctx: SshContext): Promise<string | null> {
  const env = ctx.env ?? process.env;
  const home = env.HOME || homedir();
  let agentKeys = '';
  if (env.SSH_AUTH_SOCK) {
    const r = await runnerOf(ctx)(binOf(ctx, 'sshAdd'), ['-L'], { env: ctx.env, timeoutMs: 5000, maxOutputBytes: 256 * 1024 }).catch(() => null);
    if (r?.exitCode === 0) agentKeys = r.stdout;
  }
  for (const raw of target.identityFiles.slice(0, 16)) {
    const file = raw.replace(/^~(?=\/)/, home);
    try {
      if (!(await stat(file)).isFile()) continue;
    } catch {
      continue;
    }
    const r = await runnerOf(ctx)(binOf(ctx, 'sshKeygen'), ['-y', '-P', '', '-f', file], { env: ctx.env, timeoutMs: 5000, maxOutputBytes: 64 * 1024 }).catch(() => null);
    if (!r || r.exitCode === 0 || !/passphrase/i.test(r.stderr)) continue;
    const pub = await readFile(`${file}.pub`, 'utf8').catch(() => '');
    const blob = pub.trim().split(/\s+/)[1];
    if (blob && agentKeys.includes(blob)) continue;
    return file;
  }
  return null;
}

/**
 * Closes the cell's shared master connection (`ssh -O exit`), e.g. when a profile is removed, the
 * app quits, or a test ends. No master running is not an error.
 */
export async function closeCellConnection(profile: CellProfile, ctx: SshContext): Promise<boolean> {
  const { forced } = await prepare(profile, ctx);
  const r = await runnerOf(ctx)(binOf(ctx, 'ssh'), controlArgv(profile, forced, 'exit'), { env: ctx.env, timeoutMs: 10_000 });
  return r.exitCode === 0;
}
