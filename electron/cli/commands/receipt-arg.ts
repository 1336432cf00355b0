// The receipt a helpdesk command names (DESIGN 2.4: "a file, or the id `activity` prints"): a
// receipt file when something exists at that path, else an id looked up in the local activity log.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dataPaths } from '../../core/data-dir';
import { findReceipt } from '../../core/receipts/activity-log';
import type { Receipt } from '../../core/receipts/receipt';
import { importReceiptFile } from '../../core/receipts/receipt-file';
import { UsageError } from '../args';
import type { CliContext } from '../context';
import type { CliIo } from '../io';

/** Receipt ids are UUIDs; anything with a path separator or a .json ending is meant as a file. */
const LOOKS_LIKE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

export async function receiptFromFileOrId(arg: string, io: CliIo, ctx: CliContext): Promise<Receipt> {
  const path = resolve(io.cwd, arg);
  const exists = await stat(path).then(() => true, () => false);
  if (exists || !LOOKS_LIKE_ID.test(arg)) return importReceiptFile(path);
  return receiptById(arg, ctx);
}

/** A receipt of the local activity log by id; an id the log does not hold is a usage error. */
export async function receiptById(id: string, ctx: CliContext): Promise<Receipt> {
  const receipt = await findReceipt(dataPaths(ctx.dataDir).activity, id);
  if (!receipt) throw new UsageError(`no receipt with id "${id}" in the activity log; "pic-store activity" lists the ids`);
  return receipt;
}
