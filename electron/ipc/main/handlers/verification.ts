/** Handlers of the `verification` domain: whole-store runs with pushed progress, cancel, one service, one image. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { entryIndex, serviceId, storeId } from './schemas';

export function registerVerificationHandlers(router: IpcRouter, { verification }: AppServices): void {
  router.handle('verification:verify-store', {
    args: z.object({ storeId, fresh: z.boolean().optional() }).strict(),
    run: (a) => verification.verifyStore(a.storeId, a.fresh ?? false),
  });
  router.handle('verification:cancel', {
    args: z.object({ runId: z.string().min(1).max(8192) }).strict(),
    run: ({ runId }) => ({ cancelled: verification.cancel(runId) }),
  });
  router.handle('verification:verify-service', {
    args: z.object({ storeId, serviceId, index: entryIndex }).strict(),
    run: (a) => verification.verifyService(a.storeId, a.serviceId, a.index),
  });
  // Full verdicts are fetched one at a time when a service page opens; progress carries summaries.
  router.handle('verification:verdict', {
    args: z.object({ storeId, serviceId, index: entryIndex }).strict(),
    run: (a) => verification.verdict(a.storeId, a.serviceId, a.index),
  });
  router.handle('verification:verify-image', {
    args: z.object({ image: z.string().min(1).max(4096), serviceId: serviceId.optional() }).strict(),
    run: (a) => verification.verifyImage(a.image, a.serviceId),
  });
}
