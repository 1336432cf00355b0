/** Handlers of the `installs` domain: the install dialog's session, uninstall, installed-service actions. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { cellId, serviceId, sessionId, storeId } from './schemas';

export function registerInstallsHandlers(router: IpcRouter, { installs, stores }: AppServices): void {
  router.handle('installs:start', {
    args: z.object({ sessionId, storeId, serviceId, cellId }).strict(),
    run: (a) => installs.start(a.sessionId, a.storeId, a.serviceId, a.cellId),
  });
  router.handle('installs:confirm', {
    args: z
      .object({
        sessionId,
        // What the admin consented to in an upgrade's review; core refuses an upgrade this does not cover.
        consent: z.object({ acceptChanges: z.boolean(), acceptSigner: z.string().max(200).nullable() }).strict().optional(),
      })
      .strict(),
    run: (a) => installs.confirm(a.sessionId, a.consent),
  });
  router.handle('installs:cancel', { args: z.object({ sessionId }).strict(), run: (a) => installs.cancel(a.sessionId) });
  router.handle('installs:uninstall', {
    args: z.object({ cellId, serviceId, purgeVolumes: z.boolean() }).strict(),
    run: (a) => installs.uninstall(a.cellId, a.serviceId, a.purgeVolumes),
  });
  router.handle('installs:service', {
    args: z.object({ cellId, serviceId, op: z.enum(['state', 'logs', 'restart']) }).strict(),
    run: (a) => installs.serviceOp(a.cellId, a.serviceId, a.op),
  });
  router.handle('installs:find-listing', { args: z.object({ serviceId }).strict(), run: (a) => stores.findListing(a.serviceId) });
}
