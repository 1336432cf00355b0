// The receipts a cell keeps in `<root>/store/receipts.jsonl` (DESIGN 2.5), read on demand for the
// helpdesk. Bounded: only the newest 4 MiB travel over SSH (a cell's log only grows), and torn or
// corrupt lines are reported by `queryReceiptLines`, never fatal.
import { CoreError } from '../errors';
import { queryReceiptLines, type ActivityPage, type ActivityQuery } from '../receipts/activity-query';
import type { CellProfile } from './profiles';
import { assertRemoteRoot, quoteRemoteArg } from './remote-quote';
import { runRemote, type RemoteRunOptions } from './ssh';
import type { SshContext } from './ssh-context';

export const MAX_CELL_RECEIPTS_BYTES = 4 * 1024 * 1024;

export interface CellReceiptsPage extends ActivityPage {
  /** False when the cell has no receipts file yet (nothing installed through a store). */
  exists: boolean;
  /** The file's full size on the cell, in bytes. */
  sizeBytes: number;
}

/** The remote command: the file's size on the first line, then at most its last MAX bytes. */
function cellReceiptsCommand(root: string): string {
  const file = quoteRemoteArg(`${assertRemoteRoot(root).replace(/\/+$/, '')}/store/receipts.jsonl`);
  return `if [ -f ${file} ]; then wc -c < ${file} && tail -c ${MAX_CELL_RECEIPTS_BYTES} ${file}; else echo absent; fi`;
}

/** Pure: the command's output to a page (unit-testable without a cell). */
function parseCellReceipts(stdout: string, query: ActivityQuery = {}): CellReceiptsPage {
  const nl = stdout.indexOf('\n');
  const head = (nl < 0 ? stdout : stdout.slice(0, nl)).trim();
  if (head === 'absent') return { ...queryReceiptLines(Buffer.alloc(0), query), exists: false, sizeBytes: 0 };
  if (!/^\d+$/.test(head)) throw new CoreError('CELL_REPORT_INVALID', `unexpected answer reading the cell's receipts: "${head.slice(0, 80)}"`);
  const sizeBytes = Number(head);
  const body = Buffer.from(nl < 0 ? '' : stdout.slice(nl + 1), 'utf8');
  return { ...queryReceiptLines(body, query, { truncatedHead: sizeBytes > MAX_CELL_RECEIPTS_BYTES }), exists: true, sizeBytes };
}

/** One SSH round trip (over the cell's shared connection when one is up). */
export async function readCellReceipts(profile: CellProfile, ctx: SshContext, query: ActivityQuery = {}, opts: Pick<RemoteRunOptions, 'signal' | 'timeoutMs'> = {}): Promise<CellReceiptsPage> {
  const r = await runRemote(profile, cellReceiptsCommand(profile.root), ctx, { ...opts, maxOutputBytes: MAX_CELL_RECEIPTS_BYTES + 64 * 1024 });
  if (r.exitCode !== 0) throw new CoreError('CELL_RECEIPTS_UNREADABLE', `the cell's receipts could not be read (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`);
  return parseCellReceipts(r.stdout, query);
}
