import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeJsonSyntaxError } from './json-syntax';
import { CoreError, errorMessage } from './errors';

/**
 * The one data directory shared by the desktop app and the CLI (DESIGN 2.6):
 * `$PIC_STORE_HOME`, else the platform's config directory. Tests always set PIC_STORE_HOME.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PIC_STORE_HOME) return env.PIC_STORE_HOME;
  const home = env.HOME || homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'pic-store-manager');
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'pic-store-manager');
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pic-store-manager');
  }
}

/** Well-known files of the data directory, so no module spells a path of its own. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    stores: join(dataDir, 'stores.json'),
    cells: join(dataDir, 'cells.json'),
    trust: join(dataDir, 'trust'),
    knownHosts: join(dataDir, 'known_hosts'),
    activity: join(dataDir, 'activity.jsonl'),
    cache: join(dataDir, 'cache'),
    fleet: join(dataDir, 'fleet'),
  };
}

/**
 * Writes a file so that readers see the old or the new content, never a torn one:
 * write to a temporary sibling, fsync, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(path));
}

/**
 * Makes a new or renamed directory entry durable (after a rename, or a file's creation). Best
 * effort: some platforms cannot fsync a directory; the rename is still atomic there and the
 * file's own fsync still holds.
 */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // See above: a directory that cannot be fsync'd is not an error.
  }
}

const MAX_JSON_FILE = 16 * 1024 * 1024;

/**
 * Reads a JSON file of the data directory. A missing file gives `undefined` (the caller's
 * default applies); a file that exists but cannot be read or parsed is an error naming the file
 * and what was wrong — never silently replaced by a default.
 */
export async function readJsonFile(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CoreError('DATA_FILE_UNREADABLE', `${path} is not a regular file`);
    if (st.size > MAX_JSON_FILE) throw new CoreError('DATA_FILE_UNREADABLE', `${path} is larger than ${MAX_JSON_FILE} bytes`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof CoreError) throw e;
    throw new CoreError('DATA_FILE_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Where, never what: the engine's message quotes the file, and this error reaches the renderer.
    throw new CoreError('DATA_FILE_CORRUPT', `${path} is not valid JSON (${describeJsonSyntaxError(text)}); it was left as it is`);
  }
}

/** Writes a JSON document atomically, pretty-printed for people who open it. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
