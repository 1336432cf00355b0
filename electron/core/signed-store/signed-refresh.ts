import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { CoreError, errorMessage, type ErrorCode } from '../errors';
import { readJsonFile, writeFileAtomic, writeJsonFile } from '../data-dir';
import { signedStorePaths } from './root-file';
import { createStoreFetcher } from './tuf-fetcher';
import { classifyTufError, tufErrorDetail, type UpdatePhase } from './tuf-errors';

/**
 * One refresh of a signed store (DESIGN 2.7): a TUF update with tuf-js (root rotation,
 * timestamp, snapshot, targets, then `index.json` checked by length and hashes), reported as
 * the table's state and code. A refused or expired update never replaces what was trusted: the
 * last accepted index bytes, its targets version and expiry are kept here, apart from tuf-js's
 * metadata directory (tuf-js saves a new timestamp and snapshot before a later step fails).
 */
export type ListingState = 'current' | 'stale' | 'refused' | 'expired' | 'unreadable';

export interface ListingStatus {
  signed: boolean;
  /** The targets metadata's version of the listing shown (null: none trusted yet, or unsigned). */
  version: number | null;
  /** Until when the listing shown is valid: the earliest expiry of the metadata it was accepted with. */
  expires: string | null;
  state: ListingState;
  error: { code: ErrorCode; message: string } | null;
}

export interface SignedRefreshResult {
  /** The last trusted index text (after this refresh), or null when none was ever accepted. */
  indexText: string | null;
  listing: ListingStatus;
}

interface TrustedListing {
  version: number;
  expires: string;
  at: string;
}

export const INDEX_TARGET = 'index.json';

/** Bases of the repository's two folders; the store URL is accepted with or without a trailing slash. */
export function repositoryUrls(url: string): { metadata: string; targets: string } {
  const base = url.endsWith('/') ? url : `${url}/`;
  return { metadata: `${base}metadata/`, targets: `${base}targets/` };
}

async function readTrusted(dataDir: string, url: string): Promise<{ listing: TrustedListing; text: string } | null> {
  const p = signedStorePaths(dataDir, url);
  const listing = (await readJsonFile(join(p.listing, 'listing.json'))) as TrustedListing | undefined;
  if (!listing) return null;
  try {
    return { listing, text: await readFile(join(p.listing, INDEX_TARGET), 'utf8') };
  } catch (e) {
    throw new CoreError('DATA_FILE_UNREADABLE', `the trusted listing of ${url} is incomplete: ${errorMessage(e)}`);
  }
}

/** The earliest expiry of the trusted top-level metadata tuf-js holds after a successful update. */
async function trustedExpiry(metadataDir: string): Promise<{ expires: string; targetsVersion: number }> {
  let earliest: string | null = null;
  let targetsVersion = 0;
  for (const role of ['root', 'timestamp', 'snapshot', 'targets']) {
    const md = JSON.parse(await readFile(join(metadataDir, `${role}.json`), 'utf8')) as { signed: { expires: string; version: number } };
    if (earliest === null || Date.parse(md.signed.expires) < Date.parse(earliest)) earliest = md.signed.expires;
    if (role === 'targets') targetsVersion = md.signed.version;
  }
  return { expires: earliest!, targetsVersion };
}

const inFlight = new Map<string, Promise<SignedRefreshResult>>();

/** Refreshes one signed store; concurrent calls for the same store share one update. */
export function refreshSignedStore(opts: { dataDir: string; url: string; timeoutMs?: number }): Promise<SignedRefreshResult> {
  const key = `${opts.dataDir}\0${opts.url}`;
  const running = inFlight.get(key);
  if (running) return running;
  const p = runRefresh(opts).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

async function runRefresh(opts: { dataDir: string; url: string; timeoutMs?: number }): Promise<SignedRefreshResult> {
  const r = await updateOnce(opts);
  // The outcome is kept so lists and install checks report it without contacting the store
  // (written only when it changed: a refresh with nothing new writes nothing).
  const path = join(signedStorePaths(opts.dataDir, opts.url).listing, 'status.json');
  const last = await readJsonFile(path).catch(() => undefined);
  if (JSON.stringify(last) !== JSON.stringify(r.listing)) await writeJsonFile(path, r.listing);
  return r;
}

async function updateOnce({ dataDir, url, timeoutMs = 30_000 }: { dataDir: string; url: string; timeoutMs?: number }): Promise<SignedRefreshResult> {
  const p = signedStorePaths(dataDir, url);
  const before = await readTrusted(dataDir, url);
  const urls = repositoryUrls(url);
  let phase: UpdatePhase = 'metadata';
  try {
    await readFile(p.trustedRoot).catch((e: unknown) => {
      throw new CoreError('STORE_METADATA_INVALID', `no trusted root for ${url} (${errorMessage(e)}); add the store again with its root file`);
    });
    const updater = new Updater({
      metadataDir: p.metadata, metadataBaseUrl: urls.metadata, targetDir: p.download, targetBaseUrl: urls.targets,
      fetcher: createStoreFetcher(url, timeoutMs), config: { fetchTimeout: timeoutMs, fetchRetries: 0 },
    });
    await updater.refresh();
    const info = await updater.getTargetInfo(INDEX_TARGET);
    if (!info) throw new CoreError('STORE_METADATA_INVALID', `the store's targets metadata lists no ${INDEX_TARGET}`);
    phase = 'target';
    // Nothing new: the trusted copy still matches the signed length and hashes, no download.
    const cached = await updater.findCachedTarget(info, join(p.listing, INDEX_TARGET));
    if (!cached) await mkdir(p.download, { recursive: true, mode: 0o700 });
    const file = cached ?? (await updater.downloadTarget(info, join(p.download, INDEX_TARGET)));
    const bytes = await readFile(file);
    const { expires, targetsVersion } = await trustedExpiry(p.metadata);
    const listing: TrustedListing = { version: targetsVersion, expires, at: new Date().toISOString() };
    if (!cached) await writeFileAtomic(join(p.listing, INDEX_TARGET), bytes);
    if (!cached || before?.listing.version !== listing.version || before.listing.expires !== listing.expires) await writeJsonFile(join(p.listing, 'listing.json'), listing);
    return { indexText: bytes.toString('utf8'), listing: { signed: true, version: listing.version, expires: listing.expires, state: 'current', error: null } };
  } catch (e) {
    const code = e instanceof CoreError ? e.code : classifyTufError(e, phase);
    const message = e instanceof CoreError ? e.message : tufErrorDetail(e);
    return { indexText: before?.text ?? null, listing: failedListing(before?.listing ?? null, code, message) };
  } finally {
    if (phase === 'target') await rm(p.download, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The state table of DESIGN 2.7 for a failed update, given what was trusted before it. */
export function failedListing(trusted: TrustedListing | null, code: ErrorCode, message: string, now = Date.now()): ListingStatus {
  const base = { signed: true, version: trusted?.version ?? null, expires: trusted?.expires ?? null };
  if (!trusted) return { ...base, state: code === 'STORE_UNREACHABLE' ? 'unreadable' : 'refused', error: { code, message } };
  const trustedExpired = Date.parse(trusted.expires) <= now;
  if (code === 'STORE_UNREACHABLE') {
    return trustedExpired
      ? { ...base, state: 'expired', error: { code: 'STORE_EXPIRED', message: `the trusted listing expired at ${trusted.expires} and the store cannot be reached (${message})` } }
      : { ...base, state: 'stale', error: { code, message } };
  }
  if (code === 'STORE_EXPIRED' && trustedExpired) return { ...base, state: 'expired', error: { code, message } };
  return { ...base, state: 'refused', error: { code, message } };
}

/**
 * The last refresh's outcome and trusted listing without contacting the store (lists, install
 * checks). A listing that was current or stale but has since passed its expiry is `expired`.
 */
export async function trustedListingStatus(dataDir: string, url: string, now = Date.now()): Promise<SignedRefreshResult> {
  const t = await readTrusted(dataDir, url);
  const last = (await readJsonFile(join(signedStorePaths(dataDir, url).listing, 'status.json'))) as ListingStatus | undefined;
  if (!t) return { indexText: null, listing: last ?? { signed: true, version: null, expires: null, state: 'unreadable', error: { code: 'STORE_UNREACHABLE', message: `${url} has not been read yet` } } };
  const base = { signed: true, version: t.listing.version, expires: t.listing.expires };
  if (Date.parse(t.listing.expires) <= now && (!last || last.state === 'current' || last.state === 'stale')) {
    return { indexText: t.text, listing: { ...base, state: 'expired', error: { code: 'STORE_EXPIRED', message: `the trusted listing expired at ${t.listing.expires}` } } };
  }
  return { indexText: t.text, listing: last ? { ...last, ...base } : { ...base, state: 'current', error: null } };
}

/** Files in a store's metadata directory (for tests and diagnostics). */
export async function metadataFiles(dataDir: string, url: string): Promise<string[]> {
  return (await readdir(signedStorePaths(dataDir, url).metadata)).sort();
}
