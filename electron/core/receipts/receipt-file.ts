import { open } from 'node:fs/promises';
import { writeFileAtomic } from '../data-dir';
import { CoreError, errorMessage } from '../errors';
import type { Receipt } from './receipt';
import { validateReceipt, type ReceiptProblem } from './receipt-schema';

/**
 * Export and import of single receipts (helpdesk, DESIGN 2.5). An exported file is the receipt
 * as pretty JSON; importing validates it fully, so a hand-edited or foreign file is rejected
 * with the JSON paths of what is wrong rather than half-shown.
 */
export const MAX_RECEIPT_FILE_BYTES = 4 * 1024 * 1024;

/** The exact text an exported receipt file holds. */
export function serializeReceipt(receipt: Receipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

/** Writes a receipt to a file atomically (a half-written export is never left behind). */
export async function exportReceipt(path: string, receipt: Receipt): Promise<void> {
  await writeFileAtomic(path, serializeReceipt(receipt), 0o644);
}

/** Parses and validates receipt text; throws RECEIPT_INVALID with the problems as details. */
export function parseReceiptText(text: string, source = 'the receipt'): Receipt {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new CoreError('RECEIPT_INVALID', `${source} is not valid JSON: ${errorMessage(e)}`);
  }
  const v = validateReceipt(value);
  if (!v.ok) throw invalid(source, v.problems);
  return v.receipt;
}

/** Reads an imported receipt file (bounded in size), validated. */
export async function importReceiptFile(path: string): Promise<Receipt> {
  let text: string;
  try {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new CoreError('RECEIPT_UNREADABLE', `${path} is not a regular file`);
      if (st.size > MAX_RECEIPT_FILE_BYTES) {
        throw new CoreError('RECEIPT_INVALID', `${path} is larger than ${MAX_RECEIPT_FILE_BYTES} bytes; a receipt is much smaller`);
      }
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('RECEIPT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`);
  }
  return parseReceiptText(text, path);
}

function invalid(source: string, problems: ReceiptProblem[]): CoreError {
  const list = problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ');
  return new CoreError('RECEIPT_INVALID', `${source} is not a valid PIC Store receipt (${list})`, { problems });
}
