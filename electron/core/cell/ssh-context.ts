import { runProcess, type ProcessRunner } from '../process-runner';
import { CoreError } from '../errors';
import type { CellProfile } from './profiles';
import { DEFAULT_SSH_TIMEOUTS, parseSshG, resolveArgv, type SshTarget, type SshTimeouts } from './ssh-options';

/** What every cell operation needs: where the app's state lives and how to start processes. */
export interface SshContext {
  dataDir: string;
  /** Injected so unit tests can fake processes; integration tests use the real one. */
  runner?: ProcessRunner;
  timeouts?: Partial<SshTimeouts>;
  /** Environment for ssh (SSH_AUTH_SOCK, HOME); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** The ssh client tools; overridable for odd installs. */
  bin?: { ssh?: string; sshKeyscan?: string; sshKeygen?: string; sshAdd?: string };
}

export function timeoutsOf(ctx: SshContext): SshTimeouts {
  return { ...DEFAULT_SSH_TIMEOUTS, ...ctx.timeouts };
}

export function runnerOf(ctx: SshContext): ProcessRunner {
  return ctx.runner ?? runProcess;
}

export function binOf(ctx: SshContext, tool: 'ssh' | 'sshKeyscan' | 'sshKeygen' | 'sshAdd'): string {
  const defaults = { ssh: 'ssh', sshKeyscan: 'ssh-keyscan', sshKeygen: 'ssh-keygen', sshAdd: 'ssh-add' };
  return ctx.bin?.[tool] ?? defaults[tool];
}

/**
 * Asks the admin's own ssh where a destination really goes (`ssh -G`: config, aliases, ports),
 * so host-key checks and key scans look at the same host and port the connection will use.
 */
export async function resolveTarget(profile: CellProfile, ctx: SshContext, signal?: AbortSignal): Promise<SshTarget> {
  const r = await runnerOf(ctx)(binOf(ctx, 'ssh'), resolveArgv(profile), { timeoutMs: 10_000, signal, env: ctx.env, maxOutputBytes: 256 * 1024 });
  if (r.exitCode !== 0) {
    throw new CoreError('SSH_CONFIG_INVALID', `ssh could not read the configuration for ${profile.destination}: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`);
  }
  return parseSshG(r.stdout);
}

/** "host:port" as people read it, for messages. */
export function describeTarget(profile: CellProfile, t: SshTarget): string {
  const hp = `${t.hostname}:${t.port}`;
  return profile.destination.includes(t.hostname) ? profile.destination + (t.port === 22 ? '' : ` (port ${t.port})`) : `${profile.destination} (${hp})`;
}
