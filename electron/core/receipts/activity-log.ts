// The local activity log (DESIGN 2.5, 2.6): receipts as JSON lines in `activity.jsonl`,
// append-only and fsync'd per receipt, so a crash loses at most the line being written — and a
// torn line never swallows the next receipt (see appendReceipt). Nothing here ever rewrites or
// truncates the file.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from '../data-dir';
import { CoreError, errorMessage } from '../errors';
import type { Receipt } from './receipt';
import { queryReceiptLines, type ActivityPage, type ActivityQuery } from './activity-query';

/** Beyond this, only the newest part of the log is read (and the cut is reported). */
const MAX_ACTIVITY_READ_BYTES = 256 * 1024 * 1024;

/**
 * Appends one receipt and fsyncs it before resolving: when this returns, the receipt survives a
 * crash or power loss. If the file's last line was torn by an earlier crash (no final newline),
 * a newline is written first so the new receipt starts on a line of its own.
 */
export async function appendReceipt(logPath: string, receipt: Receipt): Promise<void> {
  const line = `${JSON.stringify(receipt)}\n`;
  await mkdir(dirname(logPath), { recursive: true, mode: 0o700 });
  let fh: FileHandle;
  try {
    fh = await open(logPath, 'a+', 0o600);
  } catch (e) {
    throw new CoreError('ACTIVITY_LOG_UNWRITABLE', `cannot open the activity log ${logPath}: ${errorMessage(e)}`);
  }
  try {
    const { size } = await fh.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await writeAll(fh, Buffer.from(prefix + line, 'utf8'));
    await fh.sync();
    if (size === 0) await fsyncDir(dirname(logPath));
  } catch (e) {
    throw new CoreError('ACTIVITY_LOG_UNWRITABLE', `cannot append to the activity log ${logPath}: ${errorMessage(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  // Bounded: every round writes at least one byte or throws.
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
    off += bytesWritten;
  }
}

/**
 * Reads a page of the log, newest first, with filters. The file is read once; lines are parsed
 * lazily from the end. A missing log is an empty one; an unreadable one is an error (never
 * silently treated as empty).
 */
export async function readActivity(logPath: string, query: ActivityQuery = {}): Promise<ActivityPage> {
  let fh: FileHandle;
  try {
    fh = await open(logPath, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return queryReceiptLines(Buffer.alloc(0), query);
    throw new CoreError('ACTIVITY_LOG_UNREADABLE', `cannot read the activity log ${logPath}: ${errorMessage(e)}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new CoreError('ACTIVITY_LOG_UNREADABLE', `${logPath} is not a regular file`);
    const start = Math.max(0, st.size - MAX_ACTIVITY_READ_BYTES);
    const buf = Buffer.alloc(st.size - start);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
      if (bytesRead === 0) break; // The file shrank under us: use what was read.
      got += bytesRead;
    }
    return queryReceiptLines(buf.subarray(0, got), query, { truncatedHead: start > 0 });
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('ACTIVITY_LOG_UNREADABLE', `cannot read the activity log ${logPath}: ${errorMessage(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * The receipt with this id in the local log (the id `pic-store activity` prints and the Activity
 * view shows), or null when the log holds none. Ids are unique; the newest wins if a log was
 * ever concatenated by hand.
 */
export async function findReceipt(logPath: string, id: string): Promise<Receipt | null> {
  const page = await readActivity(logPath, { id, limit: 1 });
  return page.receipts[0] ?? null;
}
