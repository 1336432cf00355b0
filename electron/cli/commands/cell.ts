// `pic-store cell status DEST [--ssh-config FILE] [--root PATH] [--json]` (DESIGN 2.4); DEST is
// a cell profile's name or an OpenSSH destination (resolveCliCell).
//
// The CLI never trusts a host on first use and never prompts: an unknown host key is refused
// (exit 3) with its fingerprint, and the admin re-runs with `--accept-host-key SHA256:…` after
// comparing it — which records exactly that key in the app's known_hosts, as the app's dialog does.
import { resolve } from 'node:path';
import { CoreError } from '../../core/errors';
import { confirmHostKey } from '../../core/cell/host-keys';
import { adHocProfile, getCellProfile, type CellProfile } from '../../core/cell/profiles';
import type { SshContext } from '../../core/cell/ssh-context';
import { getCellStatus, type CellStatus } from '../../core/cell/status';
import { terminalLines } from '../../core/terminal-text';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';

export async function cellCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub !== 'status') throw new UsageError(sub ? `unknown cell command "${sub}" (expected: status)` : 'missing cell command (expected: status DEST)');
  const { values, positionals } = parseCommandArgs(rest, {
    json: { type: 'boolean' },
    'ssh-config': { type: 'string' },
    root: { type: 'string' },
    port: { type: 'string' },
    identity: { type: 'string' },
    'accept-host-key': { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing DEST (a cell profile name, user@host or a Host alias)' : `unexpected argument "${positionals[1]}"`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new UsageError('--port must be 1–65535');
  const timeoutSec = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutSec !== undefined && (!Number.isFinite(timeoutSec) || timeoutSec <= 0)) throw new UsageError('--timeout must be a positive number of seconds');

  const profile = await resolveCliCell(positionals[0]!, {
    root: values.root,
    port,
    identityFile: values.identity,
    sshConfig: values['ssh-config'] && resolve(io.cwd, values['ssh-config']),
  }, ctx.dataDir);
  const ssh: SshContext = { dataDir: ctx.dataDir };
  if (values['accept-host-key']) await confirmHostKey(profile, values['accept-host-key'], ssh);
  const trustRoot = await ctx.trustRoot();

  let status: CellStatus;
  try {
    status = await getCellStatus(profile, ssh, { trustRoot, ...(timeoutSec ? { timeoutMs: timeoutSec * 1000 } : {}) });
  } catch (e) {
    if (e instanceof CoreError && e.code === 'HOST_KEY_UNKNOWN' && typeof e.details?.fingerprint === 'string') {
      throw new CoreError(e.code, `${e.message}. To trust it, re-run with --accept-host-key ${e.details.fingerprint}`, e.details);
    }
    throw e;
  }

  if (values.json) {
    printJson(io, {
      mode: status.mode,
      cellKey: status.cellKey ? { fingerprint: status.cellKey.fingerprint, matchesTrustRoot: status.cellKey.matchesTrustRoot } : null,
      runtime: status.runtime,
      cosign: status.cosign,
      installed: status.installed.map((s) => ({ id: s.id, version: s.version, digest: s.digest, signers: s.signers ?? [], container: { state: s.container?.state ?? 'unknown', health: s.container?.health ?? null } })),
    });
    return EXIT.ok;
  }
  io.out(formatCellStatus(status));
  return EXIT.ok;
}

/** The status as text for a terminal: every line terminal-safe, since most of it comes from the cell. */
export function formatCellStatus(s: CellStatus): string {
  const lines = [
    `${s.destination} — PIC root ${s.root}${s.rootIsDefault ? '' : ' (non-default)'}`,
    `  ${s.banner}`,
    `  mode:     ${s.mode.value} (${s.mode.source}: ${s.mode.detail})`,
    `  cell key: ${s.cellKey ? `${s.cellKey.fingerprint} (${s.cellKey.matchesTrustRoot ? "matches the app's trust root" : "differs from the app's trust root"})` : `none — ${s.cellKeyProblem}`}`,
    `  runtime:  ${s.runtime ? `${s.runtime}${s.runtimeVersion ? ` ${s.runtimeVersion}` : ''}` : 'none found'}`,
    `  cosign:   ${s.cosign ?? 'not on the cell PATH'}`,
    `  installed (${s.installed.length}):`,
    ...s.installed.map((i) => `    ${i.id}  ${i.version ?? '?'}  ${i.digest ?? '?'}  ${containerText(i.container)}${i.problem ? `  (${i.problem})` : ''}`),
    ...(s.skipped.length ? [`  skipped under services/: ${s.skipped.map((x) => JSON.stringify(x)).join(', ')}`] : []),
  ];
  return terminalLines(...lines);
}

/**
 * The cell a command's DEST names (DESIGN 2.4): the app's cell profile of that name in cells.json
 * — its destination, port, identity, root and ssh config — or else an OpenSSH destination with the
 * defaults. Options given on the command line override the profile's. A cells.json that cannot be
 * read is an error, never a silent fall-back: DEST may well have meant one of its profiles.
 */
export async function resolveCliCell(dest: string, options: { root?: string; port?: number; identityFile?: string; sshConfig?: string }, dataDir: string): Promise<CellProfile> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== ''));
  const saved = await getCellProfileByName(dataDir, dest);
  if (!saved) return cliCellProfile({ destination: dest, ...given });
  const { id, ...fields } = saved;
  return { ...cliCellProfile({ ...fields, ...given }), id };
}

async function getCellProfileByName(dataDir: string, name: string): Promise<CellProfile | undefined> {
  const found = await getCellProfile(dataDir, name);
  return found?.name === name ? found : undefined;
}

/** "running (healthy)", "exited", "missing": the container as the runtime reported it. */
export function containerText(c: { state: string; health: string | null } | undefined): string {
  if (!c) return 'container unknown';
  return `${c.state}${c.health ? ` (${c.health})` : ''}`;
}

/**
 * The one-off cell profile of a command (cell status, install, uninstall). A destination or root
 * the profile rules refuse — a DEST starting with "-" among them — is a usage error, exit 2
 * (DESIGN 2.4), the same for every command that takes one.
 */
export function cliCellProfile(input: Parameters<typeof adHocProfile>[0]): CellProfile {
  try {
    return adHocProfile(input);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'INVALID_PROFILE') throw new UsageError(e.message);
    throw e;
  }
}
