import { z } from 'zod';
import { CoreError } from '../../../core/errors';
import { dataPaths } from '../../../core/data-dir';
import { readPlainHttpRegistries } from '../../../core/store/stores-config';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { storeRuntimeFor } from '../services/store-runtime';
import { VerificationRunner } from '../services/verification-runner';

/** An entry's position in a store's services: the per-entry key (DESIGN 2.1: each index entry judged on its own). */
const entryIndex = z.number().int().min(0).max(1_000_000).optional();

/** Handlers of the `verification` domain: whole-store runs with pushed progress, cancel, one service. */
export function registerVerificationHandlers(router: IpcRouter, services: AppServices): void {
  const runtime = storeRuntimeFor(services, { dataDir: services.dataDir, appConfigDir: services.appConfigDir });
  const runner = new VerificationRunner(dataPaths(services.dataDir).cache, () => readPlainHttpRegistries(services.dataDir));

  router.handle('verification:verify-store', {
    args: z.object({ storeId: z.string().min(1).max(4096), fresh: z.boolean().optional() }).strict(),
    run: async ({ storeId, fresh }) => {
      const { ref, store } = await runtime.current(storeId);
      const root = await runtime.trustRootFor(ref);
      const { runId, total } = runner.start(storeId, store, root, fresh ?? false, {
        progress: (p) => router.emit('verification:progress', p),
        finished: (f) => router.emit('verification:finished', f),
      });
      return { runId, storeId, total };
    },
  });

  router.handle('verification:cancel', {
    args: z.object({ runId: z.string().min(1).max(8192) }).strict(),
    run: ({ runId }) => ({ cancelled: runner.cancel(runId) }),
  });

  router.handle('verification:verify-service', {
    args: z.object({ storeId: z.string().min(1).max(4096), serviceId: z.string().min(1).max(80), index: entryIndex }).strict(),
    run: async ({ storeId, serviceId, index }) => {
      const { ref, store } = await runtime.current(storeId);
      // By position when given (ids can repeat in an index); the entry must still carry that id.
      const service = store.services.find((s) => (index === undefined || s.index === index) && (s.id ?? `#${s.index}`) === serviceId);
      if (!service) throw new CoreError('SERVICE_NOT_FOUND', `${ref.name} lists no service ${serviceId}`);
      return runner.one(storeId, store, service, await runtime.trustRootFor(ref));
    },
  });

  // Full verdicts are fetched one at a time when a service page opens; progress carries summaries.
  router.handle('verification:verdict', {
    args: z.object({ storeId: z.string().min(1).max(4096), serviceId: z.string().min(1).max(80), index: entryIndex }).strict(),
    run: ({ storeId, serviceId, index }) => runner.verdict(storeId, serviceId, index),
  });
}
