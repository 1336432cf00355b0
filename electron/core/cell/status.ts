// Plain data for the UI, the CLI and install pre-flight: everything known about a cell, from one round trip.
import { CoreError, errorMessage } from '../errors';
import { parsePublicKeyPem } from '../trust/public-key';
import type { TrustRoot } from '../trust/trust-root';
import { MAX_CONFIG_BYTES, modeBanner, resolveMode, type ConfigRead, type ResolvedMode } from './mode';
import { isDefaultRoot, type CellProfile } from './profiles';
import { isValidServiceId } from './remote-quote';
import { parseContainers, readInstalled, type InstalledService } from './installed-inventory';
import { runRemote, type RemoteRunOptions } from './ssh';
import type { SshContext } from './ssh-context';
import { parseStatusReport, REMOTE_STATUS_COMMAND, STATUS_LIMITS, statusScript, type StatusRecord } from './status-script';

export interface CellKeyInfo {
  fingerprint: string;
  type: string;
  matchesTrustRoot: boolean;
}

export type { InstalledService, ContainerInfo, ContainerState, ContainerHealth, InstalledListing } from './installed-inventory';
export { installedReference } from './installed-inventory';

export type ContainerRuntime = 'docker compose' | 'docker-compose';

export interface CellStatus {
  destination: string;
  root: string;
  rootIsDefault: boolean;
  rootExists: boolean;
  mode: ResolvedMode;
  cellKey: CellKeyInfo | null;
  /** Why there is no usable cell key (absent, unreadable, not a key). */
  cellKeyProblem: string | null;
  runtime: ContainerRuntime | null;
  runtimeVersion: string | null;
  cosign: string | null;
  installed: InstalledService[];
  /** Directories under services/ that were skipped (not a valid id, too many). */
  skipped: string[];
  banner: string;
  notes: string[];
  checkedAt: string;
  elapsedMs: number;
}

interface CellStatusOptions extends Pick<RemoteRunOptions, 'signal' | 'timeoutMs'> {
  trustRoot: TrustRoot;
}

/**
 * Reads the cell's mode, key, runtime, cosign and installed services in ONE ssh round trip (over
 * the shared connection when one is up). Throws a CoreError when the cell cannot be reached —
 * and then, by DESIGN 2.2, nothing may be installed.
 */
export async function getCellStatus(profile: CellProfile, ctx: SshContext, opts: CellStatusOptions): Promise<CellStatus> {
  return (await readCellStatus(profile, ctx, opts)).status;
}

/**
 * The status and the fingerprint of the mode's and key's bytes it was built from (cellStateOf):
 * what an operation hands to its script, which re-reads both inside the cell lock and refuses to
 * go on when they changed (DESIGN 2.2, CELL_CHANGED).
 */
export async function readCellStatus(profile: CellProfile, ctx: SshContext, opts: CellStatusOptions): Promise<{ status: CellStatus; cellState: string }> {
  const started = performance.now();
  const r = await runRemote(profile, REMOTE_STATUS_COMMAND, ctx, {
    stdin: statusScript(profile.root),
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: 96 * 1024 * 1024,
  });
  if (r.exitCode !== 0 && !r.stdout.includes('@@PIC-DONE')) {
    throw new CoreError('CELL_REPORT_INVALID', `the status script failed on the cell (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`);
  }
  const records = parseStatusReport(r.stdout);
  const status = buildStatus(profile, records, opts.trustRoot);
  return { status: { ...status, elapsedMs: Math.round(performance.now() - started) }, cellState: cellStateOf(records) };
}

/** The cell's own fingerprint of the config and key records in the report (the status script's `cellstate`). */
export function cellStateOf(records: StatusRecord[]): string {
  const v = records.find((x) => x.kind === 'value' && x.name === 'cellstate')?.body.toString('utf8').trim();
  if (!v || !/^[0-9a-f]+$/.test(v)) throw new CoreError('CELL_REPORT_INVALID', 'the cell report lacks the fingerprint of its mode and key');
  return v;
}

/** Pure: from the parsed report to the status (unit-tested without a cell). */
export function buildStatus(profile: CellProfile, records: StatusRecord[], trustRoot: TrustRoot): CellStatus {
  const value = (name: string) => records.find((x) => x.kind === 'value' && x.name === name)?.body.toString('utf8');
  const config = records.find((x) => x.kind === 'config');
  const key = records.find((x) => x.kind === 'cellkey');
  if (!config || !key) throw new CoreError('CELL_REPORT_INVALID', 'the cell report lacks the config or key section');

  const mode = resolveMode(configReadOf(config));
  const { cellKey, cellKeyProblem } = readCellKey(key, trustRoot);
  const rt = value('runtime');
  const runtime: ContainerRuntime | null = rt === 'docker compose' || rt === 'docker-compose' ? rt : null;
  // Presence is reported apart from the version text: a cosign whose `version` prints nothing
  // (or fails) is still on the PATH, and its check must still run (DESIGN 2.2).
  const cosign = value('cosign') === 'present' ? parseCosignVersion(value('cosignversion') ?? '') : null;
  const installed: InstalledService[] = [];
  const skipped: string[] = [];
  const containerOf = parseContainers(value('containers-unavailable') === 'yes' ? null : (value('containers') ?? null));
  for (const rec of records.filter((x) => x.kind === 'receipt')) {
    if (!isValidServiceId(rec.name)) {
      skipped.push(rec.name);
      continue;
    }
    const manifest = records.find((x) => x.kind === 'manifest' && x.name === rec.name);
    installed.push(readInstalled(rec, manifest, containerOf(rec.name)));
  }
  if (value('truncated') === 'yes') skipped.push(`(more than ${STATUS_LIMITS.maxServices} service directories; the rest were not read)`);
  installed.sort((a, b) => a.id.localeCompare(b.id));

  const rootExists = value('root') === 'present';
  const rootIsDefault = isDefaultRoot(profile);
  const notes: string[] = [];
  if (!rootIsDefault) notes.push(`PIC root ${profile.root} (non-default)`);
  if (!rootExists) notes.push(`no PIC root at ${profile.root} on this host`);
  if (!cellKey) notes.push(`no usable cell key (${cellKeyProblem}): images cannot verify on this cell`);
  else if (!cellKey.matchesTrustRoot) notes.push("the cell's key differs from the app's trust root");
  if (!runtime) notes.push('no container runtime (docker compose / docker-compose) found');
  const banner = [modeBanner(mode), ...notes].join(' · ');
  return {
    destination: profile.destination,
    root: profile.root,
    rootIsDefault,
    rootExists,
    mode,
    cellKey,
    cellKeyProblem,
    runtime,
    runtimeVersion: value('runtimeversion')?.trim() || null,
    cosign,
    installed,
    skipped,
    banner,
    notes,
    checkedAt: new Date().toISOString(),
    elapsedMs: 0,
  };
}

function configReadOf(rec: StatusRecord): ConfigRead {
  switch (rec.status) {
    case 'absent':
      return { kind: 'absent' };
    case 'directory':
      return { kind: 'not-regular', fileType: 'directory' };
    case 'dangling':
      return { kind: 'not-regular', fileType: 'dangling symbolic link' };
    case 'special':
      return { kind: 'not-regular', fileType: 'special file' };
    case 'unreadable':
      return { kind: 'unreadable', reason: unreadableReason(rec.body) };
    case 'ok':
      return rec.body.length > MAX_CONFIG_BYTES ? { kind: 'too-large' } : { kind: 'bytes', bytes: rec.body };
  }
}

function unreadableReason(body: Buffer): string {
  const msg = body.toString('utf8').trim();
  const m = /:\s*([^:]+)$/.exec(msg);
  return `cell_config.json cannot be read (${m?.[1]?.trim() || msg || 'permission denied'})`;
}

/**
 * The cell key's text from the status report, by the one rule both the status and an install's
 * trust root use (an install builds its cell trust root from this same record: one read, one rule).
 */
export function cellKeyText(rec: StatusRecord): { pem: string; problem: null } | { pem: null; problem: string } {
  if (rec.status === 'absent') return { pem: null, problem: 'config/cosign/cosign.pub is absent' };
  if (rec.status !== 'ok') return { pem: null, problem: `config/cosign/cosign.pub is ${rec.status}` };
  if (rec.body.length >= STATUS_LIMITS.keyBytes) return { pem: null, problem: 'config/cosign/cosign.pub is too large to be a public key' };
  return { pem: rec.body.toString('utf8'), problem: null };
}

function readCellKey(rec: StatusRecord, trustRoot: TrustRoot): { cellKey: CellKeyInfo | null; cellKeyProblem: string | null } {
  const text = cellKeyText(rec);
  if (text.pem === null) return { cellKey: null, cellKeyProblem: text.problem };
  try {
    const k = parsePublicKeyPem(text.pem);
    return { cellKey: { fingerprint: k.fingerprint, type: k.type, matchesTrustRoot: trustRoot.keys.some((t) => t.fingerprint === k.fingerprint) }, cellKeyProblem: null };
  } catch (e) {
    return { cellKey: null, cellKeyProblem: `config/cosign/cosign.pub: ${errorMessage(e)}` };
  }
}

/** `cosign version` prints a table; the GitVersion line is the version people know. */
function parseCosignVersion(out: string): string {
  const m = /GitVersion:\s*(\S+)/.exec(out);
  if (m) return m[1]!;
  return out.trim().split('\n')[0]?.slice(0, 80) || 'unknown';
}
