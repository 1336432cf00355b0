/*
 * The `verification` domain: verdicts as main reaches them — a whole store's badges streamed as
 * a run goes, one service's full verdict for its page, and the current badge of an image a cell
 * runs. The renderer never decides one.
 */
import { create } from 'zustand';
import type { ServiceVerdict, VerdictSummary } from '../../../electron/ipc/contract/channels';
import type { IpcError, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { LOADING_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

interface RunState {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  running: boolean;
  cancelled: boolean;
}

interface VerificationSlice extends SliceStatus {
  storeId: string | null;
  /** The badge of every service reached so far (progress carries summaries, not reports). */
  verdicts: Record<string, VerdictSummary>;
  /** Full verdicts (report + explanation), fetched one by one when a service page opens. */
  reports: Record<string, ServiceVerdict>;
  run: RunState | null;
  /**
   * Services whose verdict in `verdicts` predates the current whole-store run: a fresh re-verify
   * keeps the old badge (marked stale) until the run replaces it, so a cancelled or failed run
   * never erases what was known.
   */
  stale: Record<string, true>;
  /** Services being re-verified one by one from the Why panel. */
  reverifying: Record<string, boolean>;
  /** Why the last one-service re-verify failed, per service (shown in its Why panel). */
  reverifyErrors: Record<string, IpcError>;
  verifyStore(storeId: string, fresh?: boolean): Promise<void>;
  cancel(): Promise<void>;
  verifyService(storeId: string, serviceId: string): Promise<void>;
  /** Fetches main's full verdict for one service (its page opened, or its summary changed). */
  loadReport(storeId: string, serviceId: string): Promise<void>;
  /** The current verdict of what a cell runs, by `installedKey` (image@digest afresh against today's trust root). */
  installed: Record<string, AsyncOp<ServiceVerdict>>;
  /** Verifies an installed image@digest again (a refreshed cell status asks again too). */
  verifyInstalled(image: string, serviceId: string): Promise<void>;
  /** Follows progress pushed from main; subscribed once at app level. */
  subscribe(): Unsubscribe;
}

export const useVerificationSlice = create<VerificationSlice>()((set, get) => ({
  status: 'idle',
  error: null,
  storeId: null,
  verdicts: {},
  reports: {},
  run: null,
  stale: {},
  reverifying: {},
  reverifyErrors: {},
  installed: {},
  async verifyStore(storeId, fresh = false) {
    const sameStore = get().storeId === storeId;
    // Same store: keep what is known until this run replaces it (a fresh run marks it stale).
    const verdicts = sameStore ? get().verdicts : {};
    const stale: Record<string, true> = {};
    if (sameStore && fresh) for (const id of Object.keys(verdicts)) stale[id] = true;
    set({ status: 'loading', error: null, storeId, verdicts, stale, reports: sameStore ? get().reports : {}, run: null, ...(sameStore ? {} : { reverifyErrors: {} }) });
    const r = await api().verification.verifyStore({ storeId, fresh });
    if (get().storeId !== storeId) return;
    if (!r.ok) return set({ status: 'error', error: r.error });
    set((s) => ({ run: s.run?.runId === r.data.runId ? s.run : { runId: r.data.runId, storeId, done: 0, total: r.data.total, running: true, cancelled: false } }));
  },
  async cancel() {
    const run = get().run;
    if (run?.running) await api().verification.cancel({ runId: run.runId });
  },
  async verifyService(storeId, serviceId) {
    set((s) => ({ reverifying: { ...s.reverifying, [serviceId]: true }, reverifyErrors: without(s.reverifyErrors, serviceId) }));
    const r = await api().verification.verifyService({ storeId, serviceId });
    set((s) => ({
      reverifying: { ...s.reverifying, [serviceId]: false },
      ...(r.ok && s.storeId === storeId ? { verdicts: { ...s.verdicts, [serviceId]: summaryOf(r.data) }, reports: { ...s.reports, [serviceId]: r.data }, stale: without(s.stale, serviceId) } : {}),
      ...(r.ok ? {} : { reverifyErrors: { ...s.reverifyErrors, [serviceId]: r.error } }),
    }));
  },
  async loadReport(storeId, serviceId) {
    const r = await api().verification.verdict({ storeId, serviceId });
    if (!r.ok || !r.data || get().storeId !== storeId) return;
    const v = r.data;
    set((s) => ({ reports: { ...s.reports, [serviceId]: v } }));
  },
  async verifyInstalled(image, serviceId) {
    const key = installedKey(image, serviceId);
    // Each request replaces the last: only the newest answer for this image is kept.
    const op = { ...LOADING_OP };
    set((s) => ({ installed: { ...s.installed, [key]: op } }));
    const r = await api().verification.verifyImage({ image, serviceId });
    if (get().installed[key] !== op) return;
    set((s) => ({ installed: { ...s.installed, [key]: settled(r) } }));
  },
  subscribe() {
    const offProgress = api().verification.on('progress', (p) => {
      if (p.storeId !== get().storeId) return;
      set((s) => {
        const verdicts = { ...s.verdicts };
        const stale = { ...s.stale };
        for (const v of p.summaries) {
          verdicts[v.serviceId] = v;
          delete stale[v.serviceId];
        }
        return { verdicts, stale, run: { runId: p.runId, storeId: p.storeId, done: p.done, total: p.total, running: true, cancelled: false } };
      });
    });
    const offFinished = api().verification.on('finished', (f) => {
      if (f.storeId !== get().storeId) return;
      set({ status: f.error ? 'error' : 'ready', error: f.error, run: { runId: f.runId, storeId: f.storeId, done: f.done, total: f.total, running: false, cancelled: f.cancelled } });
    });
    return () => {
      offProgress();
      offFinished();
    };
  },
}));

function without<T>(map: Record<string, T>, key: string): Record<string, T> {
  if (!(key in map)) return map;
  const out = { ...map };
  delete out[key];
  return out;
}

/** Where `installed` keeps the verdict of one service's installed image. */
export function installedKey(image: string, serviceId: string): string {
  return `${serviceId} ${image}`;
}

/** Whether a whole-store run is starting or under way (a service without a verdict is being checked). */
export function runActive(s: { status: string; run: RunState | null }): boolean {
  return s.status === 'loading' || (s.run?.running ?? false);
}

/** The summary of a full verdict, as main's progress events carry it. */
function summaryOf({ serviceId, report }: ServiceVerdict): VerdictSummary {
  return { serviceId, reason: report.reason, verified: report.verified, verifiedAt: report.verifiedAt ?? null, cached: report.cached === true };
}

/** Whether a fetched full verdict is the one a summary describes (not an older or newer one). */
export function reportMatches(summary: VerdictSummary, full: ServiceVerdict | undefined): full is ServiceVerdict {
  return !!full && full.report.reason === summary.reason && (full.report.verifiedAt ?? null) === summary.verifiedAt && (full.report.cached === true) === summary.cached;
}
