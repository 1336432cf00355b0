import type { CellProfile } from '../cell/profiles';
import type { SshContext } from '../cell/ssh-context';
import { getCellStatus, type CellStatus } from '../cell/status';
import { CoreError, errorMessage, type ErrorInfo } from '../errors';
import type { LoadedStore } from '../store/load-index';
import type { TrustRoot } from '../trust/trust-root';
import type { VerificationReport } from '../verification/types';
import { verifyStore, type VerifyStoreOptions } from '../verification/verify-store';
import { pickListing, updateStateOf, type ListedService, type ServiceUpdate } from './update-state';

/**
 * Update detection (DESIGN 2.9, `pic-store updates`): every cell's installed inventory (one status
 * round trip each) against the configured stores. Each listed service an installed copy is judged
 * against is verified once, fresh, under the app's trust root for its store (the demo store's own
 * key for the demo store), so signers come from verification, never from the listing. Shared by
 * the CLI and main; nothing here changes a cell.
 */
export interface UpdatesStore {
  entry: { name: string; url: string };
  /** The loaded index, or why it could not be loaded (its services then count as not listed). */
  loaded: (Pick<LoadedStore, 'name' | 'services' | 'ociLayoutDir' | 'isDemo'> & { listingSigned?: boolean }) | null;
  error: ErrorInfo | null;
}

export interface CellUpdates {
  cell: string;
  destination: string;
  reachable: boolean;
  error: ErrorInfo | null;
  checkedAt: string;
  services: ServiceUpdate[];
  /** The status this was computed from, for callers that show more (the Installed view). */
  status?: CellStatus;
}

export interface UpdatesReport {
  cells: CellUpdates[];
  stores: { name: string; url: string; error: ErrorInfo | null }[];
}

export interface DetectUpdatesInput {
  cells: readonly CellProfile[];
  stores: readonly UpdatesStore[];
  ssh: SshContext;
  /** The app's trust root (cell status: does the cell key match it). */
  appTrustRoot: TrustRoot;
  /** The keys that judge one store's listings (trustRootForStore). */
  trustRootFor: (store: UpdatesStore) => Promise<TrustRoot>;
  verify?: Pick<VerifyStoreOptions, 'timeoutMs' | 'insecureHosts' | 'credentials' | 'sources' | 'deadline'>;
  signal?: AbortSignal;
  /** Cells read at once (default 4); a slow cell holds only its own slot. */
  concurrency?: number;
  timeoutMs?: number;
}

export async function detectUpdates(input: DetectUpdatesInput): Promise<UpdatesReport> {
  const statuses = await mapLimit(input.cells, input.concurrency ?? 4, async (profile) => {
    try {
      return { profile, status: await getCellStatus(profile, input.ssh, { trustRoot: input.appTrustRoot, signal: input.signal, timeoutMs: input.timeoutMs }), error: null };
    } catch (e) {
      return { profile, status: null, error: { code: e instanceof CoreError ? e.code : ('CELL_UNREACHABLE' as const), message: errorMessage(e) } };
    }
  });
  const candidates: (ListedService & { from: UpdatesStore })[] = [];
  for (const s of input.stores) {
    for (const svc of s.loaded?.services ?? []) {
      if (svc.manifest) candidates.push({ store: s.entry, manifest: svc.manifest, listingSigned: !!s.loaded?.listingSigned, from: s });
    }
  }
  // Verify each listing that some installed copy is judged against, once, grouped by store.
  const wanted = new Map<UpdatesStore, Set<string>>();
  for (const st of statuses) {
    for (const inst of st.status?.installed ?? []) {
      const { listed } = pickListing(inst, candidates);
      const c = listed as (typeof candidates)[number] | null;
      if (c) wanted.set(c.from, (wanted.get(c.from) ?? new Set()).add(inst.id));
    }
  }
  const reports = new Map<string, VerificationReport>();
  for (const [store, ids] of wanted) {
    const services = store.loaded!.services.filter((s) => s.manifest && ids.has(s.manifest.id));
    const trustRoot = await input.trustRootFor(store);
    const rs = await verifyStore({ services, ociLayoutDir: store.loaded!.ociLayoutDir }, { trustRoot, exhaustive: true, cache: null, signal: input.signal, ...input.verify });
    for (const r of rs) if (r.serviceId) reports.set(`${store.entry.url}\n${r.serviceId}`, r);
  }
  const unreadable = input.stores.filter((s) => !s.loaded).map((s) => s.entry.name);
  const cells: CellUpdates[] = statuses.map(({ profile, status, error }) => ({
    cell: profile.name,
    destination: profile.destination,
    reachable: status !== null,
    error,
    checkedAt: status?.checkedAt ?? new Date().toISOString(),
    services: (status?.installed ?? []).map((inst) => {
      const picked = pickListing(inst, candidates);
      const { listed } = picked;
      // Not found while a store could not be read: say so rather than claim nobody lists it.
      const note = picked.note ?? (!listed && unreadable.length ? `not listed by any store that could be read (${unreadable.join(', ')} could not be)` : undefined);
      const report = listed ? (reports.get(`${listed.store.url}\n${inst.id}`) ?? null) : null;
      return updateStateOf(inst, listed, report, { cellKeyVerifies: cellKeyVerdict(status!, report), ...(note ? { note } : {}) });
    }),
    ...(status ? { status } : {}),
  }));
  return { cells, stores: input.stores.map((s) => ({ name: s.entry.name, url: s.entry.url, error: s.error })) };
}

/**
 * Whether the cell's own key verifies the listed image, from the verification under the app's
 * keys: known when the cell key is one of them (it signed, or it did not); null when the cell
 * trusts a key the app does not hold (the install's fresh check under the cell key decides then).
 */
function cellKeyVerdict(status: CellStatus, report: VerificationReport | null): boolean | null {
  if (!report) return null;
  if (!status.cellKey) return false;
  if (!status.cellKey.matchesTrustRoot) return null;
  return report.signatures.some((s) => s.keyFingerprint === status.cellKey!.fingerprint && !s.problem);
}

/** Exit status of `pic-store updates` (DESIGN 2.4): 3 when no cell could be reached, 1 when any service is revoked, else 0. */
export function updatesExitCode(report: UpdatesReport): 0 | 1 | 3 {
  if (report.cells.length > 0 && report.cells.every((c) => !c.reachable)) return 3;
  return report.cells.some((c) => c.services.some((s) => s.state === 'revoked')) ? 1 : 0;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
