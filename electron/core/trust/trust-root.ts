import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors';
import { trustedLogsId, type TrustedLogs } from '../tlog/trusted-logs';
import { parsePublicKeyPem, type ParsedPublicKey } from './public-key';

/** Where a trusted key came from: shipped with the app, placed in the data dir, or handed to one CLI command. */
export type KeyOrigin = 'bundled' | 'local' | 'command-line' | 'demo' | 'cell';

export interface TrustedKey extends ParsedPublicKey {
  origin: KeyOrigin;
  /** The file it was read from, for people (never a secret). */
  source: string;
}

interface KeyProblem {
  source: string;
  origin: KeyOrigin;
  message: string;
}

export interface TrustRoot {
  keys: TrustedKey[];
  /** Key files that could not be used: reported, left out (fewer keys is never weaker). */
  problems: KeyProblem[];
  /** The trusted transparency logs (DESIGN 2.8); absent: none, so no log entry is judged. */
  logs?: TrustedLogs;
}

/** The plain-data view of a trusted key, as reports, receipts and the UI carry it. */
export interface TrustedKeySummary {
  fingerprint: string;
  origin: KeyOrigin;
  type?: string;
  source?: string;
}

export function summarizeKey(k: TrustedKey): TrustedKeySummary {
  return { fingerprint: k.fingerprint, origin: k.origin, type: k.type, source: k.source };
}

const MAX_KEYS_PER_DIR = 64;

/** Reads one key file; problems are returned, not thrown, so one bad file never hides the others. */
export async function loadKeyFile(path: string, origin: KeyOrigin): Promise<TrustedKey | KeyProblem> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return { source: path, origin, message: 'not a regular file' };
    if (st.size > 64 * 1024) return { source: path, origin, message: 'too large to be a public key' };
    const pem = await readFile(path, 'utf8');
    return { ...parsePublicKeyPem(pem), origin, source: path };
  } catch (e) {
    return { source: path, origin, message: errorMessage(e) };
  }
}

async function loadKeyDir(dir: string, origin: KeyOrigin, into: TrustRoot): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.pub')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    into.problems.push({ source: dir, origin, message: `cannot list keys: ${errorMessage(e)}` });
    return;
  }
  if (names.length > MAX_KEYS_PER_DIR) {
    into.problems.push({ source: dir, origin, message: `more than ${MAX_KEYS_PER_DIR} keys; only the first ${MAX_KEYS_PER_DIR} are read` });
    names = names.slice(0, MAX_KEYS_PER_DIR);
  }
  for (const name of names) addKey(into, await loadKeyFile(join(dir, name), origin));
}

function addKey(into: TrustRoot, r: TrustedKey | KeyProblem): void {
  if (!('fingerprint' in r)) {
    into.problems.push(r);
    return;
  }
  // The same key placed twice counts once; the first origin (bundled before local) wins.
  if (into.keys.some((k) => k.fingerprint === r.fingerprint)) return;
  into.keys.push(r);
}

/**
 * The app's trust root (DESIGN 2.3): the bundled `config/cosign/*.pub` plus the data
 * directory's `trust/*.pub`. No usable key at all means nothing verifies (TRUST_ROOT_INVALID).
 */
export async function loadTrustRoot(opts: { appConfigDir: string; dataDir: string }): Promise<TrustRoot> {
  const root: TrustRoot = { keys: [], problems: [] };
  await loadKeyDir(join(opts.appConfigDir, 'cosign'), 'bundled', root);
  await loadKeyDir(join(opts.dataDir, 'trust'), 'local', root);
  return root;
}

/** A trust root made only of the given files (the CLI's `--trust-key`, a store's demo key). */
export async function loadTrustRootFromFiles(files: string[], origin: KeyOrigin): Promise<TrustRoot> {
  const root: TrustRoot = { keys: [], problems: [] };
  for (const f of files) addKey(root, await loadKeyFile(f, origin));
  return root;
}

/** Stable identity of a trust root for cache keys: its sorted fingerprints, and its logs when it has any. */
export function trustRootId(root: TrustRoot): string {
  const keys = root.keys.map((k) => k.fingerprint).sort().join(',');
  return root.logs ? `${keys};logs=${trustedLogsId(root.logs)}` : keys;
}

