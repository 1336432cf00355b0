// `pic-store verify TARGET... [--trust-key FILE]... [--trusted-root FILE] [--plain-http-registry HOST]...
// [--json] [--timeout S] [--no-cache] [-v]` (DESIGN 2.4). `--trusted-root` replaces the trusted
// transparency logs for this one command (cosign's flag, DESIGN 2.8); an index's
// `policy.transparencyLog` applies to its services, a bare image or manifest is "if-present".
// Plain http goes to loopback registries and to the hosts listed by --plain-http-registry or in
// stores.json's `plainHttpRegistries` (2.3). Each TARGET is an existing file (an index if it has
// `services`, else a manifest), an index URL, or an image reference; a missing file named like a
// path (./x, ../x, /x, dir/x.json) is a usage error. Exit 0 when every image verified, 1 when any
// did not (an unreachable registry is a verdict), 3 when an index cannot be loaded.
import { originWords } from '../../core/catalogue/key-words';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { badgeLabel, checkLabel, explainReport } from '../../core/catalogue/reason-catalogue';
import { dataPaths } from '../../core/data-dir';
import { errorMessage } from '../../core/errors';
import { checkRegistryHost } from '../../core/reference/image-reference';
import { dockerConfigCredentials } from '../../core/registry/docker-credentials';
import { isIndexUrl, loadStoreIndex, readStoreJsonFile, type LoadedStore } from '../../core/store/load-index';
import { readPlainHttpRegistries } from '../../core/store/stores-config';
import { validateManifest, type StoreService } from '../../core/store/validate';
import { signedNoLaterThan } from '../../core/verification/tlog-judgement';
import type { TlogSummary, VerificationReport } from '../../core/verification/types';
import { openFileCache, type VerificationCache } from '../../core/verification/verification-cache';
import { verifyStore } from '../../core/verification/verify-store';
import { terminalLines } from '../../core/terminal-text';
import { fileKind } from '../../core/user-file';
import { parseCommandArgs, UsageError } from '../args';
import { configuredStoreTarget, listingUsable, printStoreStatus, type StoreStatus } from '../store-target';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';

const MAX_FILE_BYTES = 16 * 1024 * 1024;

interface Target {
  label: string;
  store: Pick<LoadedStore, 'services' | 'ociLayoutDir' | 'isDemo' | 'transparencyLog'>;
  /** For `store:NAME`: the configured store's state (DESIGN 2.7), reported beside the results. */
  status?: StoreStatus;
}

/**
 * Whether the path is a regular file; false when nothing is there. Something that exists but is
 * not a regular file — a FIFO, a device, a directory — is a usage error naming what it is
 * (DESIGN 2.4): it is never opened (a FIFO would block) nor mistaken for an image reference.
 */
async function isFile(p: string, arg: string): Promise<boolean> {
  let st;
  try {
    st = await stat(p);
  } catch {
    return false;
  }
  if (!st.isFile()) throw new UsageError(`${arg} is ${fileKind(st)}, not a file; a TARGET is an index or manifest file, an index URL, or an image reference`);
  return true;
}

function imageService(image: string): StoreService {
  return { index: 0, id: null, manifest: { id: '', name: image, version: '', image }, raw: { image }, errors: [] };
}

/**
 * A missing file is more helpfully a usage error than an "invalid image reference" — but only
 * when the argument cannot be an image reference anyway: it starts with ./ ../ or /, or it has a
 * directory and ends in .json. Anything else that is not an existing file or a URL is an image
 * reference (DESIGN 2.4).
 */
function looksLikePath(arg: string): boolean {
  return /^\.{0,2}\//.test(arg) || (arg.includes('/') && /\.json$/i.test(arg));
}

async function resolveTarget(arg: string, ctx: CliContext, io: CliIo, timeoutMs: number): Promise<Target> {
  if (arg.startsWith('store:')) return configuredStoreTarget(arg, ctx, io, timeoutMs);
  const path = resolve(io.cwd, arg);
  if (await isFile(path, arg)) {
    // One way to load a file: the store loader's reader (size bound, BOM), then index or manifest.
    const raw = await readStoreJsonFile(path, { maxBytes: MAX_FILE_BYTES });
    if (raw && typeof raw === 'object' && 'services' in raw) {
      return { label: arg, store: await loadStoreIndex(path, { appConfigDir: ctx.appConfigDir, timeoutMs, parsed: raw }) };
    }
    const { manifest, errors } = validateManifest(raw);
    const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    return { label: arg, store: { services: [{ index: 0, id, manifest, raw, errors }], ociLayoutDir: null, isDemo: false } };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(arg)?.[1];
  if (scheme && !isIndexUrl(arg)) throw new UsageError(`${arg}: ${scheme.toLowerCase()}: URLs are not supported; an index URL is https: (http: for a loopback store) or file:`);
  if (isIndexUrl(arg)) return { label: arg, store: await loadStoreIndex(arg, { appConfigDir: ctx.appConfigDir, timeoutMs, cwd: io.cwd }) };
  if (looksLikePath(arg)) throw new UsageError(`${arg}: the file does not exist (a TARGET starting with ./ ../ or /, or a path ending in .json, must name an existing file)`);
  return { label: arg, store: { services: [imageService(arg)], ociLayoutDir: null, isDemo: false } };
}

export async function verifyCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    'trust-key': { type: 'string', multiple: true },
    'trusted-root': { type: 'string' },
    'plain-http-registry': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    'no-cache': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (positionals.length === 0) throw new UsageError('verify needs at least one TARGET (an index file or URL, a manifest file, or an image reference)');
  let timeoutMs = 30_000;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0 || s > 3600) throw new UsageError(`--timeout must be a number of seconds between 0 and 3600, not "${values.timeout}"`);
    timeoutMs = Math.round(s * 1000);
  }
  const trustKeys = (values['trust-key'] ?? []).map((f) => resolve(io.cwd, f));
  const trustedRootFile = values['trusted-root'] !== undefined ? resolve(io.cwd, values['trusted-root']) : undefined;
  const plainHttp = await plainHttpRegistries(values['plain-http-registry'] ?? [], io, ctx);

  const targets: Target[] = [];
  for (const arg of positionals) targets.push(await resolveTarget(arg, ctx, io, timeoutMs));
  const storeTargets = targets.filter((t) => t.status);
  if (storeTargets.length > 1) throw new UsageError('verify takes one store:NAME at a time (its state is reported beside the results)');
  const status = storeTargets[0]?.status;

  const cache: VerificationCache | null = values['no-cache'] ? null : await openFileCache(dataPaths(ctx.dataDir).cache);
  const credentials = dockerConfigCredentials({ env: io.env });
  const results: VerificationReport[] = [];
  // A deadline for the whole command as well as per request, per image and per registry (its
  // circuit breaker): nothing can make it hang, and whatever is unfinished when the deadline
  // passes is reported as REGISTRY_UNREACHABLE — a verdict (exit 1), never a lost run (DESIGN 2.4).
  const overallMs = Math.max(timeoutMs * 4, 60_000);
  const deadline = Date.now() + overallMs;
  for (const t of targets) {
    const trustRoot = await ctx.trustRootFor(t.store, trustKeys, trustedRootFile);
    const reports = await verifyStore(t.store, { trustRoot, cache, timeoutMs, credentials, deadline, insecureHosts: plainHttp });
    for (const r of reports) results.push(r.serviceId === '' ? withoutServiceId(r) : r);
  }

  if (values.json) printJson(io, status ? { results, store: status } : { results });
  else {
    if (status) printStoreStatus(io, status);
    printHuman(io, results, !!values.verbose);
  }
  return results.every((r) => r.verified) && listingUsable(status) ? EXIT.ok : EXIT.no;
}

/**
 * The registries allowed over plain http: the command line's, plus stores.json's. A stores.json
 * that cannot be read is said on stderr and allows none (fewer is never weaker); verifying a
 * file must not depend on it.
 */
async function plainHttpRegistries(flags: string[], io: CliIo, ctx: CliContext): Promise<string[]> {
  for (const h of flags) {
    const why = checkRegistryHost(h);
    if (why) throw new UsageError(`--plain-http-registry wants a registry host (name or name:port): ${why}`);
  }
  let listed: string[] = [];
  try {
    listed = await readPlainHttpRegistries(ctx.dataDir);
  } catch (e) {
    io.err(terminalLines(`pic-store verify: warning: ${errorMessage(e)}; no plain-http registries from it are used`));
  }
  return [...flags, ...listed];
}

function withoutServiceId(r: VerificationReport): VerificationReport {
  const { serviceId: _omit, ...rest } = r;
  return rest;
}

function shortDigest(d: string | null): string {
  return d ? `${d.slice(0, 19)}…` : '(no digest)';
}

/** " (logged: signed no later than …)" for a verified image whose log entry decided the check. */
function loggedNote(r: VerificationReport): string {
  const t = r.checks.find((c) => c.id === 'transparency-log');
  if (t?.status !== 'pass') return '';
  const entry = r.signatures.find((s) => s.tlog?.status === 'verified')?.tlog;
  return entry ? ` (logged in ${entry.log} #${entry.index}: ${signedNoLaterThan(entry)})` : '';
}

function tlogText(t: TlogSummary): string {
  if (t.status === 'verified') return `entry ${t.index} in ${t.log}, ${signedNoLaterThan(t)}`;
  return `${t.status}${t.detail ? ` (${t.detail})` : ''}`;
}

/** Every line through the terminal-safe printer: ids, images, details and messages come from the store and the registry. */
function printHuman(io: CliIo, results: VerificationReport[], verbose: boolean): void {
  const line = (...text: string[]) => io.out(terminalLines(...text));
  for (const r of results) {
    const mark = r.verified ? 'OK  ' : 'FAIL';
    const logged = r.verified ? loggedNote(r) : '';
    const who = r.serviceId ? `${r.serviceId}: ` : '';
    const warn = r.checks.some((c) => c.status === 'warn' && c.id === 'identity') ? ' (identity warning)' : '';
    const ex = explainReport(r);
    // The badge's words lead; the code follows in brackets for the helpdesk and for searching.
    line(`${mark} ${badgeLabel(r.reason)} (${r.reason})  ${who}${r.image || '(no image)'}${r.verified ? `${warn}${logged}` : ` — ${ex.sentence}`}${r.cached ? ' [cached]' : ''}`);
    if (!verbose) continue;
    line(`       digest: ${r.digest ?? '(none)'}`);
    for (const c of r.checks) line(`       ${c.status.padEnd(4)} ${checkLabel(c.id)} (${c.id}): ${c.detail}`);
    for (const s of r.signatures) {
      line(`       signature ${s.format}: key ${s.keyFingerprint ?? '(no trusted key)'}, identity ${s.identity ?? '(none)'}${s.problem ? `, ${s.problem}${s.boundDigest ? ` (binds ${shortDigest(s.boundDigest)})` : ''}` : ''}${s.tlog ? `, log: ${tlogText(s.tlog)}` : ''}`);
    }
    for (const k of r.trustedKeys) line(`       trusted key ${k.fingerprint} (${originWords(k.origin)})`);
    for (const e of r.errors ?? []) line(`       error ${e.path || '/'}: ${e.message}`);
    if (!r.verified) line(`       next (admin): ${ex.next.admin}`, `       next (developer): ${ex.next.developer}`, `       next (helpdesk): ${ex.next.helpdesk}`);
  }
  const ok = results.filter((r) => r.verified).length;
  line(`${ok} of ${results.length} verified`);
}
