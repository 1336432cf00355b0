/*
 * The `installs` domain: the one install dialog's session (choose a cell, core's plan, the
 * pre-flight, the apply and its output, the outcome) and the actions on services a cell already
 * runs (upgrade, uninstall, restart, logs). Plans, decisions and receipts all come from main.
 */
import { create } from 'zustand';
import type { InstallOutcome, InstallPhase, InstallStage, PreflightSummary, VerdictWords, Explanation, ServiceOp } from '../../../electron/ipc/contract/channels';
import type { IpcError, IpcResult, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { IDLE_OP, LOADING_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

/** Where the one install dialog is: choosing a cell, core planning, the pre-flight, applying, or done. */
type DialogStep = 'choose' | 'planning' | 'confirm' | 'applying' | 'finished';

interface InstallDialogState {
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
  /** An upgrade's review: what the person consented to (main and core decide whether it covers it). */
  consent: { acceptChanges: boolean; acceptSigner: string };
}

const MAX_LINES = 500;

type InstalledAction = 'upgrade' | 'uninstall' | ServiceOp;

/** One installed service's actions (Cells view), by `installedActionsKey`. */
interface InstalledActionsState {
  /** The action under way, or the last one with how it ended. */
  op: AsyncOp<true> & { action: InstalledAction | null };
  /** What the last Logs / Restart printed. */
  output: string | null;
}

export const IDLE_INSTALLED_ACTIONS: InstalledActionsState = { op: { ...IDLE_OP, action: null }, output: null };

export function installedActionsKey(cellId: string, serviceId: string): string {
  return `${cellId} ${serviceId}`;
}

interface InstallsSlice extends SliceStatus {
  dialog: InstallDialogState | null;
  open(storeId: string, serviceId: string, serviceName: string, cellId?: string | null): void;
  chooseCell(cellId: string): void;
  /** Asks core for the plan; the dialog then shows the pre-flight or the finished (blocked) outcome. */
  plan(): Promise<void>;
  confirm(): Promise<void>;
  /** The review's checkbox and the typed new-signer fingerprint. */
  setConsent(consent: Partial<InstallDialogState['consent']>): void;
  cancel(): Promise<void>;
  close(): void;
  installed: Record<string, InstalledActionsState>;
  /** Upgrade: opens the dialog on the listing a configured store has for this service. */
  upgradeInstalled(cellId: string, serviceId: string, serviceName: string): Promise<void>;
  /** Logs, restart or state of an installed service; its output is kept to show. */
  serviceOp(cellId: string, serviceId: string, op: ServiceOp): Promise<void>;
  /**
   * Uninstalls (volumes kept unless `purgeVolumes`); true when a receipt came back. The receipt is
   * kept per cell (`removed`), not with the service's row: the row goes at once (issue 17 item 4).
   */
  uninstall(cellId: string, serviceId: string, purgeVolumes: boolean): Promise<boolean>;
  /** The last uninstall's receipt on each cell, shown until the person is done reading it. */
  removed: Record<string, InstallOutcome>;
  /** The person is done reading the cell's uninstall receipt. */
  dismissRemoved(cellId: string): void;
  /** The service's row is gone (or its view closed): its actions' state goes with it. */
  forgetInstalled(cellId: string, serviceId: string): void;
  /** Follows install progress pushed from main; subscribed once at app level. */
  subscribe(): Unsubscribe;
}

export const useInstallsSlice = create<InstallsSlice>()((set, get) => {
  const patch = (next: Partial<InstallDialogState>) => set((s) => (s.dialog ? { dialog: { ...s.dialog, ...next } } : s));
  const fail = (error: IpcError) => set((s) => ({ status: 'error', error, dialog: s.dialog ? { ...s.dialog, step: s.dialog.step === 'planning' ? 'choose' : s.dialog.step } : null }));
  const applyStage = (stage: InstallStage) => {
    if (stage.stage === 'confirm') patch({ step: 'confirm', preflight: { summary: stage.summary, verdict: stage.verdict, mode: stage.mode } });
    else patch({ step: 'finished', outcome: stage.outcome });
  };
  const patchInstalled = (key: string, next: Partial<InstalledActionsState>) =>
    set((s) => ({ installed: { ...s.installed, [key]: { ...(s.installed[key] ?? IDLE_INSTALLED_ACTIONS), ...next } } }));
  /** Runs one action on an installed service; the answer is dropped if its row was forgotten meanwhile. */
  const runInstalled = async <T>(cellId: string, serviceId: string, action: InstalledAction, call: () => Promise<IpcResult<T>>, done: (data: T) => Partial<InstalledActionsState>): Promise<boolean> => {
    const key = installedActionsKey(cellId, serviceId);
    const op = { ...LOADING_OP, action };
    patchInstalled(key, { op });
    const r = await call();
    if (get().installed[key]?.op !== op) return false;
    patchInstalled(key, { op: { ...settled(r), result: r.ok ? true : null, action }, ...(r.ok ? done(r.data) : {}) });
    return r.ok;
  };
  const notListed = (serviceId: string): IpcError => ({ code: 'NOT_LISTED', message: `no configured store lists ${serviceId}; there is nothing to upgrade to` });
  return {
    status: 'idle',
    error: null,
    dialog: null,
    installed: {},
    removed: {},
    open(storeId, serviceId, serviceName, cellId = null) {
      set({
        status: 'idle',
        error: null,
        dialog: { storeId, serviceId, serviceName, cellId, step: 'choose', sessionId: null, phase: null, lines: [], preflight: null, outcome: null, cancelling: false, consent: { acceptChanges: false, acceptSigner: '' } },
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
      patch({ step: 'planning', sessionId, lines: [], phase: null, preflight: null, outcome: null, consent: { acceptChanges: false, acceptSigner: '' } });
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
      const consent = { acceptChanges: d.consent.acceptChanges, acceptSigner: d.consent.acceptSigner.trim() || null };
      const r = await api().installs.confirm({ sessionId: d.sessionId, consent });
      if (get().dialog?.sessionId !== d.sessionId) return;
      if (!r.ok) return fail(r.error);
      patch({ step: 'finished', outcome: r.data });
    },
    setConsent(consent) {
      const d = get().dialog;
      if (d) patch({ consent: { ...d.consent, ...consent } });
    },
    async cancel() {
      const d = get().dialog;
      if (!d) return;
      if (!d.sessionId || d.step === 'choose' || d.step === 'finished') return get().close();
      if (d.step === 'planning' || d.step === 'confirm') {
        // Nothing on the cell has changed yet: Cancel closes at once (issue 17 item 4) while main
        // records the cancelled attempt; its outcome arrives for a session that is no longer shown.
        get().close();
        const r = await api().installs.cancel({ sessionId: d.sessionId });
        if (!r.ok) set({ status: 'error', error: r.error });
        return;
      }
      patch({ cancelling: true });
      const r = await api().installs.cancel({ sessionId: d.sessionId });
      if (!r.ok) fail(r.error);
      // During the apply the person must see how it ended (rolled back or not): the outcome
      // arrives through `confirm` or the finished event and the dialog stays to show it.
    },
    close() {
      set({ dialog: null, status: 'idle', error: null });
    },
    async upgradeInstalled(cellId, serviceId, serviceName) {
      let storeId: string | null = null;
      const ok = await runInstalled(cellId, serviceId, 'upgrade', () => api().installs.findListing({ serviceId }), (l) => {
        storeId = l.storeId;
        return {};
      });
      if (!ok) return;
      if (storeId) get().open(storeId, serviceId, serviceName, cellId);
      else patchInstalled(installedActionsKey(cellId, serviceId), { op: { status: 'error', result: null, error: notListed(serviceId), action: 'upgrade' } });
    },
    async serviceOp(cellId, serviceId, op) {
      await runInstalled(cellId, serviceId, op, () => api().installs.service({ cellId, serviceId, op }), (r) => ({ output: r.output || '(no output)' }));
    },
    uninstall(cellId, serviceId, purgeVolumes) {
      return runInstalled(cellId, serviceId, 'uninstall', () => api().installs.uninstall({ cellId, serviceId, purgeVolumes }), (receipt) => {
        set((s) => ({ removed: { ...s.removed, [cellId]: receipt } }));
        return {};
      });
    },
    dismissRemoved(cellId) {
      set((s) => {
        const removed = { ...s.removed };
        delete removed[cellId];
        return { removed };
      });
    },
    forgetInstalled(cellId, serviceId) {
      const key = installedActionsKey(cellId, serviceId);
      set((s) => {
        if (!(key in s.installed)) return s;
        const installed = { ...s.installed };
        delete installed[key];
        return { installed };
      });
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
