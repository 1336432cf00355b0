import { constants } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
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

/**
 * Writes text to a NEW file a person chose (an exported receipt, a saved fleet plan): DESIGN 3 —
 * files are chosen in main, and an export must never be a way to replace someone's file. The name
 * must end in `.json`, the parent directory must already exist (nothing is created on the way),
 * and the file is opened with O_CREAT|O_EXCL, so an existing file — or a symbolic link, even a
 * dangling one — is refused, never overwritten. A write that fails removes the half-written file.
 * `what` names the file in messages ("an exported receipt").
 */
export async function writeNewJsonFile(path: string, text: string, what: string): Promise<{ bytes: number }> {
  return writeNewFile(path, text, { what, extensions: ['.json'], mode: 0o644 });
}

/** As writeNewJsonFile, for other kinds of file (an Ansible inventory: `.yml`/`.yaml`, private to its owner). */
export async function writeNewFile(path: string, text: string, o: { what: string; extensions: readonly string[]; mode: number }): Promise<{ bytes: number }> {
  const name = basename(path).toLowerCase();
  if (!o.extensions.some((x) => name.endsWith(x) && name.length > x.length)) {
    throw new CoreError('EXPORT_NAME', `${path}: ${o.what} is a ${o.extensions.join(' or ')} file; choose a name ending in ${o.extensions[0]}`);
  }
  let fh;
  try {
    fh = await open(path, 'wx', o.mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CoreError('EXPORT_EXISTS', `${path} already exists; an export never replaces a file — choose a new name`);
    if (code === 'ENOENT') throw new CoreError('EXPORT_FAILED', `cannot write ${path}: its folder does not exist`);
    throw new CoreError('EXPORT_FAILED', `cannot write ${path}: ${errorMessage(e)}`);
  }
  try {
    await fh.writeFile(text);
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(path, { force: true });
    throw new CoreError('EXPORT_FAILED', `cannot write ${path}: ${errorMessage(e)}`);
  }
  return { bytes: Buffer.byteLength(text) };
}
