// How the system `ssh` is invoked (DESIGN 2.4): always the admin's own client and config, but
// with the safety options forced ON THE COMMAND LINE, where they beat any config file — host-key
// checking strict, no prompts, the app's known_hosts added to the user's, one multiplexed
// connection per cell in a private directory, keepalives and timeouts.
import { createHash } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths } from '../data-dir';
import { CoreError } from '../errors';
import { assertDestination, type CellProfile } from './profiles';

export interface SshTimeouts {
  /** TCP connect + SSH handshake (ssh ConnectTimeout). */
  connectTimeoutSec: number;
  /** Keepalive probes: a frozen cell is detected after interval × count seconds. */
  serverAliveIntervalSec: number;
  serverAliveCountMax: number;
  /** How long the shared master connection stays up after the last command. */
  controlPersistSec: number;
}

export const DEFAULT_SSH_TIMEOUTS: SshTimeouts = {
  connectTimeoutSec: 10,
  serverAliveIntervalSec: 5,
  serverAliveCountMax: 3,
  controlPersistSec: 120,
};

/** What `ssh -G` resolved for a destination: the host and port the connection really goes to. */
export interface SshTarget {
  hostname: string;
  port: number;
  user: string;
  hostKeyAlias: string | undefined;
  /** The user's known_hosts files as their config says (the app's file is added to these). */
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  identityFiles: string[];
  /** A ProxyJump / ProxyCommand is configured: ssh-keyscan cannot reach such a host directly. */
  proxied: boolean;
}

/** `-F`, `-p`, `-i` from the profile: the options both `ssh -G` and the real connection take. */
function profileOptions(profile: CellProfile): string[] {
  const args: string[] = [];
  if (profile.sshConfig) args.push('-F', profile.sshConfig);
  if (profile.port !== undefined) args.push('-p', String(profile.port));
  if (profile.identityFile) args.push('-i', profile.identityFile);
  return args;
}

/** `ssh -G` arguments: resolve the configuration without connecting. */
export function resolveArgv(profile: CellProfile): string[] {
  return ['-G', ...profileOptions(profile), '--', assertDestination(profile.destination)];
}

/** One path for ssh's whitespace-separated file lists (ssh's own parser honours double quotes). */
export function sshPathWord(path: string): string {
  if (/["\0\n\r]/.test(path)) throw new CoreError('INVALID_PATH', `ssh cannot be given the path ${JSON.stringify(path)}`);
  return /\s/.test(path) ? `"${path}"` : path;
}

interface ForcedOptionsInput {
  dataDir: string;
  controlDir: string;
  target: Pick<SshTarget, 'userKnownHostsFiles'>;
  timeouts: SshTimeouts;
}

/** The `-o` options forced on every connection, whatever the user's or a given config says. */
export function forcedOptions(i: ForcedOptionsInput): string[] {
  const knownHosts = [...i.target.userKnownHostsFiles.filter((f) => f !== 'none'), dataPaths(i.dataDir).knownHosts];
  const o = (kv: string) => ['-o', kv];
  return [
    ...o('BatchMode=yes'),
    ...o('StrictHostKeyChecking=yes'),
    ...o(`UserKnownHostsFile=${knownHosts.map(sshPathWord).join(' ')}`),
    ...o('UpdateHostKeys=no'),
    ...o(`ConnectTimeout=${i.timeouts.connectTimeoutSec}`),
    ...o(`ServerAliveInterval=${i.timeouts.serverAliveIntervalSec}`),
    ...o(`ServerAliveCountMax=${i.timeouts.serverAliveCountMax}`),
    ...o('ControlMaster=auto'),
    ...o(`ControlPath=${sshPathWord(join(i.controlDir, '%C'))}`),
    ...o(`ControlPersist=${i.timeouts.controlPersistSec}`),
    // A remote command must never be turned into a local one by a config file.
    ...o('PermitLocalCommand=no'),
    ...o('ClearAllForwardings=yes'),
    ...o('RequestTTY=no'),
  ];
}

/** Full argv for running `remoteCommand` on the cell; the destination always comes after `--`. */
export function connectArgv(profile: CellProfile, forced: string[], remoteCommand: string): string[] {
  return [...profileOptions(profile), ...forced, '-T', '--', assertDestination(profile.destination), remoteCommand];
}

/** Argv for `ssh -O <op>` against the shared master (check / exit). */
export function controlArgv(profile: CellProfile, forced: string[], op: 'check' | 'exit'): string[] {
  return [...profileOptions(profile), ...forced, '-O', op, '--', assertDestination(profile.destination)];
}

/** Parses `ssh -G` output (lowercase keywords, one per line) into the target. */
export function parseSshG(out: string): SshTarget {
  const values = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const k = m[1]!.toLowerCase();
    values.set(k, [...(values.get(k) ?? []), m[2]!]);
  }
  const one = (k: string) => values.get(k)?.[0];
  const port = Number(one('port') ?? '22');
  const hostname = one('hostname');
  if (!hostname) throw new CoreError('SSH_CONFIG_INVALID', 'ssh -G did not report a host name');
  const split = (k: string) => (values.get(k) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const proxyCommand = one('proxycommand');
  const proxyJump = one('proxyjump');
  return {
    hostname,
    port: Number.isInteger(port) && port > 0 ? port : 22,
    user: one('user') ?? '',
    hostKeyAlias: one('hostkeyalias'),
    userKnownHostsFiles: split('userknownhostsfile'),
    globalKnownHostsFiles: split('globalknownhostsfile'),
    identityFiles: values.get('identityfile') ?? [],
    proxied: Boolean((proxyCommand && proxyCommand !== 'none') || (proxyJump && proxyJump !== 'none')),
  };
}

/**
 * The private directory holding master-connection sockets. Unix socket paths are short (~104
 * bytes) and ssh appends a 17-character suffix while creating one, so the data directory is used
 * only when its path is short; otherwise a per-user, per-data-dir directory under the temp dir.
 * Either way it must be ours and 0700, or we refuse to put sockets there.
 */
export async function ensureControlDir(dataDir: string): Promise<string> {
  const inData = join(dataDir, 'ssh-mux');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 10);
  const dir = inData.length <= 40 ? inData : join(tmpdir(), `pic-store-${uid}-${tag}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new CoreError('CONTROL_DIR_UNSAFE', `${dir} must be a directory owned by you with mode 0700; refusing to keep ssh connection sockets there`);
  }
  return dir;
}
