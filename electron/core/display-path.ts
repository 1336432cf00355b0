import { homedir } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * A path as a person reads it: `~/…` when it lies under the user's home directory, else as
 * given. Only for text (the first-run note, the trust panel, where an image is read from) —
 * never pass the result to the file system.
 */
export function homeRelativePath(path: string, home: string = process.env.HOME || homedir()): string {
  if (!home || !isAbsolute(path) || !isAbsolute(home)) return path;
  const rel = relative(home, path);
  if (rel === '') return '~';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return path;
  return `~${sep}${rel}`;
}
