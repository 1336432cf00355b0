/*
 * What main last found about every installed service across the cells (DESIGN 2.9): states
 * against the stores, each cell's time of reading, and the notices of newly reached states.
 * Main runs the checks (start, store refresh, on demand) and pushes `cells:updated`; this slice
 * keeps the last answer and the Open action's addresses. It decides nothing.
 */
import { create } from 'zustand';
import type { InstalledRow, OpenServiceResult, UpdateNotice, UpdatesView } from '../../../electron/ipc/contract/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { settled, type AsyncOp, type SliceStatus } from './load-status';

interface UpdatesSlice extends SliceStatus {
  view: UpdatesView | null;
  /** The Open action's answer per `cellId serviceId`. */
  opened: Record<string, AsyncOp<OpenServiceResult>>;
  /** Notices the person closed (by `cellId serviceId state`). */
  dismissed: string[];
  load(): Promise<void>;
  /** Checks every cell now (main joins a check already running). */
  check(): Promise<void>;
  open(cellId: string, serviceId: string): Promise<void>;
  dismiss(n: UpdateNotice): void;
  subscribe(): Unsubscribe;
}

export const noticeKey = (n: Pick<UpdateNotice, 'cellId' | 'serviceId' | 'state'>) => `${n.cellId} ${n.serviceId} ${n.state}`;
export const rowKey = (cellId: string, serviceId: string) => `${cellId} ${serviceId}`;

export const useUpdatesSlice = create<UpdatesSlice>()((set, get) => ({
  status: 'idle',
  error: null,
  view: null,
  opened: {},
  dismissed: [],
  async load() {
    set({ status: 'loading', error: null });
    const r = await api().cells.updates();
    if (r.ok) set({ status: 'ready', view: r.data });
    else set({ status: 'error', error: r.error });
  },
  async check() {
    const v = get().view;
    if (v) set({ view: { ...v, checking: true } });
    const r = await api().cells.checkUpdates();
    if (r.ok) set({ status: 'ready', error: null, view: r.data });
    else set((s) => ({ status: 'error', error: r.error, view: s.view ? { ...s.view, checking: false } : null }));
  },
  async open(cellId, serviceId) {
    const key = rowKey(cellId, serviceId);
    set((s) => ({ opened: { ...s.opened, [key]: { status: 'loading', result: null, error: null } } }));
    const r = await api().cells.openService({ id: cellId, serviceId });
    set((s) => ({ opened: { ...s.opened, [key]: settled(r) } }));
  },
  dismiss(n) {
    set((s) => ({ dismissed: [...s.dismissed, noticeKey(n)] }));
  },
  subscribe() {
    return api().cells.on('updated', (view) => set({ status: 'ready', error: null, view }));
  },
}));

/** Every cell an installed service with this id runs on, from the last check. */
export function installedOn(view: UpdatesView | null, serviceId: string): { cell: string; row: InstalledRow }[] {
  return (view?.cells ?? []).flatMap((c) => c.services.filter((s) => s.id === serviceId).map((row) => ({ cell: c.cell, row })));
}

/** "Installed on <cell> (<version>[, <state>])…", or null when no cell runs it (as last checked). */
export function installedOnText(view: UpdatesView | null, serviceId: string): string | null {
  const on = installedOn(view, serviceId);
  if (on.length === 0) return null;
  const parts = on.map(({ cell, row }) => `${cell} (${row.installed.version ?? '?'}${row.state === 'current' ? '' : `, ${row.stateWords.label.toLowerCase()}`})`);
  return `Installed on ${parts.join(', ')}`;
}
