import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from '../source/image-source';
import { fileKind } from '../user-file';

/** `sha256:` + 64 lowercase hex: the only digest form a layout path is ever built from. */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isSha256Digest(digest: string): boolean {
  return SHA256_DIGEST.test(digest);
}

/**
 * Path of a blob inside a layout. The digest is validated first, so the result can never
 * escape `blobs/sha256/` (no `..`, no separators, no other algorithms).
 */
function blobPath(layoutDir: string, digest: string): string {
  if (!isSha256Digest(digest)) throw new SourceError('invalid', `not a sha256 digest: ${JSON.stringify(digest.slice(0, 100))}`);
  return join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/**
 * Reads at most `maxBytes` of a regular file. The size is checked on the open handle (not a
 * separate stat) and reading stops one byte past the bound, so a file that grows meanwhile is
 * still refused rather than read whole. Null when the file does not exist.
 */
export async function readBoundedFile(path: string, maxBytes: number, what: string): Promise<Buffer | null> {
  try {
    const st = await lstat(path);
    if (!st.isFile()) throw new SourceError('invalid', `${what} is ${fileKind(st)}, not a regular file`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  // Non-blocking, and checked again on the handle: a FIFO swapped in after the lstat can neither
  // hang the read nor be read.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SourceError('invalid', `${what} is ${fileKind(st)}, not a regular file`);
    if (st.size > maxBytes) throw new SourceError('limit', `${what} is ${st.size} bytes, more than the ${maxBytes}-byte limit`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let filled = 0;
    // Bounded: each read advances or ends; at most buf.length bytes in total.
    while (filled < buf.length) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw new SourceError('limit', `${what} is more than the ${maxBytes}-byte limit`);
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

/**
 * A blob by digest, bounded and hashed: bytes that do not hash to their name are never handed
 * out (the same guarantee the registry client gives).
 */
export async function readBlob(layoutDir: string, digest: string, maxBytes: number): Promise<Buffer | null> {
  const bytes = await readBoundedFile(blobPath(layoutDir, digest), maxBytes, `blob ${digest}`);
  if (bytes === null) return null;
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== digest) {
    throw new SourceError('digest-mismatch', `the layout's blob ${digest} holds content with digest ${actual}`);
  }
  return bytes;
}
