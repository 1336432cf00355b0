// Loads a store index (DESIGN 2.1) from an `https:` URL, a loopback `http:` URL, a `file:` URL
// or a path, size-limited. The envelope must be valid (else INDEX_INVALID / INDEX_UNREADABLE:
// the command could not do its job); each service is validated on its own. `ociLayout` is
// honoured only for files, resolved inside the index's directory. The embedded demo store is
// recognised by its location so it is verified under its own key alone.
import { describeJsonSyntaxError } from '../json-syntax';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError, errorMessage } from '../errors';
import { createAgents, destroyAgents, httpRequest } from '../registry/http-transport';
import { isLoopbackHost } from '../registry/plain-http';
import { SourceError } from '../source/image-source';
import { validateIndex, type StoreService } from './validate';
import type { ListingStatus } from '../signed-store/signed-refresh';
import { fileKind } from '../user-file';

export interface LoadedStore {
  location: string;
  kind: 'file' | 'https' | 'http';
  name: string;
  services: StoreService[];
  /** Absolute OCI layout directory standing in for the registry, or null. */
  ociLayoutDir: string | null;
  /** The embedded demo store (config/demo-store/targets/index.json, or its source index.json). */
  isDemo: boolean;
  /** The index's `policy.transparencyLog` (DESIGN 2.8); absent means "if-present". */
  transparencyLog?: 'if-present' | 'required';
  /** Notes for people (an ignored ociLayout on a remote index). */
  notes: string[];
  /** How the listing itself is authenticated (DESIGN 2.7); absent for an index read directly. */
  listing?: ListingStatus;
}

interface LoadIndexOptions {
  cwd?: string;
  timeoutMs?: number;
  maxBytes?: number;
  appConfigDir?: string;
  signal?: AbortSignal;
  /** The file's content, already read and parsed by the caller (files only; saves a second read). */
  parsed?: unknown;
}

export const MAX_INDEX_BYTES = 16 * 1024 * 1024;

export function isIndexUrl(s: string): boolean {
  return /^(https?|file):/i.test(s);
}

export async function loadStoreIndex(location: string, opts: LoadIndexOptions = {}): Promise<LoadedStore> {
  const maxBytes = opts.maxBytes ?? MAX_INDEX_BYTES;
  let text: string;
  let kind: LoadedStore['kind'];
  let filePath: string | null = null;
  if (/^https?:/i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new CoreError('INDEX_UNREADABLE', `"${location}" is not a URL`);
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new CoreError('INDEX_UNREADABLE', `plain http is accepted only for loopback stores; use https for ${url.host}`);
    }
    kind = url.protocol === 'https:' ? 'https' : 'http';
    text = await fetchIndex(url, maxBytes, opts);
  } else {
    kind = 'file';
    filePath = indexFilePath(location, opts.cwd);
    text = opts.parsed !== undefined ? '' : await readIndexFile(filePath, maxBytes);
  }
  const raw: unknown = opts.parsed !== undefined && kind === 'file' ? opts.parsed : parseIndexText(text, location);
  const v = validateIndex(raw);
  if (!v.ok) {
    throw new CoreError('INDEX_INVALID', `${location} is not a store index: ${v.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`, { errors: v.errors });
  }
  const notes: string[] = [];
  let ociLayoutDir: string | null = null;
  if (v.index.ociLayout) {
    if (filePath) {
      const base = dirname(filePath);
      const dir = resolve(base, v.index.ociLayout);
      if (dir !== base && !dir.startsWith(base + sep)) throw new CoreError('INDEX_INVALID', `ociLayout "${v.index.ociLayout}" points outside the index's directory`);
      ociLayoutDir = dir;
    } else {
      notes.push('ociLayout is ignored for an index not read from a file');
    }
  }
  // The signed demo store's index is its TUF target (targets/index.json); the plain file beside
  // it is the generator's source, still judged under the demo key when verified as a file.
  const isDemo = !!filePath && !!opts.appConfigDir && ['index.json', join('targets', 'index.json')].some((f) => resolve(filePath) === resolve(opts.appConfigDir!, 'demo-store', f));
  return { location, kind, name: v.index.name, services: v.index.services, ociLayoutDir, isDemo, notes, transparencyLog: v.index.transparencyLog };
}

/** A `file:` URL or a path, as an absolute path; a URL naming another host is unreadable, not a crash. */
function indexFilePath(location: string, cwd?: string): string {
  if (!location.startsWith('file:')) return resolve(cwd ?? process.cwd(), location);
  try {
    return fileURLToPath(location);
  } catch (e) {
    throw new CoreError('INDEX_UNREADABLE', `${location} is not a local file URL: ${errorMessage(e)}`);
  }
}

/** JSON text of an index or manifest file; a leading byte-order mark is allowed (editors write one). */
function parseIndexText(text: string, location: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // The position only: the JSON engine's own message quotes the start of the file, and an
    // index path may name any file the user can read (it reaches the renderer).
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    throw new CoreError('INDEX_INVALID', `${location} is not valid JSON: ${describeJsonSyntaxError(body)}`);
  }
}

/**
 * Reads and parses a local JSON file the way loadStoreIndex does (size-bounded, BOM allowed),
 * for callers that must look at it before knowing whether it is an index or a manifest; pass the
 * result back as `parsed` so the file is loaded one way only. Errors: INDEX_UNREADABLE (missing,
 * not a file, over the size bound) or INDEX_INVALID (not JSON).
 */
export async function readStoreJsonFile(path: string, opts: { maxBytes?: number } = {}): Promise<unknown> {
  return parseIndexText(await readIndexFile(path, opts.maxBytes ?? MAX_INDEX_BYTES), path);
}

async function readIndexFile(path: string, maxBytes: number): Promise<string> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CoreError('INDEX_UNREADABLE', `${path} is ${fileKind(st)}, not a regular file`);
    if (st.size > maxBytes) throw new CoreError('INDEX_UNREADABLE', `${path} is ${st.size} bytes, more than the limit of ${maxBytes}`);
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('INDEX_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`);
  }
}

async function fetchIndex(url: URL, maxBytes: number, opts: LoadIndexOptions): Promise<string> {
  const agents = createAgents(2);
  try {
    const res = await httpRequest({ url, headers: { Accept: 'application/json', 'User-Agent': 'pic-store-manager' }, maxBytes, timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal }, agents);
    if (res.status !== 200) throw new CoreError('INDEX_UNREADABLE', `${url.href} answered HTTP ${res.status}`);
    return res.body.toString('utf8');
  } catch (e) {
    if (e instanceof CoreError && !(e instanceof SourceError)) throw e;
    throw new CoreError('INDEX_UNREADABLE', `cannot load ${url.href}: ${errorMessage(e)}`);
  } finally {
    destroyAgents(agents);
  }
}
