import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listCellProfiles } from '../../../core/cell/profiles';
import type { SshContext } from '../../../core/cell/ssh-context';
import { dataPaths } from '../../../core/data-dir';
import { CoreError, errorMessage, isCoreError } from '../../../core/errors';
import { applyFleetPlan } from '../../../core/fleet/apply';
import { checkBatches } from '../../../core/fleet/batches';
import { listFleetReceipts, loadFleetReceipt, loadPlanById, savePlan } from '../../../core/fleet/fleet-files';
import { buildFleetPlan } from '../../../core/fleet/plan';
import { selectCells } from '../../../core/fleet/selection';
import { readPlainHttpRegistries } from '../../../core/store/stores-config';
import { storeSources } from '../../../core/verification/verify-store';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { storeRuntimeFor } from '../services/store-runtime';

interface Run {
  stop: AbortController;
  cancel: AbortController;
}

const batch = z.union([z.number().int().min(1).max(100_000), z.custom<`${number}%`>((v) => typeof v === 'string' && /^\d{1,3}%$/.test(v), 'a percentage like 10%')]);

/**
 * Handlers of the `fleet` domain: core's fleet plan and fleet run for the app. A run goes on in
 * the background after `apply` answers with its id; its engine and install steps are pushed as
 * `fleet:progress`, and its fleet receipt as `fleet:finished` (each cell's receipt is already in
 * the activity log, so Activity refreshes too).
 */
export function registerFleetHandlers(router: IpcRouter, services: AppServices): void {
  const ssh: SshContext = { dataDir: services.dataDir };
  const activityLog = dataPaths(services.dataDir).activity;
  const runtime = storeRuntimeFor(services, { dataDir: services.dataDir, appConfigDir: services.appConfigDir });
  const runs = new Map<string, Run>();

  const sourcesFor = async (store: Parameters<typeof storeSources>[0]) => {
    const plainHttpRegistries = await readPlainHttpRegistries(services.dataDir).catch(() => []);
    return { plainHttpRegistries, sources: storeSources(store, { timeoutMs: 15_000, insecureHosts: plainHttpRegistries }) };
  };

  router.handle('fleet:plan', {
    args: z.object({ storeId: z.string().min(1).max(4096), serviceId: z.string().min(1).max(200), cells: z.array(z.string().min(1).max(200)).min(1).max(10_000) }).strict(),
    run: async ({ storeId, serviceId, cells }) => {
      const selected = selectCells(await listCellProfiles(services.dataDir), cells);
      const { ref, store } = await runtime.current(storeId);
      const manifest = store.services.find((s) => s.id === serviceId)?.manifest;
      if (!manifest) throw new CoreError('SERVICE_NOT_FOUND', `the store ${ref.name} lists no installable service ${serviceId}`);
      const { plainHttpRegistries, sources } = await sourcesFor(store);
      try {
        const plan = await buildFleetPlan({ manifest, store: { name: ref.name, url: ref.url }, cells: selected, ssh, appTrustRoot: await runtime.trustRootFor(ref), sources: sources.provider, plainHttpRegistries, activityLog });
        await savePlan(services.dataDir, plan);
        return plan;
      } finally {
        sources.close();
      }
    },
  });

  router.handle('fleet:apply', {
    args: z.object({
      planId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
      batches: z.array(batch).min(1).max(100).optional(),
      maxFailPercent: z.number().min(0).max(100).nullable().optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
      retryRunId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
    }).strict(),
    run: async ({ planId, batches, maxFailPercent, concurrency, retryRunId }) => {
      const plan = await loadPlanById(services.dataDir, planId);
      const checked = batches ? [...checkBatches(batches)] : undefined;
      let only: string[] | undefined;
      if (retryRunId) {
        const prev = await loadFleetReceipt(services.dataDir, retryRunId);
        if (!prev || prev.planId !== plan.id) throw new CoreError('FLEET_RECEIPT_INVALID', `no run ${retryRunId} of plan ${plan.id}`);
        only = prev.cells.filter((c) => c.outcome === 'failed' || c.outcome === 'rejected' || (c.outcome === 'not-tried' && c.batch !== null)).map((c) => c.cell);
      }
      // The plan's store must still be configured: its trust root and image sources apply.
      const ref = (await runtime.list()).stores.find((r) => r.url === plan.store?.url);
      if (!ref) throw new CoreError('STORE_NOT_FOUND', `the store of this plan (${plan.store?.url ?? 'none'}) is not configured any more; plan again`);
      const { store } = await runtime.current(ref.id);
      const appTrustRoot = await runtime.trustRootFor(ref);
      const runId = randomUUID();
      const run: Run = { stop: new AbortController(), cancel: new AbortController() };
      runs.set(runId, run);
      void (async () => {
        const { plainHttpRegistries, sources } = await sourcesFor(store);
        try {
          const { receipt } = await applyFleetPlan({
            dataDir: services.dataDir, plan, ssh, appTrustRoot, sources: sources.provider, plainHttpRegistries, activityLog,
            options: { runId, batches: checked, maxFailPercent, concurrency, only, signal: run.cancel.signal, stop: run.stop.signal, onEvent: (event) => {
              router.emit('fleet:progress', { runId, event });
              if (event.kind === 'cell-end') router.emit('activity:changed', { at: new Date().toISOString() });
            } },
            onCellProgress: (cell, p) => router.emit('fleet:progress', { runId, cell, phase: p.phase, ...(p.line !== undefined ? { line: p.line } : {}) }),
          });
          router.emit('fleet:finished', receipt);
        } catch (e) {
          router.emit('fleet:failed', { runId, error: { code: isCoreError(e) ? e.code : 'INTERNAL', message: errorMessage(e) } });
        } finally {
          sources.close();
          runs.delete(runId);
        }
      })();
      return { runId };
    },
  });

  router.handle('fleet:stop', {
    args: z.object({ runId: z.string().uuid() }).strict(),
    run: ({ runId }) => {
      const r = runs.get(runId);
      r?.stop.abort();
      return { stopping: !!r };
    },
  });

  router.handle('fleet:cancel', {
    args: z.object({ runId: z.string().uuid() }).strict(),
    run: ({ runId }) => {
      const r = runs.get(runId);
      r?.cancel.abort();
      return { cancelled: !!r };
    },
  });

  router.handle('fleet:runs', {
    args: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    run: ({ limit }) => listFleetReceipts(services.dataDir, limit),
  });
}
