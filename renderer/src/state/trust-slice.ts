import { create } from 'zustand';
import type { TrustStatus } from '../../../electron/ipc/contract/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

interface TrustSlice extends SliceStatus {
  trust: TrustStatus | null;
  load(): Promise<void>;
  /** Follows `trust:changed` pushed from main; returns the unsubscribe. */
  subscribe(): Unsubscribe;
}

/** The `trust` domain: read-only; the verdicts about keys are made in core. */
export const useTrustSlice = create<TrustSlice>()((set) => ({
  status: 'idle',
  error: null,
  trust: null,
  async load() {
    set({ status: 'loading', error: null });
    const r = await api().trust.get();
    if (r.ok) set({ status: 'ready', trust: r.data, error: null });
    else set({ status: 'error', error: r.error });
  },
  subscribe() {
    return api().trust.on('changed', (trust) => set({ status: 'ready', trust, error: null }));
  },
}));
