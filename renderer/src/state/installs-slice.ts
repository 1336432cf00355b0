import { create } from 'zustand';
import type { InstallOutcome, InstallPhase, InstallStage, PreflightSummary, VerdictWords, Explanation } from '../../../electron/ipc/contract/channels';
import type { IpcError, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import type { SliceStatus } from './load-status';

/** Where the one install dialog is: choosing a cell, core planning, the pre-flight, applying, or done. */
export type DialogStep = 'choose' | 'planning' | 'confirm' | 'applying' | 'finished';

export interface InstallDialogState {
  storeId: string;
  serviceId: string;
  serviceName: string;
  cellId: string | null;
  step: DialogStep;
  sessionId: string | null;
  phase: InstallPhase | 'uninstall' | null;
  /** Pull and compose output pushed from main, bounded. */
  lines: string[];
  preflight: { summary: PreflightSummary; verdict: VerdictWords; mode: Explanation } | null;
  outcome: InstallOutcome | null;
  cancelling: boolean;
}

const MAX_LINES = 500;

interface InstallsSlice extends SliceStatus {
  dialog: InstallDialogState | null;
  open(storeId: string, serviceId: string, serviceName: string, cellId?: string | null): void;
  chooseCell(cellId: string): void;
  /** Asks core for the plan; the dialog then shows the pre-flight or the finished (blocked) outcome. */
  plan(): Promise<void>;
  confirm(): Promise<void>;
  cancel(): Promise<void>;
  close(): void;
  subscribe(): Unsubscribe;
}

/** The `installs` domain: one dialog's session. Plans, decisions and receipts all come from main. */
export const useInstallsSlice = create<InstallsSlice>()((set, get) => {
  const patch = (next: Partial<InstallDialogState>) => set((s) => (s.dialog ? { dialog: { ...s.dialog, ...next } } : s));
  const fail = (error: IpcError) => set((s) => ({ status: 'error', error, dialog: s.dialog ? { ...s.dialog, step: s.dialog.step === 'planning' ? 'choose' : s.dialog.step } : null }));
  const applyStage = (stage: InstallStage) => {
    if (stage.stage === 'confirm') patch({ step: 'confirm', preflight: { summary: stage.summary, verdict: stage.verdict, mode: stage.mode } });
    else patch({ step: 'finished', outcome: stage.outcome });
  };
  return {
    status: 'idle',
    error: null,
    dialog: null,
    open(storeId, serviceId, serviceName, cellId = null) {
      set({
        status: 'idle',
        error: null,
        dialog: { storeId, serviceId, serviceName, cellId, step: 'choose', sessionId: null, phase: null, lines: [], preflight: null, outcome: null, cancelling: false },
      });
    },
    chooseCell(cellId) {
      patch({ cellId });
    },
    async plan() {
      const d = get().dialog;
      if (!d?.cellId) return;
      const sessionId = crypto.randomUUID();
      set({ status: 'loading', error: null });
      patch({ step: 'planning', sessionId, lines: [], phase: null, preflight: null, outcome: null });
      const r = await api().installs.start({ sessionId, storeId: d.storeId, serviceId: d.serviceId, cellId: d.cellId });
      if (get().dialog?.sessionId !== sessionId) return;
      if (!r.ok) return fail(r.error);
      set({ status: 'ready' });
      applyStage(r.data);
    },
    async confirm() {
      const d = get().dialog;
      if (!d?.sessionId || d.step !== 'confirm') return;
      patch({ step: 'applying' });
      const r = await api().installs.confirm({ sessionId: d.sessionId });
      if (get().dialog?.sessionId !== d.sessionId) return;
      if (!r.ok) return fail(r.error);
      patch({ step: 'finished', outcome: r.data });
    },
    async cancel() {
      const d = get().dialog;
      if (!d) return;
      if (!d.sessionId || d.step === 'choose' || d.step === 'finished') return get().close();
      patch({ cancelling: true });
      const r = await api().installs.cancel({ sessionId: d.sessionId });
      if (!r.ok) fail(r.error);
      // The outcome (a `cancelled` receipt) arrives through `start`/`confirm` or the finished event.
    },
    close() {
      set({ dialog: null, status: 'idle', error: null });
    },
    subscribe() {
      const offProgress = api().installs.on('progress', (p) => {
        const d = get().dialog;
        if (!d || d.sessionId !== p.sessionId) return;
        const lines = p.line === undefined ? d.lines : [...d.lines, p.line].slice(-MAX_LINES);
        patch({ phase: p.phase, lines });
      });
      const offFinished = api().installs.on('finished', (o) => {
        const d = get().dialog;
        if (d && d.sessionId === o.sessionId && !d.outcome) patch({ step: 'finished', outcome: o });
      });
      return () => {
        offProgress();
        offFinished();
      };
    },
  };
});
