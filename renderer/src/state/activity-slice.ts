import { create } from 'zustand';
import type { ActivityListRequest, ActivityPage, ExplainedReceipt, Receipt, RecheckResult } from '../../../electron/ipc/contract/channels';
import type { IpcError, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import type { LoadStatus, SliceStatus } from './load-status';

export const ACTIVITY_PAGE_SIZE = 100;

export type ActivityFilters = Pick<ActivityListRequest, 'outcome' | 'cell' | 'service' | 'reason'>;

interface OpState<T> {
  status: LoadStatus;
  result: T | null;
  error: IpcError | null;
}

const idleOp = { status: 'idle' as const, result: null, error: null };

/** Where the list comes from: this machine's log, or (on demand) the receipts a configured cell stores. */
export type ActivitySource = { kind: 'log' } | { kind: 'cell'; cellId: string };

interface ActivitySlice extends SliceStatus {
  page: ActivityPage | null;
  source: ActivitySource;
  setSource(source: ActivitySource): Promise<void>;
  filters: ActivityFilters;
  offset: number;
  /** Receipts imported this session (from other people's machines); never written to the local log. */
  imported: ExplainedReceipt[];
  /** The receipt on the detail page, explained by main. */
  selected: ExplainedReceipt | null;
  selectedFrom: 'log' | 'imported' | null;
  detail: OpState<ExplainedReceipt>;
  exported: OpState<{ path: string; bytes: number }>;
  importOp: OpState<ExplainedReceipt>;
  recheck: OpState<RecheckResult>;
  load(): Promise<void>;
  setFilters(f: ActivityFilters): Promise<void>;
  goTo(offset: number): Promise<void>;
  open(receipt: Receipt, from: 'log' | 'imported'): Promise<void>;
  close(): void;
  importFrom(path: string): Promise<void>;
  exportTo(path: string): Promise<void>;
  recheckWith(cellId: string | null): Promise<void>;
  /** Follows `activity:changed` (a receipt appended by an install or the CLI). */
  subscribe(): Unsubscribe;
}

/** The `activity` domain (helpdesk). Explanations and re-check verdicts are made in main. */
export const useActivitySlice = create<ActivitySlice>()((set, get) => ({
  status: 'idle',
  error: null,
  page: null,
  source: { kind: 'log' },
  filters: {},
  offset: 0,
  imported: [],
  selected: null,
  selectedFrom: null,
  detail: idleOp,
  exported: idleOp,
  importOp: idleOp,
  recheck: idleOp,
  async load() {
    set({ status: 'loading', error: null });
    const { filters, offset, source } = get();
    const r =
      source.kind === 'cell'
        ? await api().activity.cellReceipts({ ...filters, offset, limit: ACTIVITY_PAGE_SIZE, cellId: source.cellId })
        : await api().activity.list({ ...filters, offset, limit: ACTIVITY_PAGE_SIZE });
    if (get().source !== source) return;
    if (r.ok) set({ status: 'ready', page: r.data, error: null });
    else set({ status: 'error', error: r.error, page: null });
  },
  async setSource(source) {
    set({ source, offset: 0, page: null });
    await get().load();
  },
  async setFilters(filters) {
    set({ filters, offset: 0 });
    await get().load();
  },
  async goTo(offset) {
    set({ offset: Math.max(0, offset) });
    await get().load();
  },
  async open(receipt, from) {
    set({ selected: null, selectedFrom: from, detail: { status: 'loading', result: null, error: null }, exported: idleOp, recheck: idleOp });
    const r = await api().activity.explain({ receipt });
    if (r.ok) set({ selected: r.data, detail: { status: 'ready', result: r.data, error: null } });
    else set({ detail: { status: 'error', result: null, error: r.error } });
  },
  close() {
    set({ selected: null, selectedFrom: null, detail: idleOp, exported: idleOp, recheck: idleOp });
  },
  async importFrom(path) {
    set({ importOp: { status: 'loading', result: null, error: null } });
    const r = await api().activity.import({ path });
    if (!r.ok) {
      set({ importOp: { status: 'error', result: null, error: r.error } });
      return;
    }
    set((s) => ({
      importOp: { status: 'ready', result: r.data, error: null },
      imported: [r.data, ...s.imported.filter((x) => x.receipt.id !== r.data.receipt.id)],
      selected: r.data,
      selectedFrom: 'imported',
      detail: { status: 'ready', result: r.data, error: null },
      exported: idleOp,
      recheck: idleOp,
    }));
  },
  async exportTo(path) {
    const selected = get().selected;
    if (!selected) return;
    set({ exported: { status: 'loading', result: null, error: null } });
    const r = await api().activity.export({ receipt: selected.receipt, path });
    set({ exported: r.ok ? { status: 'ready', result: r.data, error: null } : { status: 'error', result: null, error: r.error } });
  },
  async recheckWith(cellId) {
    const selected = get().selected;
    if (!selected) return;
    set({ recheck: { status: 'loading', result: null, error: null } });
    const r = await api().activity.recheck(cellId ? { receipt: selected.receipt, cellId } : { receipt: selected.receipt });
    set({ recheck: r.ok ? { status: 'ready', result: r.data, error: null } : { status: 'error', result: null, error: r.error } });
  },
  subscribe() {
    return api().activity.on('changed', () => {
      if (get().source.kind === 'log') void get().load();
    });
  },
}));
