/* The `trust` domain: which keys decide "Verified". Read-only; the verdicts about keys are made in core. */
import { create } from 'zustand';
import type { TrustStatus } from '../../../electron/ipc/contract/channels';
import type { Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

interface TrustSlice extends SliceStatus {
  trust: TrustStatus | null;
  load(): Promise<void>;
  /** Follows `trust:changed` pushed from main; subscribed once at app level. */
  subscribe(): Unsubscribe;
}

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
