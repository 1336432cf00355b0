import { dataPaths } from '../../core/data-dir';
import { readActivity } from '../../core/receipts/activity-log';
import type { ActivityQuery } from '../../core/receipts/activity-query';
import { RECEIPT_ACTIONS, RECEIPT_OUTCOMES, type Receipt, type ReceiptAction, type ReceiptOutcome } from '../../core/receipts/receipt';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';
import { terminalLines } from '../../core/terminal-text';
import { explainRefusal, reasonTitle } from '../../core/catalogue/reason-catalogue';
import { exportReceipt } from '../../core/receipts/receipt-file';
import { resolve } from 'node:path';
import { receiptById } from './receipt-arg';

const DEFAULT_LIMIT = 50;

/**
 * `pic-store activity [--json] [--limit N]` (DESIGN 2.4): the local activity log, newest first.
 * Filters mirror the Activity view so helpdesk can script the same questions.
 * `--export ID FILE` writes that receipt to a new .json file, as the Activity view's Export does.
 */
export async function activityCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    outcome: { type: 'string' },
    action: { type: 'string' },
    cell: { type: 'string' },
    service: { type: 'string' },
    reason: { type: 'string' },
    export: { type: 'string' },
  });
  if (values.export !== undefined) return exportById(values.export, positionals, io, ctx, Boolean(values.json));
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const query: ActivityQuery = {
    limit: count(values.limit, 'limit', DEFAULT_LIMIT, 1),
    offset: count(values.offset, 'offset', 0, 0),
    outcome: oneOf<ReceiptOutcome>(values.outcome, 'outcome', RECEIPT_OUTCOMES),
    action: oneOf<ReceiptAction>(values.action, 'action', RECEIPT_ACTIONS),
    cell: values.cell,
    service: values.service,
    reason: values.reason,
  };
  const log = dataPaths(ctx.dataDir).activity;
  const page = await readActivity(log, query);

  if (values.json) {
    printJson(io, { receipts: page.receipts, total: page.total, offset: page.offset, skipped: page.skipped });
  } else if (page.receipts.length === 0) {
    io.out(terminalLines(page.total === 0 ? `No activity recorded (${log}).` : `No receipts on this page (${page.total} in all).`));
  } else {
    io.out(terminalLines(...page.receipts.map(receiptLine)));
    if (page.total > page.offset + page.receipts.length) {
      io.out(`… ${page.total - page.offset - page.receipts.length} older; use --offset ${page.offset + page.receipts.length}\n`);
    }
  }
  if (page.skippedCount > 0) {
    const first = page.skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
    io.err(terminalLines(`warning: ${page.skippedCount} line(s) of ${log} could not be read and were skipped (${first})`));
  }
  return EXIT.ok;
}

async function exportById(id: string, positionals: string[], io: CliIo, ctx: CliContext, json: boolean): Promise<ExitCode> {
  if (positionals.length !== 1) throw new UsageError('--export needs the receipt id and then one FILE to write (a new .json file)');
  const receipt = await receiptById(id, ctx);
  const path = resolve(io.cwd, positionals[0]!);
  const { bytes } = await exportReceipt(path, receipt);
  if (json) printJson(io, { exported: { id, path, bytes } });
  else io.out(terminalLines(`Receipt ${id} written to ${path}.`));
  return EXIT.ok;
}

/** One receipt on one line: when, what, where, and why — enough to pick one to explain. */
export function receiptLine(r: Receipt): string {
  // The catalogue's short words first, the code after them for searching and tickets.
  const why = r.verification
    ? `${reasonTitle(r.verification.reason)} (${r.verification.reason})`
    : r.error ? `${explainRefusal(r.error.code, r.error.message)?.title ?? 'failed'} (${r.error.code})` : '-';
  const mode = r.mode ? `mode ${r.mode.value} (${r.mode.source})` : 'cell unreachable';
  const cell = r.cell.name === r.cell.destination ? r.cell.name : `${r.cell.name} (${r.cell.destination})`;
  return [
    r.at.replace(/\.\d{3}Z$/, 'Z'),
    r.action.padEnd(9),
    `${r.service.id} ${r.service.version}`,
    `→ ${cell}`,
    r.outcome.padEnd(11),
    why,
    mode,
    r.id,
  ].join('  ');
}

function count(raw: string | undefined, name: string, dflt: number, min: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} needs a whole number${min > 0 ? ` ≥ ${min}` : ''}, got "${raw}"`);
  return Number(raw);
}

function oneOf<T extends string>(raw: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}
