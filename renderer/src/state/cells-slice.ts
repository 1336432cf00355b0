/*
 * The `cells` domain: profiles and per-cell checks (test connection / refresh status). Verdicts
 * (mode, key match) come from main; this slice only keeps what the last answer said.
 */
import { create } from 'zustand';
import type { CellCheckResult, CellStatus, CellProfile, CellProfileForm, CellSaveResult, HostKeyView } from '../../../electron/ipc/contract/channels';
import type { IpcResult, Unsubscribe } from '../../../electron/ipc/contract/domain';
import { api } from '../api/api';
import { IDLE_OP, settled, type AsyncOp, type SliceStatus } from './load-status';

/** What the app knows about one cell from its last check. */
type CellCheckState = AsyncOp<CellCheckResult>;

interface CellsSlice extends SliceStatus {
  profiles: CellProfile[];
  checks: Record<string, CellCheckState>;
  load(): Promise<void>;
  /** Follows `cells:changed` pushed from main (another window; the CLI is separate); subscribed once at app level. */
  subscribe(): Unsubscribe;
  add(form: CellProfileForm): Promise<IpcResult<CellSaveResult>>;
  edit(id: string, form: CellProfileForm): Promise<IpcResult<CellSaveResult>>;
  remove(id: string): Promise<IpcResult<{ removed: string }>>;
  check(id: string): Promise<void>;
  cancelCheck(id: string): Promise<void>;
  /** Sends the fingerprint the person confirmed; main re-fetches the key and records only that one. */
  confirmHostKey(id: string, fingerprint: string): Promise<IpcResult<HostKeyView & { hostToken: string }>>;
  /** Cancel in the host-key dialog: forget the prompt, record nothing. */
  dismissCheck(id: string): void;
}

export const useCellsSlice = create<CellsSlice>()((set, get) => {
  const setCheck = (id: string, next: Partial<CellCheckState>) =>
    set((s) => ({ checks: { ...s.checks, [id]: { ...(s.checks[id] ?? IDLE_OP), ...next } } }));
  const applyProfiles = (profiles: CellProfile[]) =>
    set((s) => ({
      status: 'ready',
      error: null,
      profiles,
      // A removed profile's check result goes with it.
      checks: Object.fromEntries(Object.entries(s.checks).filter(([id]) => profiles.some((p) => p.id === id))),
    }));
  // A status main read is shown unless the one shown here is at least as recent.
  const isNewer = (id: string, status: CellStatus) => {
    const shown = get().checks[id]?.result;
    return shown?.kind !== 'status' || shown.status.checkedAt < status.checkedAt;
  };
  const rememberStatus = (id: string, status: CellStatus) => setCheck(id, { status: 'ready', result: { kind: 'status', status }, error: null });
  return {
    status: 'idle',
    error: null,
    profiles: [],
    checks: {},
    async load() {
      set({ status: 'loading', error: null });
      const [r, last] = await Promise.all([api().cells.list(), api().cells.lastStatuses()]);
      if (r.ok) applyProfiles(r.data);
      else set({ status: 'error', error: r.error });
      // Each cell's last status from main (kept across views and restarts) until it is refreshed here.
      if (last.ok) for (const [id, l] of Object.entries(last.data)) if (isNewer(id, l.status)) rememberStatus(id, l.status);
    },
    subscribe() {
      const offChanged = api().cells.on('changed', applyProfiles);
      const offStatus = api().cells.on('statusRead', (l) => {
        if (get().checks[l.id]?.status !== 'loading' && isNewer(l.id, l.status)) rememberStatus(l.id, l.status);
      });
      return () => {
        offChanged();
        offStatus();
      };
    },
    async add(form) {
      const r = await api().cells.add(form);
      if (r.ok && r.data.saved) await get().load();
      return r;
    },
    async edit(id, form) {
      const r = await api().cells.edit({ id, form });
      if (r.ok && r.data.saved) {
        setCheck(id, IDLE_OP);
        await get().load();
      }
      return r;
    },
    async remove(id) {
      const r = await api().cells.remove({ id });
      if (r.ok) await get().load();
      return r;
    },
    async check(id) {
      setCheck(id, { status: 'loading', error: null });
      const r = await api().cells.check({ id });
      setCheck(id, settled(r));
    },
    async cancelCheck(id) {
      await api().cells.cancelCheck({ id });
    },
    async confirmHostKey(id, fingerprint) {
      const r = await api().cells.confirmHostKey({ id, fingerprint });
      if (r.ok) await get().check(id);
      return r;
    },
    dismissCheck(id) {
      setCheck(id, IDLE_OP);
    },
  };
});
