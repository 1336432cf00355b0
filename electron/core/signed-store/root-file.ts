import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { CoreError, errorMessage } from '../errors';
import { writeFileAtomic } from '../data-dir';
import { describeJsonSyntaxError } from '../json-syntax';

/**
 * A signed store's initial TUF root (DESIGN 2.7: trust on adding). Before anything is saved the
 * root is parsed and checked with @tufjs/models — its own keys must sign it to its threshold,
 * and it must not have expired — and what the admin is asked to accept (key ids, threshold,
 * expiry) is summarised. Saved as `stores/<store-id>/metadata/root.json`.
 */
export interface RootSummary {
  version: number;
  expires: string;
  /** The root role's key ids and threshold: who may sign the next root. */
  keyIds: string[];
  threshold: number;
  /** Every role's key ids and threshold, for the record. */
  roles: Record<string, { keyIds: string[]; threshold: number }>;
  consistentSnapshot: boolean;
}

const MAX_ROOT_BYTES = 512 * 1024;

/** Checks a root's bytes; refuses (STORE_METADATA_INVALID) what tuf-js would not start from. */
export function inspectRoot(bytes: Buffer, origin: string, now = new Date()): RootSummary {
  if (bytes.length > MAX_ROOT_BYTES) throw new CoreError('STORE_METADATA_INVALID', `${origin} is ${bytes.length} bytes, more than a TUF root may be (${MAX_ROOT_BYTES})`);
  let md: Metadata<import('@tufjs/models').Root>;
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the file's first bytes, and any path can be typed here.
    throw new CoreError('STORE_METADATA_INVALID', `${origin} is not a TUF root: ${describeJsonSyntaxError(text)}`);
  }
  try {
    md = Metadata.fromJSON(MetadataKind.Root, raw as Parameters<typeof Metadata.fromJSON>[1]);
    md.verifyDelegate(MetadataKind.Root, md);
  } catch (e) {
    throw new CoreError('STORE_METADATA_INVALID', `${origin} is not a valid self-signed TUF root: ${errorMessage(e)}`);
  }
  const s = md.signed;
  if (s.isExpired(now)) throw new CoreError('STORE_EXPIRED', `${origin} expired at ${s.expires}; ask the store for its current root`);
  const roles = Object.fromEntries(Object.entries(s.roles).map(([name, r]) => [name, { keyIds: [...r.keyIDs], threshold: r.threshold }]));
  return { version: s.version, expires: s.expires, keyIds: roles.root?.keyIds ?? [], threshold: roles.root?.threshold ?? 0, roles, consistentSnapshot: s.consistentSnapshot };
}

export async function readRootFile(path: string): Promise<{ bytes: Buffer; summary: RootSummary }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CoreError('STORE_METADATA_INVALID', `cannot read the root file ${path}: ${errorMessage(e)}`);
  }
  return { bytes, summary: inspectRoot(bytes, path) };
}

/** The directory name of a store's state: derived from its URL, so the same URL keeps its trust. */
export function storeId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 24);
}

export function signedStorePaths(dataDir: string, url: string) {
  const dir = join(dataDir, 'stores', storeId(url));
  return {
    dir,
    metadata: join(dir, 'metadata'),
    trustedRoot: join(dir, 'metadata', 'root.json'),
    listing: join(dir, 'listing'),
    download: join(dir, 'download'),
  };
}

/** Starts a store's trust over from `rootBytes`: whatever an earlier root led to is dropped. */
export async function saveInitialRoot(dataDir: string, url: string, rootBytes: Buffer): Promise<void> {
  const p = signedStorePaths(dataDir, url);
  await rm(p.dir, { recursive: true, force: true });
  await mkdir(p.metadata, { recursive: true, mode: 0o700 });
  await writeFileAtomic(p.trustedRoot, rootBytes);
}

/** Whether a trusted root was ever saved for this URL ("once signed, never read unsigned"). */
export async function hasTrustedRoot(dataDir: string, url: string): Promise<boolean> {
  try {
    await readFile(signedStorePaths(dataDir, url).trustedRoot);
    return true;
  } catch {
    return false;
  }
}
