/** Handlers of the `cells` domain: profiles, status checks with cancel, host-key confirmation. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { cellId, serviceId } from './schemas';

const form = z
  .object({
    name: z.string().max(200),
    destination: z.string().max(1000),
    port: z.string().max(20),
    identityFile: z.string().max(4096),
    root: z.string().max(4096),
    sshConfig: z.string().max(4096),
    groups: z.string().max(4096).optional(),
  })
  .strict();

export function registerCellsHandlers(router: IpcRouter, { cells, updates }: AppServices): void {
  router.handle('cells:list', { args: z.undefined(), run: () => cells.list() });
  router.handle('cells:add', { args: form, run: (f) => cells.add(f) });
  router.handle('cells:edit', { args: z.object({ id: cellId, form }).strict(), run: (a) => cells.edit(a.id, a.form) });
  router.handle('cells:remove', { args: z.object({ id: cellId }).strict(), run: (a) => cells.remove(a.id) });
  router.handle('cells:check', { args: z.object({ id: cellId }).strict(), run: (a) => cells.check(a.id) });
  router.handle('cells:cancel-check', { args: z.object({ id: cellId }).strict(), run: (a) => cells.cancelCheck(a.id) });
  router.handle('cells:confirm-host-key', {
    args: z.object({ id: cellId, fingerprint: z.string().min(1).max(200) }).strict(),
    run: (a) => cells.confirmHostKey(a.id, a.fingerprint),
  });
  router.handle('cells:last-statuses', { args: z.undefined(), run: () => updates.lastStatuses() });
  router.handle('cells:updates', { args: z.undefined(), run: () => updates.view() });
  router.handle('cells:check-updates', { args: z.undefined(), run: () => updates.check() });
  router.handle('cells:open-service', { args: z.object({ id: cellId, serviceId }).strict(), run: (a) => updates.open(a.id, a.serviceId) });
}
