import { CoreError } from '../errors';

/**
 * The ONE function that turns a value into a word for the cell's POSIX shell (DESIGN 2.2, 3.3).
 * Everything that reaches a remote shell — paths, ids, image references, manifest strings — goes
 * through here, so a hostile string can only ever be one literal argument.
 *
 * POSIX single quotes make every byte literal except `'` itself, which is closed, escaped and
 * reopened (`'\''`). NUL cannot be carried by any shell word, so it is refused rather than
 * silently truncated.
 */
export function quoteRemoteArg(value: string): string {
  if (typeof value !== 'string') throw new CoreError('INVALID_REMOTE_ARGUMENT', 'remote arguments must be strings');
  if (value.includes('\0')) throw new CoreError('INVALID_REMOTE_ARGUMENT', 'a remote argument cannot contain a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A remote command line made only of quoted words: the safe way to build one from parts. */
export function remoteCommand(words: readonly string[]): string {
  return words.map(quoteRemoteArg).join(' ');
}

/** Service ids as the store defines them (DESIGN 2.1); checked before an id is ever sent. */
const SERVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isValidServiceId(id: unknown): id is string {
  return typeof id === 'string' && SERVICE_ID_PATTERN.test(id);
}

/** Throws unless `id` is a valid service id, so callers cannot forget to check before sending. */
export function assertServiceId(id: unknown): string {
  if (!isValidServiceId(id)) {
    throw new CoreError('INVALID_SERVICE_ID', `"${String(id).slice(0, 80)}" is not a valid service id (${SERVICE_ID_PATTERN.source})`);
  }
  return id;
}

/** A PIC root on the cell: absolute, no NUL/newline, no `..` segments (a root is a plain path). */
export function assertRemoteRoot(root: string): string {
  if (!root.startsWith('/')) throw new CoreError('INVALID_ROOT', `the PIC root must be an absolute path, not "${root}"`);
  if (/[\0\n\r]/.test(root)) throw new CoreError('INVALID_ROOT', 'the PIC root cannot contain NUL or newline characters');
  if (root.split('/').includes('..')) throw new CoreError('INVALID_ROOT', 'the PIC root cannot contain ".." segments');
  if (root.length > 1024) throw new CoreError('INVALID_ROOT', 'the PIC root is too long');
  return root;
}
