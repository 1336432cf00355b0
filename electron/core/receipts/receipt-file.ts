// Export and import of single receipts (helpdesk, DESIGN 2.5). An exported file is the receipt
// as pretty JSON; importing validates it fully, so a hand-edited or foreign file is rejected
// with the JSON paths of what is wrong rather than half-shown.
import { describeJsonSyntaxError } from '../json-syntax';
import { CoreError, errorMessage, isCoreError } from '../errors';
import { readUserFile, writeNewJsonFile } from '../user-file';
import type { Receipt } from './receipt';
import { knownReceiptFields, validateReceipt, type ReceiptProblem } from './receipt-schema';

const MAX_RECEIPT_FILE_BYTES = 4 * 1024 * 1024;

/** The exact text an exported receipt file holds. */
export function serializeReceipt(receipt: Receipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

/**
 * Writes a receipt to a NEW file (DESIGN 3: files are chosen in main, and an export must never be
 * a way to replace someone's file): the name must end in `.json`, the parent directory must
 * already exist (nothing is created on the way), and the file is opened with O_CREAT|O_EXCL, so
 * an existing file — or a symbolic link, even a dangling one — is refused, never overwritten.
 * Only the schema's known fields are written. A write that fails removes the half-written file.
 */
export async function exportReceipt(path: string, receipt: Receipt): Promise<{ bytes: number }> {
  return writeNewJsonFile(path, serializeReceipt(knownReceiptFields(receipt)), 'an exported receipt');
}

/** Parses and validates receipt text; throws RECEIPT_INVALID with the problems as details. */
export function parseReceiptText(text: string, source = 'the receipt'): Receipt {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // Where, never what: the engine's message would quote the start of the file (DESIGN 3 — the renderer sees this).
    throw new CoreError('RECEIPT_INVALID', `${source} is not valid JSON: ${describeJsonSyntaxError(body)}`);
  }
  const v = validateReceipt(value);
  if (!v.ok) throw invalid(source, v.problems);
  return v.receipt;
}

/** Reads an imported receipt file: a regular file only (a FIFO is never opened), bounded in size, validated. */
export async function importReceiptFile(path: string): Promise<Receipt> {
  let text: string;
  try {
    text = await readUserFile(path, MAX_RECEIPT_FILE_BYTES);
  } catch (e) {
    if (isCoreError(e) && e.code === 'FILE_TOO_LARGE') throw new CoreError('RECEIPT_INVALID', `${e.message}; a receipt is much smaller`);
    throw new CoreError('RECEIPT_UNREADABLE', errorMessage(e));
  }
  return parseReceiptText(text, path);
}

function invalid(source: string, problems: ReceiptProblem[]): CoreError {
  const list = problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ');
  return new CoreError('RECEIPT_INVALID', `${source} is not a valid PIC Store receipt (${list})`, { problems });
}
