import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { CoreError, errorMessage } from './errors';

/** What a path that is not a regular file is, in words for a message ("a named pipe"). */
export function fileKind(s: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>): string {
  if (s.isFile()) return 'a regular file';
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a file a person named by path (an imported receipt, a listing to preview). The path comes
 * from the renderer, so the read must neither hang nor flood: the target must be a regular file
 * within `maxBytes` BEFORE it is opened (a FIFO or a device is refused, never opened — opening a
 * FIFO for reading blocks until a writer appears); it is opened non-blocking, checked again on the
 * handle (a swap between the two looks is caught), and read to at most `maxBytes` whatever size
 * it claims (/proc files say 0). A symbolic link to a regular file is read like the file itself.
 *
 * Errors: FILE_UNREADABLE (missing, no permission, not a regular file) or FILE_TOO_LARGE; the
 * message names the path and the reason, never any content.
 */
export async function readUserFile(path: string, maxBytes: number): Promise<string> {
  const check = (s: Awaited<ReturnType<typeof stat>>) => {
    if (!s.isFile()) throw new CoreError('FILE_UNREADABLE', `${path} is ${fileKind(s)}, not a regular file`);
    if (s.size > maxBytes) throw new CoreError('FILE_TOO_LARGE', `${path} is ${s.size} bytes, more than the limit of ${maxBytes}`);
  };
  let fh;
  try {
    check(await stat(path));
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('FILE_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`);
  }
  try {
    check(await fh.stat());
    const buf = Buffer.alloc(Math.min(maxBytes + 1, 1 << 20));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new CoreError('FILE_TOO_LARGE', `${path} holds more than the limit of ${maxBytes} bytes`);
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('FILE_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`);
  } finally {
    await fh.close();
  }
}
