// `pic-store install MANIFEST_OR_ID --cell DEST [--store INDEX] [--ssh-config FILE] [--root PATH]
// [--yes] [--accept-changes] [--accept-signer FINGERPRINT] [--json]` (DESIGN 2.4, 2.9): the whole
// install flow of core; the pre-flight (with an upgrade's review) is shown and confirmed on the
// terminal unless --yes. Exit 0 installed, 1 blocked / not confirmed, 2 usage, 3 the install could
// not be done.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeCellConnection } from '../../core/cell/ssh';
import { CoreError, errorMessage, isCoreError } from '../../core/errors';
import { installService } from '../../core/install/install-flow';
import type { TlogPolicy } from '../../core/verification/types';
import { formatPreflight } from '../../core/install/preflight';
import type { Receipt } from '../../core/receipts/receipt';
import type { ServiceManifest } from '../../core/store/manifest-schema';
import { readStoreJsonFile, type LoadedStore } from '../../core/store/load-index';
import type { StoreEntry } from '../../core/store/stores-config';
import { effectiveStores, loadEffectiveStore } from '../../core/signed-store/effective-stores';
import type { ListingStatus } from '../../core/signed-store/signed-refresh';
import { validateManifest } from '../../core/store/validate';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';
import { resolveCliCell } from './cell';
import { terminalLines } from '../../core/terminal-text';
import { explainMode, reasonTitle } from '../../core/catalogue/reason-catalogue';
import { originWords, shortFingerprint } from '../../core/catalogue/key-words';
import { explainReceipt } from '../../core/receipts/explain';

export async function installCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    cell: { type: 'string' },
    store: { type: 'string' },
    'ssh-config': { type: 'string' },
    root: { type: 'string' },
    yes: { type: 'boolean' },
    'accept-changes': { type: 'boolean' },
    'accept-signer': { type: 'string' },
    json: { type: 'boolean' },
  });
  const acceptSigner = values['accept-signer'];
  if (acceptSigner !== undefined && !/^[0-9a-fA-F]{64}$/.test(acceptSigner)) throw new UsageError('--accept-signer takes the new key\'s fingerprint: 64 hex characters (the SHA-256 of its public key)');
  if (positionals.length !== 1) throw new UsageError('give exactly one MANIFEST_OR_ID');
  if (!values.cell) throw new UsageError('--cell DEST is required');
  if (!values.yes && !io.isTTY) throw new UsageError('there is no terminal to confirm the pre-flight summary on; review it and pass --yes to install without asking');
  const profile = await resolveCliCell(values.cell, { root: values.root, sshConfig: values['ssh-config'] && resolve(io.cwd, values['ssh-config']) }, ctx.dataDir);
  const { manifest, store, transparencyLog, listing, isDemo } = await resolveService(positionals[0]!, values.store, io, ctx);
  const appTrustRoot = await ctx.trustRootFor({ isDemo: !!isDemo });
  const sources = await ctx.imageSources();
  const ssh = { dataDir: ctx.dataDir, env: io.env };
  try {
    const { receipt, declined } = await installService(
      {
        manifest, store, listing, profile, ssh, appTrustRoot, transparencyLog, sources: sources.provider, plainHttpRegistries: sources.plainHttpRegistries, activityLog: ctx.paths.activity,
        // The review's added and changed things: consented by --accept-changes, or by confirming the
        // pre-flight on a terminal (it shows them). A new signer always needs its fingerprint named.
        consent: { acceptChanges: !!values['accept-changes'] || !values.yes, acceptSigner: acceptSigner ?? null },
        onProgress: (p) => {
          if (!values.json && p.line) io.err(terminalLines(`  ${p.line}`));
          else if (!values.json && ['lock', 'pull', 'swap', 'up', 'rollback'].includes(p.phase)) io.err(`… ${p.phase}\n`);
        },
      },
      async (summary) => {
        if (values.yes) {
          if (!values.json) io.err(formatPreflight(summary));
          return true;
        }
        io.err(formatPreflight(summary));
        return /^y(es)?$/i.test((await io.ask('Proceed? [y/N] ')).trim());
      },
    );
    if (declined) {
      // Not an attempt (DESIGN 2.5): nothing to print a receipt for, because none was written.
      if (values.json) printJson(io, { declined: true, error: receipt.error });
      else io.err('Not confirmed: the cell was not changed and nothing was recorded.\n');
      return EXIT.no;
    }
    printReceipt(io, receipt, !!values.json);
    return exitFor(receipt);
  } finally {
    sources.close();
    await closeCellConnection(profile, ssh).catch(() => undefined);
  }
}

export function exitFor(r: Receipt): ExitCode {
  if (r.outcome === 'installed' || r.outcome === 'uninstalled') return EXIT.ok;
  if (r.outcome === 'rejected' || r.outcome === 'cancelled') return EXIT.no;
  return EXIT.failure;
}

export function printReceipt(io: CliIo, r: Receipt, json: boolean): void {
  if (json) {
    printJson(io, r);
    return;
  }
  const v = r.verification;
  // Receipt fields carry the cell's own output (docker, cosign): escaped before they reach the terminal.
  const out = (line: string) => io.out(terminalLines(line));
  // The receipt explanation's sentence (the words Activity and `explain` use), then the facts.
  out(`${OUTCOME_WORD[r.outcome]}: ${explainReceipt(r).outcomeSentence}`);
  out(`  cell:      ${r.cell.name === r.cell.destination ? r.cell.name : `${r.cell.name} (${r.cell.destination})`}, PIC root ${r.cell.root}`);
  if (r.digest) out(`  digest:    ${r.digest}`);
  if (r.mode && r.action !== 'uninstall') out(`  mode:      ${explainMode(r.mode).title}`);
  if (v) out(`  signature: ${signatureWords(v)}`);
  if (r.cellVerification?.ran) out(`  on the cell: cosign ${r.cellVerification.verified ? 'verified the image too' : 'did NOT verify the image'}`);
  if (r.error) out(`  code:      ${r.error.code} (for the helpdesk)`);
  out(`  receipt:   ${r.id} (pic-store explain ${r.id})`);
}

const OUTCOME_WORD: Record<Receipt['outcome'], string> = {
  installed: 'Installed',
  uninstalled: 'Uninstalled',
  rejected: 'Refused',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** "Verified (signed by the store key installed with the app — 3f2a9c1d…)" / "Unsigned (SIGNATURE_NOT_FOUND)". */
function signatureWords(v: NonNullable<Receipt['verification']>): string {
  if (!v.verified) return `${reasonTitle(v.reason)} (${v.reason})`;
  const signer = v.signatures.find((s) => !s.problem && s.keyFingerprint)?.keyFingerprint;
  const key = v.trustedKeys.find((k) => k.fingerprint === signer);
  return signer ? `Verified — signed by ${originWords(key?.origin)}, fingerprint ${shortFingerprint(signer)}` : 'Verified';
}

export async function resolveService(arg: string, storeOpt: string | undefined, io: CliIo, ctx: CliContext): Promise<FoundService> {
  const path = resolve(io.cwd, arg);
  if (existsSync(path)) {
    // The one way a store file is read (size bound, byte-order mark), as verify and lint read it.
    let raw: unknown;
    try {
      raw = await readStoreJsonFile(path);
    } catch (e) {
      throw new CoreError('MANIFEST_UNREADABLE', errorMessage(e));
    }
    if (raw && typeof raw === 'object' && 'services' in raw) throw new UsageError(`${arg} is a store index; give a service id with --store ${arg}`);
    const v = validateManifest(raw);
    if (!v.manifest) throw new CoreError('MANIFEST_INVALID', `${arg} is not a valid manifest: ${v.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    return { manifest: v.manifest, store: null };
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(arg)) throw new UsageError(`"${arg}" is neither a manifest file nor a service id`);
  // The stores the app reads, found the same way (shipped, configured, else the signed demo store).
  const { entries } = await effectiveStores(ctx);
  const chosen = storeOpt ? [entries.find((s) => s.entry.name === storeOpt || s.entry.url === storeOpt) ?? { id: storeOpt, entry: { name: storeOpt, url: storeOpt }, isDemo: false, shipped: null }] : entries;
  const locations: StoreEntry[] = chosen.map((s) => s.entry);
  // A signed store is read only through TUF, and its listing's state travels to the install gate.
  const storeOf = (url: string) => chosen.find((s) => s.entry.url === url) ?? { id: url, entry: { name: url, url }, isDemo: false, shipped: null };
  const { found, unreadable } = await findServiceInStores(arg, locations, (url) => loadEffectiveStore(storeOf(url), { dataDir: ctx.dataDir, cwd: io.cwd, appConfigDir: ctx.appConfigDir }));
  if (found.length === 0 && unreadable.length > 0) {
    const first = unreadable[0]!.error;
    throw new CoreError(isCoreError(first) ? first.code : 'INDEX_UNREADABLE', `no service "${arg}" found, and ${unreadable.map((u) => `${u.store.name} (${u.store.url}) could not be read: ${errorMessage(u.error)}`).join('; ')}`);
  }
  if (found.length === 0) throw new UsageError(`no service "${arg}" in ${locations.map((l) => l.url).join(', ')}`);
  if (found.length > 1) throw new UsageError(`"${arg}" is in several stores (${found.map((f) => f.store?.name).join(', ')}); choose one with --store`);
  for (const u of unreadable) io.err(terminalLines(`pic-store install: warning: store ${u.store.name} (${u.store.url}) could not be read: ${errorMessage(u.error)}`));
  return found[0]!;
}

interface FoundService {
  manifest: ServiceManifest;
  store: { name: string; url: string } | null;
  /** The store index's transparency-log policy (DESIGN 2.8); absent for a manifest file. */
  transparencyLog?: TlogPolicy;
  /** The listing's status when the service came from a store (DESIGN 2.7). */
  listing?: ListingStatus;
  /** From the embedded demo store: judged under its demo key alone, as the app does (DESIGN 2.3). */
  isDemo?: boolean;
}

/**
 * Looks a service id up in every configured store. A store that cannot be loaded does not stop
 * the lookup (the id may well be in another one); it is returned as unreadable so the caller can
 * warn, or fail naming it when the id is found nowhere. An invalid listing of the id is an error.
 */
export async function findServiceInStores(
  id: string,
  locations: readonly { name: string; url: string }[],
  load: (url: string) => Promise<Pick<LoadedStore, 'name' | 'services' | 'transparencyLog' | 'listing'> & { isDemo?: boolean }>,
): Promise<{ found: FoundService[]; unreadable: { store: { name: string; url: string }; error: unknown }[] }> {
  const found: FoundService[] = [];
  const unreadable: { store: { name: string; url: string }; error: unknown }[] = [];
  for (const s of locations) {
    let loaded;
    try {
      loaded = await load(s.url);
    } catch (e) {
      unreadable.push({ store: s, error: e });
      continue;
    }
    const svc = loaded.services.find((x) => x.id === id);
    if (!svc) continue;
    if (!svc.manifest) throw new CoreError('MANIFEST_INVALID', `${id} in ${loaded.name} is invalid (MANIFEST_INVALID) and cannot be installed: ${svc.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    found.push({ manifest: svc.manifest, store: { name: loaded.name, url: s.url }, listing: loaded.listing, ...(loaded.isDemo ? { isDemo: true } : {}), ...(loaded.transparencyLog ? { transparencyLog: loaded.transparencyLog } : {}) });
  }
  return { found, unreadable };
}
