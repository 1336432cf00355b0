/**
 * Cells for the app: profiles (cells.json), status checks with cancel, and host-key
 * confirmation. Every decision stays here and in core: the renderer sends what was typed or
 * clicked and shows what comes back. Host keys are recorded only by `confirmHostKey`, with the
 * exact fingerprint the person saw.
 */
import { confirmHostKey, probeHostKey } from '../../../core/cell/host-keys';
import { addCellProfile, editCellProfile, getCellProfile, listCellProfiles, removeCellProfile, type CellProfile } from '../../../core/cell/profiles';
import { closeCellConnection } from '../../../core/cell/ssh';
import type { SshContext } from '../../../core/cell/ssh-context';
import { getCellStatus, type CellStatus } from '../../../core/cell/status';
import type { CoreServices } from '../../../core/core-services';
import { CoreError, isCoreError } from '../../../core/errors';
import type { CellCheckResult, CellProfileForm, CellSaveResult } from '../../contract/channels/cells';
import type { AppEvents } from '../event-hub';
import { parseCellForm } from './cells-form';

export class CellService {
  readonly ssh: SshContext;
  /** One running check per cell, so Cancel can end its ssh (a frozen cell otherwise holds it until the keepalive timeout). */
  private readonly running = new Map<string, AbortController>();
  /** Told of every status read (the updates service remembers each cell's last one with its time). */
  onStatus: ((id: string, status: CellStatus) => void) | null = null;

  constructor(
    private readonly core: CoreServices,
    private readonly events: AppEvents,
  ) {
    this.ssh = { dataDir: core.dataDir };
  }

  list(): Promise<CellProfile[]> {
    return listCellProfiles(this.core.dataDir);
  }

  /** The profile with this id; CELL_NOT_FOUND otherwise. */
  async profile(id: string): Promise<CellProfile> {
    const p = await getCellProfile(this.core.dataDir, id);
    if (!p) throw new CoreError('CELL_NOT_FOUND', `no cell profile with id ${id}`);
    return p;
  }

  add(form: CellProfileForm): Promise<CellSaveResult> {
    return this.save((input) => addCellProfile(this.core.dataDir, input), form);
  }

  async edit(id: string, form: CellProfileForm): Promise<CellSaveResult> {
    const before = await this.profile(id);
    const result = await this.save((input) => editCellProfile(this.core.dataDir, id, input), form);
    // A changed destination or port must not keep using the old master connection.
    if (result.saved) await closeCellConnection(before, this.ssh).catch(() => false);
    return result;
  }

  async remove(id: string): Promise<{ removed: string }> {
    const profile = await this.profile(id);
    await removeCellProfile(this.core.dataDir, id);
    await closeCellConnection(profile, this.ssh).catch(() => false);
    await this.changed();
    return { removed: id };
  }

  async check(id: string): Promise<CellCheckResult> {
    const profile = await this.profile(id);
    this.running.get(id)?.abort();
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      const result = await this.statusOrHostKey(profile, controller.signal);
      if (result.kind === 'status') this.onStatus?.(id, result.status);
      return result;
    } catch (e) {
      if (controller.signal.aborted) throw new CoreError('CANCELLED', `the check of ${profile.name} was cancelled`);
      throw e;
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }

  cancelCheck(id: string): { cancelled: boolean } {
    const controller = this.running.get(id);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }

  async confirmHostKey(id: string, fingerprint: string): Promise<{ hostToken: string; type: string; fingerprint: string }> {
    const profile = await this.profile(id);
    const key = await confirmHostKey(profile, fingerprint, this.ssh);
    const probe = await probeHostKey(profile, this.ssh);
    return { hostToken: probe.hostToken, type: key.type, fingerprint: key.fingerprint };
  }

  /** Ends running checks (shutdown). */
  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }

  private async changed(): Promise<void> {
    this.events.emit('cells:changed', await this.list());
  }

  private async save(run: (input: unknown) => Promise<CellProfile>, form: CellProfileForm): Promise<CellSaveResult> {
    const parsed = parseCellForm(form);
    if (!parsed.ok) return { saved: false, fieldErrors: parsed.fieldErrors };
    try {
      const profile = await run(parsed.input);
      await this.changed();
      return { saved: true, profile };
    } catch (e) {
      if (isCoreError(e) && e.code === 'PROFILE_EXISTS') return { saved: false, fieldErrors: { name: e.message } };
      throw e;
    }
  }

  /**
   * Status in one round trip. When ssh stopped at the host-key check (before authenticating, so
   * nothing was sent), the host's public keys are fetched so a person can compare and confirm, or
   * be told plainly that the recorded key changed.
   */
  private async statusOrHostKey(profile: CellProfile, signal: AbortSignal): Promise<CellCheckResult> {
    try {
      return { kind: 'status', status: await getCellStatus(profile, this.ssh, { trustRoot: await this.core.trustRoot(), signal }) };
    } catch (e) {
      if (!isCoreError(e) || (e.code !== 'HOST_KEY_UNKNOWN' && e.code !== 'HOST_KEY_CHANGED')) throw e;
      const probe = await probeHostKey(profile, this.ssh, signal);
      const keys = probe.keys.map(({ type, fingerprint }) => ({ type, fingerprint }));
      if (e.code === 'HOST_KEY_CHANGED' || probe.state === 'changed') {
        const message = e.code === 'HOST_KEY_CHANGED' ? e.message : `REMOTE HOST IDENTIFICATION HAS CHANGED for ${profile.destination}: the key it presents is not the one recorded for ${probe.hostToken}. Someone could be intercepting the connection, or the cell was reinstalled. Nothing was sent.`;
        return { kind: 'host-key-changed', hostToken: probe.hostToken, message, presented: keys };
      }
      if (probe.state === 'unknown' && probe.preferred) {
        return { kind: 'host-key-unknown', hostToken: probe.hostToken, hostname: probe.hostname, port: probe.port, preferred: { type: probe.preferred.type, fingerprint: probe.preferred.fingerprint }, keys };
      }
      throw e;
    }
  }
}
