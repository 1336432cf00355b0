import { z } from 'zod';
import { probeHostKey, confirmHostKey } from '../../../core/cell/host-keys';
import { addCellProfile, editCellProfile, getCellProfile, listCellProfiles, removeCellProfile, type CellProfile } from '../../../core/cell/profiles';
import { closeCellConnection } from '../../../core/cell/ssh';
import type { SshContext } from '../../../core/cell/ssh-context';
import { getCellStatus } from '../../../core/cell/status';
import { CoreError, isCoreError } from '../../../core/errors';
import { loadTrustRoot } from '../../../core/trust/trust-root';
import type { CellCheckResult, CellSaveResult } from '../../contract/channels/cells';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { parseCellForm } from './cells-form';

const formSchema = z
  .object({
    name: z.string().max(200),
    destination: z.string().max(1000),
    port: z.string().max(20),
    identityFile: z.string().max(4096),
    root: z.string().max(4096),
    sshConfig: z.string().max(4096),
  })
  .strict();

const idSchema = z.string().min(1).max(64);

/**
 * Handlers of the `cells` domain. Every decision stays here and in core: the renderer sends what
 * was typed or clicked and shows what comes back. Host keys are recorded only by `confirm-host-key`,
 * with the exact fingerprint the person saw.
 */
export function registerCellsHandlers(router: IpcRouter, services: AppServices): void {
  const ctx: SshContext = { dataDir: services.dataDir };
  const profileOf = async (id: string): Promise<CellProfile> => {
    const p = await getCellProfile(services.dataDir, id);
    if (!p) throw new CoreError('CELL_NOT_FOUND', `no cell profile with id ${id}`);
    return p;
  };
  const changed = async () => router.emit('cells:changed', await listCellProfiles(services.dataDir));

  const save = async (run: (input: unknown) => Promise<CellProfile>, form: z.infer<typeof formSchema>): Promise<CellSaveResult> => {
    const parsed = parseCellForm(form);
    if (!parsed.ok) return { saved: false, fieldErrors: parsed.fieldErrors };
    try {
      const profile = await run(parsed.input);
      await changed();
      return { saved: true, profile };
    } catch (e) {
      if (isCoreError(e) && e.code === 'PROFILE_EXISTS') return { saved: false, fieldErrors: { name: e.message } };
      throw e;
    }
  };

  router.handle('cells:list', { args: z.undefined(), run: () => listCellProfiles(services.dataDir) });

  router.handle('cells:add', { args: formSchema, run: (form) => save((input) => addCellProfile(services.dataDir, input), form) });

  router.handle('cells:edit', {
    args: z.object({ id: idSchema, form: formSchema }).strict(),
    run: async ({ id, form }) => {
      const before = await profileOf(id);
      const result = await save((input) => editCellProfile(services.dataDir, id, input), form);
      // A changed destination or port must not keep using the old master connection.
      if (result.saved) await closeCellConnection(before, ctx).catch(() => false);
      return result;
    },
  });

  router.handle('cells:remove', {
    args: z.object({ id: idSchema }).strict(),
    run: async ({ id }) => {
      const profile = await profileOf(id);
      await removeCellProfile(services.dataDir, id);
      await closeCellConnection(profile, ctx).catch(() => false);
      await changed();
      return { removed: id };
    },
  });

  // One running check per cell, so Cancel can end its ssh (a frozen cell otherwise holds the
  // check until the keepalive timeout).
  const running = new Map<string, AbortController>();
  router.handle('cells:check', {
    args: z.object({ id: idSchema }).strict(),
    run: async ({ id }) => {
      const profile = await profileOf(id);
      running.get(id)?.abort();
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return await checkCell(profile, ctx, services, controller.signal);
      } catch (e) {
        if (controller.signal.aborted) throw new CoreError('CANCELLED', `the check of ${profile.name} was cancelled`);
        throw e;
      } finally {
        if (running.get(id) === controller) running.delete(id);
      }
    },
  });

  router.handle('cells:cancel-check', {
    args: z.object({ id: idSchema }).strict(),
    run: ({ id }) => {
      const controller = running.get(id);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
  });

  router.handle('cells:confirm-host-key', {
    args: z.object({ id: idSchema, fingerprint: z.string().min(1).max(200) }).strict(),
    run: async ({ id, fingerprint }) => {
      const profile = await profileOf(id);
      const key = await confirmHostKey(profile, fingerprint, ctx);
      const probe = await probeHostKey(profile, ctx);
      return { hostToken: probe.hostToken, type: key.type, fingerprint: key.fingerprint };
    },
  });
}

/**
 * Status in one round trip. When ssh stopped at the host-key check (before authenticating, so
 * nothing was sent), the host's public keys are fetched so a person can compare and confirm, or
 * be told plainly that the recorded key changed.
 */
async function checkCell(profile: CellProfile, ctx: SshContext, services: AppServices, signal: AbortSignal): Promise<CellCheckResult> {
  try {
    const trustRoot = await loadTrustRoot({ appConfigDir: services.appConfigDir, dataDir: services.dataDir });
    return { kind: 'status', status: await getCellStatus(profile, ctx, { trustRoot, signal }) };
  } catch (e) {
    if (!isCoreError(e) || (e.code !== 'HOST_KEY_UNKNOWN' && e.code !== 'HOST_KEY_CHANGED')) throw e;
    const probe = await probeHostKey(profile, ctx, signal);
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
