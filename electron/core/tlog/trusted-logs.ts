import { createHash, createPublicKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import seeds from '@sigstore/tuf/seeds.json';
import { CoreError, errorMessage } from '../errors';
import { parsePublicKeyPem, type ParsedPublicKey } from '../trust/public-key';

/**
 * The transparency logs the app trusts (DESIGN 2.8): a sigstore `trusted_root.json`. By default
 * the public-good root exactly as the maintained `@sigstore/tuf` package ships it (its seeds,
 * read from the package, never copied into this repository); replaced by the data directory's
 * `trust/trusted_root.json`, else the app's `config/sigstore/trusted_root.json`; the CLI's
 * `--trusted-root FILE` replaces it for one command. Only `tlogs` are read: the app verifies
 * key-signed images, never certificates.
 */
export type LogRootOrigin = 'public-good' | 'bundled' | 'local' | 'command-line';

export interface TrustedLog {
  baseUrl: string;
  /** The log's name as its checkpoints must spell it (the base URL's host), compared literally. */
  origin: string;
  /** Lowercase hex of `logId.keyId` (for Rekor: SHA-256 of the key's DER SPKI). */
  logId: string;
  key: ParsedPublicKey;
  /** `publicKey.validFor`: entries integrated outside it are refused. A log without a start is not trusted at all. */
  validFrom: Date;
  validUntil: Date | null;
}

export interface LogProblem {
  source: string;
  message: string;
}

export interface TrustedLogs {
  origin: LogRootOrigin;
  /** The file (or package) it was read from, for people. */
  source: string;
  logs: TrustedLog[];
  /** Logs (or a whole file) that could not be used: reported and left out. */
  problems: LogProblem[];
}

const MAX_ROOT_BYTES = 1024 * 1024;
const MAX_LOGS = 64;
const PUBLIC_GOOD_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
export const PUBLIC_GOOD_SOURCE = `@sigstore/tuf seeds (${PUBLIC_GOOD_MIRROR} trusted_root.json)`;

let publicGood: TrustedLogs | null = null;

/** The public-good root from the @sigstore/tuf package's seeds (decoded once per process). */
export function publicGoodLogs(): TrustedLogs {
  if (publicGood) return publicGood;
  const seed = (seeds as Record<string, { targets?: Record<string, string> }>)[PUBLIC_GOOD_MIRROR];
  const b64 = seed?.targets?.['trusted_root.json'];
  if (typeof b64 !== 'string') {
    publicGood = { origin: 'public-good', source: PUBLIC_GOOD_SOURCE, logs: [], problems: [{ source: PUBLIC_GOOD_SOURCE, message: 'the package carries no trusted_root.json' }] };
  } else {
    publicGood = parseTrustedRoot(Buffer.from(b64, 'base64').toString('utf8'), 'public-good', PUBLIC_GOOD_SOURCE);
  }
  return publicGood;
}

/**
 * Parses a trusted root; never throws. A document that is not a trusted root gives no logs and
 * one problem (nothing from any log is then judged as passing); each unusable log is left out
 * with its own problem.
 */
export function parseTrustedRoot(text: string, origin: LogRootOrigin, source: string): TrustedLogs {
  const out: TrustedLogs = { origin, source, logs: [], problems: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    out.problems.push({ source, message: 'not JSON' });
    return out;
  }
  const d = doc as { mediaType?: unknown; tlogs?: unknown };
  if (typeof doc !== 'object' || doc === null || typeof d.mediaType !== 'string' || !d.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
    out.problems.push({ source, message: 'not a sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot+json)' });
    return out;
  }
  if (!Array.isArray(d.tlogs)) {
    out.problems.push({ source, message: '"tlogs" is not an array' });
    return out;
  }
  d.tlogs.slice(0, MAX_LOGS).forEach((t, i) => {
    const r = parseLog(t);
    if (typeof r === 'string') out.problems.push({ source: `${source} tlogs[${i}]`, message: r });
    else if (out.logs.some((l) => l.logId === r.logId)) out.problems.push({ source: `${source} tlogs[${i}]`, message: `log ${r.logId} is listed twice; the first is used` });
    else out.logs.push(r);
  });
  if (d.tlogs.length > MAX_LOGS) out.problems.push({ source, message: `more than ${MAX_LOGS} logs; only the first ${MAX_LOGS} are read` });
  return out;
}

function parseLog(t: unknown): TrustedLog | string {
  if (typeof t !== 'object' || t === null) return 'not an object';
  const l = t as { baseUrl?: unknown; logId?: { keyId?: unknown }; publicKey?: { rawBytes?: unknown; keyDetails?: unknown; validFor?: { start?: unknown; end?: unknown } } };
  if (typeof l.baseUrl !== 'string') return 'no baseUrl';
  let origin: string;
  try {
    origin = new URL(l.baseUrl).host;
  } catch {
    return `baseUrl "${l.baseUrl}" is not a URL`;
  }
  if (typeof l.logId?.keyId !== 'string' || l.logId.keyId.length === 0) return 'no logId.keyId';
  const pk = l.publicKey;
  if (typeof pk?.rawBytes !== 'string') return 'no publicKey.rawBytes';
  if (typeof pk.keyDetails === 'string' && pk.keyDetails.startsWith('PKCS1_')) return `key format ${pk.keyDetails} is not supported (PKIX keys only)`;
  let key: ParsedPublicKey;
  try {
    const der = Buffer.from(pk.rawBytes, 'base64');
    const pem = createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
    key = parsePublicKeyPem(pem);
  } catch (e) {
    return `the log key cannot be used: ${errorMessage(e)}`;
  }
  // A log key with no start of validity would vouch for any time at all: refused (DESIGN 2.8).
  const start = typeof pk.validFor?.start === 'string' ? new Date(pk.validFor.start) : null;
  if (!start || Number.isNaN(start.getTime())) return `log ${l.baseUrl}: its key has no validFor.start, so it is not trusted`;
  const end = typeof pk.validFor?.end === 'string' ? new Date(pk.validFor.end) : null;
  if (end && Number.isNaN(end.getTime())) return `log ${l.baseUrl}: validFor.end is not a date`;
  return { baseUrl: l.baseUrl, origin, logId: Buffer.from(l.logId.keyId, 'base64').toString('hex'), key, validFrom: start, validUntil: end };
}

/** Reads one trusted_root.json file; null when it does not exist (then the next candidate is used). */
async function readRootFile(path: string, origin: LogRootOrigin): Promise<TrustedLogs | null> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return { origin, source: path, logs: [], problems: [{ source: path, message: 'not a regular file' }] };
    if (st.size > MAX_ROOT_BYTES) return { origin, source: path, logs: [], problems: [{ source: path, message: `larger than ${MAX_ROOT_BYTES} bytes` }] };
    return parseTrustedRoot(await readFile(path, 'utf8'), origin, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { origin, source: path, logs: [], problems: [{ source: path, message: errorMessage(e) }] };
  }
}

/** The app's trusted logs: the data dir's trust/trusted_root.json, else config/sigstore/trusted_root.json, else public-good. */
export async function loadTrustedLogs(opts: { appConfigDir: string; dataDir: string }): Promise<TrustedLogs> {
  return (
    (await readRootFile(join(opts.dataDir, 'trust', 'trusted_root.json'), 'local')) ??
    (await readRootFile(join(opts.appConfigDir, 'sigstore', 'trusted_root.json'), 'bundled')) ??
    publicGoodLogs()
  );
}

/** `verify --trusted-root FILE`: the file must exist and be a trusted root listing at least one usable log. */
export async function loadTrustedLogsFile(path: string): Promise<TrustedLogs> {
  const r = await readRootFile(path, 'command-line');
  if (!r) throw new CoreError('TRUSTED_ROOT_INVALID', `${path}: no such file`);
  if (r.logs.length === 0) throw new CoreError('TRUSTED_ROOT_INVALID', `${path} lists no usable transparency log: ${r.problems.map((p) => `${p.source}: ${p.message}`).join('; ') || 'its tlogs are empty'}`);
  return r;
}

/** Stable identity of the trusted logs for cache keys. */
export function trustedLogsId(t: TrustedLogs | undefined): string {
  if (!t) return 'no-logs';
  const parts = t.logs.map((l) => `${l.logId}@${l.validFrom.toISOString()}-${l.validUntil?.toISOString() ?? ''}/${l.origin}`).sort();
  return createHash('sha256').update(parts.join(',')).digest('hex').slice(0, 16);
}

export function findLog(t: TrustedLogs | undefined, logIdHex: string): TrustedLog | null {
  return t?.logs.find((l) => l.logId === logIdHex.toLowerCase()) ?? null;
}

/** Whether the log's key was valid at `time` (its validFor applied to the integrated time). */
export function logValidAt(log: TrustedLog, time: Date): boolean {
  return time >= log.validFrom && (log.validUntil === null || time <= log.validUntil);
}
