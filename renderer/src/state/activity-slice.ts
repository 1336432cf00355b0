/*
 * The `activity` domain (helpdesk): the receipt list (this machine's log or a cell's), receipts
 * imported this session, and the one receipt explained. Explanations and re-check verdicts are
 * made in main.
 */
import { create } from 'zustand';
import type { ActivityListRequest, ActivityPage, ExplainedReceipt, Receipt, RecheckResult } from '../../../electron/ipc/contract/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { IDLE_OP, LOADING_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

export const ACTIVITY_PAGE_SIZE = 100;

export type ActivityFilters = Pick<ActivityListRequest, 'outcome' | 'cell' | 'service' | 'reason'>;

/** Where the list comes from: this machine's log, or (on demand) the receipts a configured cell stores. */
type ActivitySource = { kind: 'log' } | { kind: 'cell'; cellId: string };

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
  detail: AsyncOp<ExplainedReceipt>;
  exported: AsyncOp<{ path: string; bytes: number }>;
  importOp: AsyncOp<ExplainedReceipt>;
  recheck: AsyncOp<RecheckResult>;
  /** The image registry host the person confirmed for the selected receipt's re-checks, if any. */
  recheckConfirmed: string | null;
  load(): Promise<void>;
  setFilters(f: ActivityFilters): Promise<void>;
  goTo(offset: number): Promise<void>;
  open(receipt: Receipt, from: 'log' | 'imported'): Promise<void>;
  close(): void;
  importFrom(path: string): Promise<void>;
  exportTo(path: string): Promise<void>;
  /** `confirmRegistry`: the image's registry host the person confirmed (DESIGN 2.5). */
  recheckWith(cellId: string | null, confirmRegistry?: string): Promise<void>;
  /** Follows `activity:changed` (a receipt appended by an install or the CLI); subscribed once at app level. */
  subscribe(): Unsubscribe;
}

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
  detail: IDLE_OP,
  exported: IDLE_OP,
  importOp: IDLE_OP,
  recheck: IDLE_OP,
  recheckConfirmed: null,
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
    set({ selected: null, selectedFrom: from, detail: LOADING_OP, exported: IDLE_OP, recheck: IDLE_OP, recheckConfirmed: null });
    const r = await api().activity.explain({ receipt });
    set({ detail: settled(r), ...(r.ok ? { selected: r.data } : {}) });
  },
  close() {
    set({ selected: null, selectedFrom: null, detail: IDLE_OP, exported: IDLE_OP, recheck: IDLE_OP, recheckConfirmed: null });
  },
  async importFrom(path) {
    set({ importOp: LOADING_OP });
    const r = await api().activity.import({ path });
    if (!r.ok) {
      set({ importOp: settled(r) });
      return;
    }
    set((s) => ({
      importOp: settled(r),
      imported: [r.data, ...s.imported.filter((x) => x.receipt.id !== r.data.receipt.id)],
      selected: r.data,
      selectedFrom: 'imported',
      detail: settled(r),
      exported: IDLE_OP,
      recheck: IDLE_OP,
      recheckConfirmed: null,
    }));
  },
  async exportTo(path) {
    const selected = get().selected;
    if (!selected) return;
    set({ exported: LOADING_OP });
    const r = await api().activity.export({ receipt: selected.receipt, path });
    set({ exported: settled(r) });
  },
  async recheckWith(cellId, confirmRegistry) {
    const selected = get().selected;
    if (!selected) return;
    // A confirmation holds for this receipt's later re-checks, until another receipt is selected.
    const confirmed = confirmRegistry ?? get().recheckConfirmed;
    set({ recheck: LOADING_OP, recheckConfirmed: confirmed });
    const r = await api().activity.recheck({ receipt: selected.receipt, ...(cellId ? { cellId } : {}), ...(confirmed ? { confirmRegistry: confirmed } : {}) });
    set({ recheck: settled(r) });
  },
  subscribe() {
    return api().activity.on('changed', () => {
      // Never shown yet: the view loads when it first opens, so there is nothing to refresh.
      if (get().source.kind === 'log' && get().status !== 'idle') void get().load();
    });
  },
}));
