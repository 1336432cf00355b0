import { create } from 'zustand';
import type { ServiceVerdict } from '../../../electron/ipc/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

export interface RunState {
  runId: string;
  storeId: string;
  done: number;
  total: number;
  running: boolean;
  cancelled: boolean;
}

interface VerificationSlice extends SliceStatus {
  storeId: string | null;
  verdicts: Record<string, ServiceVerdict>;
  run: RunState | null;
  /** Services being re-verified one by one from the Why panel. */
  reverifying: Record<string, boolean>;
  verifyStore(storeId: string, fresh?: boolean): Promise<void>;
  cancel(): Promise<void>;
  verifyService(storeId: string, serviceId: string): Promise<void>;
  /** Follows progress pushed from main; returns the unsubscribe. */
  subscribe(): Unsubscribe;
}

/** The `verification` domain: verdicts as main reaches them. The renderer never decides one. */
export const useVerificationSlice = create<VerificationSlice>()((set, get) => ({
  status: 'idle',
  error: null,
  storeId: null,
  verdicts: {},
  run: null,
  reverifying: {},
  async verifyStore(storeId, fresh = false) {
    const sameStore = get().storeId === storeId;
    set({ status: 'loading', error: null, storeId, verdicts: sameStore && !fresh ? get().verdicts : {}, run: null });
    const r = await api().verification.verifyStore({ storeId, fresh });
    if (!r.ok) return set({ status: 'error', error: r.error });
    if (get().storeId !== storeId) return;
    set((s) => ({ run: s.run?.runId === r.data.runId ? s.run : { runId: r.data.runId, storeId, done: 0, total: r.data.total, running: true, cancelled: false } }));
  },
  async cancel() {
    const run = get().run;
    if (run?.running) await api().verification.cancel({ runId: run.runId });
  },
  async verifyService(storeId, serviceId) {
    set((s) => ({ reverifying: { ...s.reverifying, [serviceId]: true } }));
    const r = await api().verification.verifyService({ storeId, serviceId });
    set((s) => ({
      reverifying: { ...s.reverifying, [serviceId]: false },
      ...(r.ok && s.storeId === storeId ? { verdicts: { ...s.verdicts, [serviceId]: r.data } } : {}),
      ...(r.ok ? {} : { error: r.error }),
    }));
  },
  subscribe() {
    const offProgress = api().verification.on('progress', (p) => {
      if (p.storeId !== get().storeId) return;
      set((s) => {
        const verdicts = { ...s.verdicts };
        for (const v of p.verdicts) verdicts[v.serviceId] = v;
        return { verdicts, run: { runId: p.runId, storeId: p.storeId, done: p.done, total: p.total, running: true, cancelled: false } };
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
