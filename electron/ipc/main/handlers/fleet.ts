/** Handlers of the `fleet` domain (DESIGN 2.10): plan (and cancel it), save a plan, apply in the background, stop, cancel, runs. */
import { z } from 'zod';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { absolutePath, serviceId, storeId } from './schemas';

const fileId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const runId = z.string().uuid();
const batch = z.union([z.number().int().min(1).max(100_000), z.custom<`${number}%`>((v) => typeof v === 'string' && /^\d{1,3}%$/.test(v), 'a percentage like 10%')]);

export function registerFleetHandlers(router: IpcRouter, { fleet }: AppServices): void {
  router.handle('fleet:plan', {
    args: z.object({ storeId, serviceId, version: z.string().min(1).max(64).optional(), cells: z.array(z.string().min(1).max(200)).min(1).max(10_000) }).strict(),
    run: (a) => fleet.plan(a.storeId, a.serviceId, a.cells, a.version),
  });
  router.handle('fleet:cancel-plan', { args: z.undefined(), run: () => fleet.cancelPlan() });
  router.handle('fleet:save-plan', { args: z.object({ planId: fileId, path: absolutePath }).strict(), run: (a) => fleet.savePlan(a.planId, a.path) });
  router.handle('fleet:apply', {
    args: z.object({
      planId: fileId,
      batches: z.array(batch).min(1).max(100).optional(),
      maxFailPercent: z.number().min(0).max(100).nullable().optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
      retryRunId: fileId.optional(),
    }).strict(),
    run: (a) => fleet.apply(a),
  });
  router.handle('fleet:stop', { args: z.object({ runId }).strict(), run: (a) => fleet.stop(a.runId) });
  router.handle('fleet:cancel', { args: z.object({ runId }).strict(), run: (a) => fleet.cancel(a.runId) });
  router.handle('fleet:import-inventory', { args: z.object({ path: absolutePath }).strict(), run: (a) => fleet.importInventory(a.path) });
  router.handle('fleet:export-inventory', { args: z.object({ path: absolutePath, cells: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional() }).strict(), run: (a) => fleet.exportInventory(a.path, a.cells) });
  router.handle('fleet:runs', { args: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), run: (a) => fleet.list(a.limit) });
}
