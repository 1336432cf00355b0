import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { explainStoreError, isStoreCode } from '../../core/catalogue/reason-catalogue';
import { terminalSafe } from '../../core/terminal-text';
import { CoreError, errorMessage, isCoreError } from '../../core/errors';
import { inspectRoot } from '../../core/signed-store/root-file';
import { trustedListingStatus, type ListingStatus } from '../../core/signed-store/signed-refresh';
import { loadConfiguredStore } from '../../core/signed-store/load-configured-store';
import { addStore, readStoresConfig, removeStore, type StoreEntry } from '../../core/store/stores-config';
import { parseCommandArgs, UsageError } from '../args';
import { didYouMean } from '../suggest';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';

/**
 * `pic-store store add NAME URL [--root ROOT_JSON]`, `store remove NAME`, `store list [--json]`,
 * `store refresh [NAME] [--json]` (DESIGN 2.4, 2.7). A signed store's refresh is a TUF update;
 * refresh exits 0 for current/stale, 1 when a signed store's update was refused or its listing
 * expired, 3 when a store has no trusted copy and cannot be read.
 */
export interface StoreLine {
  name: string;
  url: string;
  signed: boolean;
  version: number | null;
  expires: string | null;
  /** current | stale | refused | expired | unreadable; null for an unsigned store `list` did not read. */
  state: ListingStatus['state'] | null;
  error: { code: string; message: string } | null;
}

const MAX_ROOT_BYTES = 512 * 1024;

export async function storeCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return add(rest, io, ctx);
  if (sub === 'remove') return remove(rest, io, ctx);
  if (sub === 'list') return list(rest, io, ctx, false);
  if (sub === 'refresh') return list(rest, io, ctx, true);
  throw new UsageError(sub ? `unknown store command "${sub}"${didYouMean(sub, ['add', 'remove', 'list', 'refresh'])} (expected: add, remove, list, refresh)` : 'missing store command (expected: add NAME URL, remove NAME, list, refresh)');
}

async function add(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { root: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 2) throw new UsageError('usage: store add NAME URL [--root ROOT_JSON]');
  const [name, location] = positionals as [string, string];
  if ((await readStoresConfig(ctx.dataDir)).some((s) => s.name === name)) throw new CoreError('STORE_EXISTS', `a store named "${name}" is already configured`);
  let root: Buffer | undefined;
  if (values.root !== undefined) {
    const path = resolve(io.cwd, values.root);
    try {
      root = await readFile(path);
    } catch (e) {
      throw new UsageError(`--root ${values.root}: ${errorMessage(e)}`);
    }
    if (root.length > MAX_ROOT_BYTES) throw new UsageError(`--root ${values.root} is larger than a TUF root may be`);
  }
  const summary = root ? inspectRoot(root, values.root!) : null;
  const stores = await addStore(ctx.dataDir, { location, name, root });
  const entry = stores[stores.length - 1]!;
  if (values.json) {
    printJson(io, { store: { name: entry.name, url: entry.url, signed: !!entry.signed }, root: summary });
    return EXIT.ok;
  }
  io.out(`added ${summary ? 'signed' : 'unsigned'} store ${terminalSafe(entry.name)} (${terminalSafe(entry.url)})\n`);
  if (summary) {
    io.out(`  root version ${summary.version}, expires ${summary.expires}, threshold ${summary.threshold} of ${summary.keyIds.length} root key(s)\n`);
    for (const [role, r] of Object.entries(summary.roles)) io.out(`  ${role.padEnd(9)} threshold ${r.threshold}: ${r.keyIds.join(', ')}\n`);
    io.out(`  run "pic-store store refresh ${terminalSafe(entry.name)}" to read its listing\n`);
  }
  return EXIT.ok;
}

async function remove(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('usage: store remove NAME');
  const entry = await storeByName(ctx, positionals[0]!);
  await removeStore(ctx.dataDir, entry.url);
  io.out(`removed store ${terminalSafe(entry.name)} (${terminalSafe(entry.url)})\n`);
  return EXIT.ok;
}

/** A configured store by its name (or, failing that, its URL); an unknown one is a usage error. */
export async function storeByName(ctx: CliContext, name: string): Promise<StoreEntry> {
  const stores = await readStoresConfig(ctx.dataDir);
  const found = stores.find((s) => s.name === name) ?? stores.find((s) => s.url === name);
  if (!found) throw new UsageError(`no configured store is named "${name}"${stores.length ? ` (configured: ${stores.map((s) => s.name).join(', ')})` : ' (none is configured)'}`);
  return found;
}

/** One store's line: read (refresh) or, for `list`, what was last trusted without contacting it. */
export async function storeLine(entry: StoreEntry, ctx: CliContext, io: CliIo, refresh: boolean): Promise<StoreLine> {
  const base = { name: entry.name, url: entry.url, signed: !!entry.signed };
  if (!refresh && entry.signed) {
    const { listing } = await trustedListingStatus(ctx.dataDir, entry.url);
    return { ...base, version: listing.version, expires: listing.expires, state: listing.state, error: listing.error };
  }
  if (!refresh) return { ...base, version: null, expires: null, state: null, error: null };
  try {
    const loaded = await loadConfiguredStore(entry, { dataDir: ctx.dataDir, appConfigDir: ctx.appConfigDir, cwd: io.cwd });
    const l = loaded.listing;
    return { ...base, version: l.version, expires: l.expires, state: l.state, error: l.error };
  } catch (e) {
    const listing = isCoreError(e) ? (e.details?.listing as ListingStatus | undefined) : undefined;
    return { ...base, version: listing?.version ?? null, expires: listing?.expires ?? null, state: listing?.state ?? 'unreadable', error: { code: isCoreError(e) ? e.code : 'INDEX_UNREADABLE', message: errorMessage(e) } };
  }
}

/** refresh's exit code: 3 when any store cannot be read at all, else 1 when any was refused or expired. */
export function refreshExit(lines: StoreLine[]): ExitCode {
  if (lines.some((l) => l.state === 'unreadable')) return EXIT.failure;
  if (lines.some((l) => l.state === 'refused' || l.state === 'expired')) return EXIT.no;
  return EXIT.ok;
}

async function list(argv: string[], io: CliIo, ctx: CliContext, refresh: boolean): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (!refresh && positionals.length > 0) throw new UsageError('usage: store list [--json]');
  if (positionals.length > 1) throw new UsageError('usage: store refresh [NAME] [--json]');
  const entries = positionals.length ? [await storeByName(ctx, positionals[0]!)] : await readStoresConfig(ctx.dataDir);
  const lines: StoreLine[] = [];
  for (const e of entries) lines.push(await storeLine(e, ctx, io, refresh));
  if (values.json) printJson(io, { stores: lines });
  else printLines(io, lines);
  return refresh ? refreshExit(lines) : EXIT.ok;
}

function printLines(io: CliIo, lines: StoreLine[]): void {
  if (lines.length === 0) io.out('no stores configured (the embedded demo store is shown)\n');
  for (const l of lines) {
    const what = l.signed ? `signed, ${l.version !== null ? `version ${l.version}, valid until ${l.expires}` : 'no trusted listing yet'}` : 'not signed';
    io.out(`${terminalSafe(l.name)}  ${terminalSafe(l.url)}  (${what})${l.state ? `  ${l.state}` : ''}\n`);
    if (!l.error) continue;
    if (isStoreCode(l.error.code)) {
      const x = explainStoreError(l.error.code, { store: l.name, version: l.version, expires: l.expires, detail: l.error.message });
      io.out(`  ${l.error.code}: ${terminalSafe(x.sentence)}\n  next (admin): ${x.next.admin}\n  details for the helpdesk: ${terminalSafe(x.detail)}\n`);
    } else {
      io.out(`  ${l.error.code}: ${terminalSafe(l.error.message)}\n`);
    }
  }
}
