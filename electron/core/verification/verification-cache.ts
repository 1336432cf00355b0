// The badge cache (DESIGN 2.3 / 2.6 `cache/`): keyed by where the image was read from, the full
// repository, the digest and the trust-root fingerprints — signatures live per repository, so
// one repository's verdict is never served for another's image with the same digest. Positive
// verdicts are kept for a day, negative ones for minutes (a fix should show up quickly). Never
// used for installs: install-time verification is always fresh.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReasonCode, VerificationReport } from './types';
import { LOOKUP_INCOMPLETE_NOTE } from './verify-image';

export interface CacheKeyParts {
  source: string;
  repository: string;
  digest: string;
  trustRootId: string;
}

export interface VerificationCache {
  get(k: CacheKeyParts): VerificationReport | null;
  set(k: CacheKeyParts, report: VerificationReport): void;
  /** Writes pending changes (atomically). */
  flush(): Promise<void>;
}

const POSITIVE_TTL_MS = 24 * 60 * 60 * 1000;
export const NEGATIVE_TTL_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 20_000;
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const FILE = 'verification-v1.json';

interface Entry {
  at: number;
  report: VerificationReport;
}

function cacheKey(k: CacheKeyParts): string {
  return JSON.stringify([k.source, k.repository, k.digest, k.trustRootId]);
}

/**
 * Verdicts about the content itself, worth caching. Not listing or input errors, and not
 * network, auth or limit failures (a blip must not stick to a badge for minutes), nor a
 * signature verdict reached while some lookup could not be completed.
 */
const CONTENT_VERDICTS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'VERIFIED', 'IMAGE_NOT_FOUND', 'CONTENT_DIGEST_MISMATCH',
  'SIGNATURE_NOT_FOUND', 'SIGNATURE_INVALID', 'SIGNATURE_DIGEST_MISMATCH', 'PAYLOAD_INVALID',
]);

export function isCacheable(r: VerificationReport): boolean {
  if (!r.digest || !CONTENT_VERDICTS.has(r.reason)) return false;
  return r.verified || !r.checks.some((c) => c.id === 'signature-found' && c.detail.includes(LOOKUP_INCOMPLETE_NOTE));
}

/** A file-backed cache under `<dataDir>/cache/`. An unreadable cache file is treated as empty (it is only a cache). */
export async function openFileCache(cacheDir: string, now: () => number = Date.now): Promise<VerificationCache> {
  const path = join(cacheDir, FILE);
  let entries = new Map<string, Entry>();
  try {
    const st = await stat(path);
    if (st.isFile() && st.size <= MAX_FILE_BYTES) {
      const doc = JSON.parse(await readFile(path, 'utf8')) as { entries?: Record<string, Entry> };
      if (doc.entries && typeof doc.entries === 'object') entries = new Map(Object.entries(doc.entries));
    }
  } catch {
    // missing or corrupt: start empty; the next flush replaces it atomically
  }
  let dirty = false;
  const fresh = (e: Entry) => now() - e.at < (e.report.verified ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) && now() >= e.at;
  return {
    get(k) {
      const e = entries.get(cacheKey(k));
      if (!e || !fresh(e)) return null;
      const r = e.report;
      if (r.digest !== k.digest || r.repository !== k.repository) return null;
      return { ...r, cached: true };
    },
    set(k, report) {
      if (!isCacheable(report)) return;
      const { serviceId: _s, cached: _c, ...rest } = report;
      entries.set(cacheKey(k), { at: now(), report: rest });
      dirty = true;
    },
    async flush() {
      if (!dirty) return;
      for (const [key, e] of entries) if (!fresh(e)) entries.delete(key);
      if (entries.size > MAX_ENTRIES) entries = new Map([...entries].sort((a, b) => b[1].at - a[1].at).slice(0, MAX_ENTRIES));
      // Atomic (temp + rename) but not fsync'd: it is only a cache, and a lost or torn file is
      // read as empty. Skipping fsync keeps a whole-store run from waiting on the disk.
      await mkdir(cacheDir, { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ version: 1, entries: Object.fromEntries(entries) }), { mode: 0o600 });
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      dirty = false;
    },
  };
}
