/*
 * The `fleet` domain (DESIGN 2.10): what to put where (a store's service onto cells and groups),
 * the plan core made — built cell by cell with progress, cancellable — its run settings, the run
 * with live per-cell progress, stop between batches, cancel, retry of the failed cells, and the
 * fleet receipts Activity lists. Every judgement and every word is main's.
 */
import { create } from 'zustand';
import type { BatchSize, CellProfile, FleetPlanCell, FleetPlanView, FleetProgress, FleetRunView, FleetWords } from '../../../electron/ipc/contract/channels';
import type { IpcError, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { IDLE_OP, LOADING_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

export const DEFAULT_BATCHES_TEXT = '1, 10%, 100%';
export const DEFAULT_CONCURRENCY = 5;

/** One cell during a run: waiting for its batch, at work (its install phase), or its outcome in words. */
export interface RunCell {
  batch: number | null;
  state: 'waiting' | 'running' | 'ended';
  phase: string | null;
  outcome: string | null;
  /** The outcome's kind (installed, failed…), for colour; words are in `outcome`. */
  kind: string | null;
  why: FleetWords | null;
}

export interface FleetRunState {
  runId: string;
  status: 'running' | 'stopping' | 'cancelling' | 'finished' | 'failed';
  /** Batches as they started, with how each ended. */
  batches: { batch: number; cells: string[]; failed: number | null; stops: boolean }[];
  cells: Record<string, RunCell>;
  result: FleetRunView | null;
  error: IpcError | null;
}

export interface FleetSettings {
  /** As typed: `1, 10%, 100%`; main checks it. */
  batches: string;
  concurrency: number;
  /** Empty for none (the run then stops only after a batch in which every cell failed). */
  maxFailPercent: string;
}

interface FleetSlice extends SliceStatus {
  storeId: string | null;
  /** `id version` of the chosen listing. */
  service: { id: string; version: string } | null;
  /** Cell names and group names, as chosen. */
  selection: string[];
  planning: { total: number; rows: FleetPlanCell[] } | null;
  plan: FleetPlanView | null;
  saved: AsyncOp<{ path: string; bytes: number }>;
  settings: FleetSettings;
  run: FleetRunState | null;
  runs: AsyncOp<FleetRunView[]>;
  imported: AsyncOp<{ added: CellProfile[] }>;
  exported: AsyncOp<{ path: string; count: number }>;
  importInventory(path: string): Promise<void>;
  /** The chosen cells and groups, or every cell when none is chosen. */
  exportInventory(path: string): Promise<void>;
  choose(next: Partial<Pick<FleetSlice, 'storeId' | 'service' | 'selection'>>): void;
  toggle(word: string): void;
  makePlan(): Promise<void>;
  cancelPlan(): Promise<void>;
  savePlan(path: string): Promise<void>;
  setSettings(next: Partial<FleetSettings>): void;
  apply(retry?: boolean): Promise<void>;
  stop(): Promise<void>;
  cancel(): Promise<void>;
  loadRuns(): Promise<void>;
  /** Follows plan and run progress pushed from main; subscribed once at app level. */
  subscribe(): Unsubscribe;
}

/** The typed batch list as the contract's entries; main checks every entry and says what is wrong. */
export function batchList(text: string): BatchSize[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : (p as `${number}%`)));
}

const INITIAL_SETTINGS: FleetSettings = { batches: DEFAULT_BATCHES_TEXT, concurrency: DEFAULT_CONCURRENCY, maxFailPercent: '' };

export const useFleetSlice = create<FleetSlice>()((set, get) => {
  const patchRun = (runId: string, next: (r: FleetRunState) => Partial<FleetRunState>) =>
    set((s) => (s.run?.runId === runId ? { run: { ...s.run, ...next(s.run) } } : s));
  const onProgress = (p: FleetProgress) =>
    patchRun(p.runId, (r) => {
      const cell = (name: string, next: Partial<RunCell>) => ({ ...r.cells, [name]: { ...(r.cells[name] ?? { batch: null, state: 'waiting', phase: null, outcome: null, kind: null, why: null }), ...next } });
      if (!('event' in p)) return r.cells[p.cell]?.state === 'ended' ? {} : { cells: cell(p.cell, { phase: p.phase }) };
      const e = p.event;
      switch (e.kind) {
        case 'batch-start':
          return { batches: [...r.batches, { batch: e.batch, cells: e.cells, failed: null, stops: false }], cells: e.cells.reduce((acc, c) => ({ ...acc, [c]: { ...(acc[c] ?? { state: 'waiting', phase: null, outcome: null, kind: null, why: null }), batch: e.batch } }), r.cells) };
        case 'cell-start':
          return { cells: cell(e.cell, { batch: e.batch, state: 'running' }) };
        case 'cell-end':
          return { cells: cell(e.cell, { batch: e.batch, state: 'ended', phase: null, kind: e.outcome, outcome: p.words?.outcome ?? null, why: p.words?.why ?? null }) };
        case 'batch-end':
          return { batches: r.batches.map((b) => (b.batch === e.batch ? { ...b, failed: e.failed, stops: e.stops } : b)) };
      }
      return {};
    });
  return {
    status: 'idle',
    error: null,
    storeId: null,
    service: null,
    selection: [],
    planning: null,
    plan: null,
    saved: IDLE_OP,
    settings: INITIAL_SETTINGS,
    run: null,
    runs: IDLE_OP,
    imported: IDLE_OP,
    exported: IDLE_OP,
    async importInventory(path) {
      set({ imported: LOADING_OP });
      set({ imported: settled(await api().fleet.importInventory({ path })) });
    },
    async exportInventory(path) {
      const selection = get().selection;
      set({ exported: LOADING_OP });
      set({ exported: settled(await api().fleet.exportInventory({ path, ...(selection.length ? { cells: selection } : {}) })) });
    },
    choose(next) {
      // A new choice makes the old plan stale: it was made for other cells or another listing.
      set({ ...next, plan: null, saved: IDLE_OP, run: null, error: null, status: 'idle' });
    },
    toggle(word) {
      const sel = get().selection;
      get().choose({ selection: sel.includes(word) ? sel.filter((w) => w !== word) : [...sel, word] });
    },
    async makePlan() {
      const { storeId, service, selection } = get();
      if (!storeId || !service || selection.length === 0) return;
      set({ status: 'loading', error: null, plan: null, run: null, saved: IDLE_OP, planning: { total: 0, rows: [] } });
      const r = await api().fleet.plan({ storeId, serviceId: service.id, version: service.version, cells: selection });
      set(r.ok ? { status: 'ready', plan: r.data, planning: null } : { status: 'error', error: r.error, planning: null });
    },
    async cancelPlan() {
      await api().fleet.cancelPlan();
    },
    async savePlan(path) {
      const plan = get().plan;
      if (!plan) return;
      set({ saved: LOADING_OP });
      set({ saved: settled(await api().fleet.savePlan({ planId: plan.plan.id, path })) });
    },
    setSettings(next) {
      set((s) => ({ settings: { ...s.settings, ...next } }));
    },
    async apply(retry = false) {
      const { plan, settings, run } = get();
      if (!plan) return;
      const limit = settings.maxFailPercent.trim();
      const r = await api().fleet.apply({
        planId: plan.plan.id,
        batches: batchList(settings.batches),
        concurrency: settings.concurrency,
        maxFailPercent: limit === '' ? null : Number(limit),
        ...(retry && run?.result ? { retryRunId: run.result.receipt.id } : {}),
      });
      if (!r.ok) return set({ status: 'error', error: r.error });
      set({ status: 'ready', error: null, run: { runId: r.data.runId, status: 'running', batches: [], cells: {}, result: null, error: null } });
    },
    async stop() {
      const run = get().run;
      if (!run || run.status !== 'running') return;
      patchRun(run.runId, () => ({ status: 'stopping' }));
      await api().fleet.stop({ runId: run.runId });
    },
    async cancel() {
      const run = get().run;
      if (!run || (run.status !== 'running' && run.status !== 'stopping')) return;
      patchRun(run.runId, () => ({ status: 'cancelling' }));
      await api().fleet.cancel({ runId: run.runId });
    },
    async loadRuns() {
      if (get().runs.status === 'idle') set({ runs: LOADING_OP });
      set({ runs: settled(await api().fleet.runs({})) });
    },
    subscribe() {
      const offs = [
        api().fleet.on('planProgress', (p) =>
          set((s) => (s.planning ? { planning: { total: p.total, rows: p.row ? [...s.planning.rows, p.row] : s.planning.rows } } : s)),
        ),
        api().fleet.on('progress', onProgress),
        api().fleet.on('finished', (v) => {
          // The receipt is the last word on every cell that had a batch, the untried ones too.
          patchRun(v.receipt.id, (r) => ({
            status: 'finished',
            result: v,
            cells: Object.fromEntries(v.receipt.cells.filter((c) => c.batch !== null).map((c) => [c.cell, { batch: c.batch, state: 'ended' as const, phase: null, kind: c.outcome, outcome: v.cells[c.cell]?.outcome ?? null, why: v.cells[c.cell]?.why ?? r.cells[c.cell]?.why ?? null }])),
          }));
          if (get().runs.status !== 'idle') void get().loadRuns();
        }),
        api().fleet.on('failed', (f) => patchRun(f.runId, () => ({ status: 'failed', error: f.error as IpcError }))),
      ];
      return () => offs.forEach((off) => off());
    },
  };
});
