// Host keys, done the way a careful admin does it: a host nobody has confirmed is never trusted
// on first use. Its key is fetched with `ssh-keyscan` from the host and port `ssh -G` resolved,
// shown as a SHA256 fingerprint, and written to the app's own known_hosts only when a person
// confirms exactly that fingerprint.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { dataPaths, fsyncDir } from '../data-dir';
import { CoreError } from '../errors';
import { withFileLock } from '../file-lock';
import type { CellProfile } from './profiles';
import { binOf, describeTarget, resolveTarget, runnerOf, timeoutsOf, type SshContext } from './ssh-context';
import type { SshTarget } from './ssh-options';

export interface HostKey {
  type: string;
  /** The key blob, base64 as in known_hosts. */
  key: string;
  /** `SHA256:…` exactly as `ssh-keygen -l` and ssh's own prompt print it. */
  fingerprint: string;
  known: boolean;
}

type HostKeyState = 'known' | 'unknown' | 'changed';

interface HostKeyProbe {
  /** The name used in known_hosts: `host`, `[host]:port`, or the HostKeyAlias. */
  hostToken: string;
  hostname: string;
  port: number;
  state: HostKeyState;
  keys: HostKey[];
  /** Shown to people: the key ssh will most likely use (ed25519 first), for the confirm dialog. */
  preferred: HostKey | null;
}

const TYPE_ORDER = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'ssh-rsa'];

function fingerprintOfKey(base64Key: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

function hostTokenOf(t: Pick<SshTarget, 'hostname' | 'port' | 'hostKeyAlias'>): string {
  if (t.hostKeyAlias) return t.hostKeyAlias;
  return t.port === 22 ? t.hostname : `[${t.hostname}]:${t.port}`;
}

/** Parses known_hosts-format lines (`ssh-keyscan`, `ssh-keygen -F`) into type + key. */
function parseKeyLines(text: string): Array<{ type: string; key: string }> {
  const out: Array<{ type: string; key: string }> = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    // Optional leading marker (@cert-authority / @revoked) is skipped: such lines are not plain keys.
    if (parts[0]?.startsWith('@')) continue;
    const [, type, key] = parts;
    if (type && key && /^[A-Za-z0-9+/=]+$/.test(key)) out.push({ type, key });
  }
  return out;
}

async function scan(target: SshTarget, ctx: SshContext, signal?: AbortSignal): Promise<Array<{ type: string; key: string }>> {
  if (target.proxied) {
    throw new CoreError(
      'HOST_KEY_SCAN_UNSUPPORTED',
      `${target.hostname} is reached through a jump host or proxy, so its key cannot be fetched directly; add it to your own known_hosts with ssh, then retry`,
    );
  }
  const secs = Math.max(1, timeoutsOf(ctx).connectTimeoutSec);
  const r = await runnerOf(ctx)(binOf(ctx, 'sshKeyscan'), ['-T', String(secs), '-p', String(target.port), '--', target.hostname], {
    timeoutMs: (secs + 5) * 1000,
    signal,
    env: ctx.env,
    maxOutputBytes: 256 * 1024,
  });
  const keys = parseKeyLines(r.stdout);
  if (keys.length === 0) {
    throw new CoreError('CELL_UNREACHABLE', `could not fetch a host key from ${target.hostname} port ${target.port}: ${r.stderr.trim().split('\n').slice(-1)[0] || 'no answer'}`);
  }
  return keys;
}

/** Keys recorded for `hostToken` in the given known_hosts files (hashed entries included). */
async function recordedKeys(hostToken: string, files: string[], ctx: SshContext, signal?: AbortSignal): Promise<Array<{ type: string; key: string }>> {
  const found: Array<{ type: string; key: string }> = [];
  for (const file of files) {
    try {
      if (!(await stat(file)).isFile()) continue;
    } catch {
      continue;
    }
    const r = await runnerOf(ctx)(binOf(ctx, 'sshKeygen'), ['-F', hostToken, '-f', file], { timeoutMs: 10_000, signal, env: ctx.env, maxOutputBytes: 1024 * 1024 });
    if (r.exitCode === 0) found.push(...parseKeyLines(r.stdout));
  }
  return found;
}

function allKnownHostsFiles(target: SshTarget, dataDir: string): string[] {
  const files = [...target.userKnownHostsFiles, ...target.globalKnownHostsFiles, dataPaths(dataDir).knownHosts];
  return [...new Set(files.filter((f) => f !== 'none' && f !== '/dev/null'))];
}

/**
 * What the host presents now and whether it matches what is recorded. Only the host's public
 * keys are fetched (ssh-keyscan never authenticates), so nothing about the admin is sent.
 */
export async function probeHostKey(profile: CellProfile, ctx: SshContext, signal?: AbortSignal): Promise<HostKeyProbe> {
  const target = await resolveTarget(profile, ctx, signal);
  const hostToken = hostTokenOf(target);
  const scanned = await scan(target, ctx, signal);
  const recorded = await recordedKeys(hostToken, allKnownHostsFiles(target, ctx.dataDir), ctx, signal);
  const keys: HostKey[] = scanned
    .map((k) => ({ ...k, fingerprint: fingerprintOfKey(k.key), known: recorded.some((r) => r.type === k.type && r.key === k.key) }))
    .sort((a, b) => rank(a.type) - rank(b.type));
  const state: HostKeyState = keys.some((k) => k.known) ? 'known' : recorded.length > 0 ? 'changed' : 'unknown';
  return { hostToken, hostname: target.hostname, port: target.port, state, keys, preferred: keys[0] ?? null };
}

function rank(type: string): number {
  const i = TYPE_ORDER.indexOf(type);
  return i < 0 ? TYPE_ORDER.length : i;
}

/**
 * Records the host key whose fingerprint a person confirmed, in the app's known_hosts. The key is
 * fetched again and must still have exactly that fingerprint, so what is recorded is what was
 * shown. A host whose recorded key differs is refused here too: replacing a key is a deliberate
 * act outside this flow.
 */
export async function confirmHostKey(profile: CellProfile, fingerprint: string, ctx: SshContext, signal?: AbortSignal): Promise<HostKey> {
  const want = fingerprint.trim();
  if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(want)) {
    throw new CoreError('INVALID_FINGERPRINT', `"${want.slice(0, 80)}" is not a SHA256 host key fingerprint (SHA256: followed by 43 characters)`);
  }
  const probe = await probeHostKey(profile, ctx, signal);
  const target = await resolveTarget(profile, ctx, signal);
  if (probe.state === 'changed') {
    throw new CoreError(
      'HOST_KEY_CHANGED',
      `REMOTE HOST IDENTIFICATION HAS CHANGED for ${describeTarget(profile, target)}: a different key is already recorded for ${probe.hostToken}; not replacing it. Remove the old entry deliberately (ssh-keygen -R) if the cell was reinstalled.`,
    );
  }
  const key = probe.keys.find((k) => k.fingerprint === want);
  if (!key) {
    throw new CoreError(
      'HOST_KEY_MISMATCH',
      `${describeTarget(profile, target)} does not present a key with fingerprint ${want} (it presents ${probe.keys.map((k) => k.fingerprint).join(', ')}); nothing was recorded`,
    );
  }
  if (key.known) return key;
  const file = dataPaths(ctx.dataDir).knownHosts;
  // Under the file's lock and re-read inside it (DESIGN 2.6): two confirmations at once never
  // interleave, and one that another window recorded meanwhile is not appended twice.
  return withFileLock(file, async () => {
    const recorded = await recordedKeys(probe.hostToken, [file], ctx, signal);
    if (recorded.some((r) => r.type === key.type && r.key === key.key)) return { ...key, known: true };
    const matchesHost = probe.keys.some((k) => recorded.some((r) => r.type === k.type && r.key === k.key));
    if (recorded.length > 0 && !matchesHost) {
      throw new CoreError('HOST_KEY_CHANGED', `a different key was recorded for ${probe.hostToken} meanwhile; not adding ${want}`);
    }
    await appendDurably(file, `${probe.hostToken} ${key.type} ${key.key}\n`);
    return { ...key, known: true };
  });
}

/** Appends a line — never a rewrite, so entries confirmed earlier are never at risk — and fsyncs it. */
async function appendDurably(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readFile(file, 'utf8').catch(() => '');
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const fh = await open(file, 'a', 0o600);
  try {
    await fh.writeFile(`${sep}${line}`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (existing === '') await fsyncDir(dirname(file));
}
