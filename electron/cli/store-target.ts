import { explainStoreError, isStoreCode } from '../core/catalogue/reason-catalogue';
import { terminalSafe } from '../core/terminal-text';
import { loadConfiguredStore } from '../core/signed-store/load-configured-store';
import type { LoadedStore } from '../core/store/load-index';
import { storeByName } from './commands/store';
import type { CliContext } from './context';
import type { CliIo } from './io';

/**
 * `verify store:NAME` (DESIGN 2.7): a configured store read the way its entry says — a signed
 * one through a TUF refresh, its last trusted listing verified even when the update was refused —
 * with `"store": { name, signed, version, expires, state, error }` reported beside the results.
 */
export interface StoreStatus {
  name: string;
  signed: boolean;
  version: number | null;
  expires: string | null;
  state: string;
  error: { code: string; message: string } | null;
}

export async function configuredStoreTarget(arg: string, ctx: CliContext, io: CliIo, timeoutMs: number): Promise<{ label: string; store: LoadedStore; status: StoreStatus }> {
  const entry = await storeByName(ctx, arg.slice('store:'.length));
  const store = await loadConfiguredStore(entry, { dataDir: ctx.dataDir, appConfigDir: ctx.appConfigDir, cwd: io.cwd, timeoutMs });
  const l = store.listing;
  return { label: arg, store, status: { name: entry.name, signed: l.signed, version: l.version, expires: l.expires, state: l.state, error: l.error } };
}

/** Whether the listing the results came from may be trusted (verify's exit code). */
export function listingUsable(status: StoreStatus | undefined): boolean {
  return !status || status.state === 'current' || status.state === 'stale';
}

export function printStoreStatus(io: CliIo, s: StoreStatus): void {
  const what = s.signed ? `listing signed by ${terminalSafe(s.name)}, version ${s.version}, valid until ${s.expires}` : 'listing not signed';
  io.out(`store ${terminalSafe(s.name)}: ${s.state} (${what})\n`);
  if (s.error && isStoreCode(s.error.code)) {
    const x = explainStoreError(s.error.code, { store: s.name, version: s.version, expires: s.expires, detail: s.error.message });
    io.out(`  ${s.error.code}: ${terminalSafe(x.sentence)}\n  next (admin): ${x.next.admin}\n  details for the helpdesk: ${terminalSafe(x.detail)}\n`);
  }
}
