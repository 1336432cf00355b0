import type { CellProfile } from '../cell/profiles';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import { buildStatus, cellKeyText, cellStateOf, type CellStatus } from '../cell/status';
import { parseStatusReport, REMOTE_STATUS_COMMAND, statusScript } from '../cell/status-script';
import { CoreError } from '../errors';
import type { TrustRoot } from '../trust/trust-root';
import { parseProbe, type CellProbe } from './probe';
import { probeScript } from './remote-scripts';

/** The status script's last line; what follows it in the combined output is the probe's. */
const STATUS_END = '@@PIC-DONE\n';

/**
 * The cell's status (the same script and parser as getCellStatus) and the install probe in ONE
 * round trip: both scripts go on one stdin, one after the other, and the output is split where
 * the status report ends. Each part is parsed by its own strict parser, so a report cut short
 * is still an error, never a partial truth. The cell key comes from the status report's record
 * (cellKeyText), so the key an install is judged by is the one the status shows, read once; and
 * `cellState` fingerprints exactly those bytes for the re-check inside the lock (DESIGN 2.2).
 */
export async function readCellForInstall(profile: CellProfile, ctx: SshContext, serviceId: string, opts: { trustRoot: TrustRoot; signal?: AbortSignal; timeoutMs?: number }): Promise<{ status: CellStatus; probe: CellProbe; cellKey: ReturnType<typeof cellKeyText>; cellState: string }> {
  const started = performance.now();
  const r = await runRemote(profile, REMOTE_STATUS_COMMAND, ctx, {
    stdin: `${statusScript(profile.root)}${probeScript(profile.root, serviceId)}`,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: 128 * 1024 * 1024,
  });
  const cut = r.stdout.indexOf(STATUS_END);
  if (cut < 0) {
    if (r.exitCode !== 0) throw new CoreError('CELL_REPORT_INVALID', `the status script failed on the cell (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`);
    throw new CoreError('CONNECTION_LOST', 'the cell report was cut short (the connection was lost while reading it)');
  }
  const records = parseStatusReport(r.stdout.slice(0, cut + STATUS_END.length));
  const status = buildStatus(profile, records, opts.trustRoot);
  // buildStatus has checked that the key record is there.
  const cellKey = cellKeyText(records.find((x) => x.kind === 'cellkey')!);
  const probe = parseProbe(r.stdout.slice(cut + STATUS_END.length));
  return { status: { ...status, elapsedMs: Math.round(performance.now() - started) }, probe, cellKey, cellState: cellStateOf(records) };
}
