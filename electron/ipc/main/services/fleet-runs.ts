/**
 * Fleet plans and runs for the app (DESIGN 2.10): core's fleet plan, and fleet runs that go on in
 * the background after `apply` answers with the run id — engine and install steps pushed as
 * `fleet:progress`, the fleet receipt as `fleet:finished` (each cell's receipt is already in the
 * activity log, so Activity refreshes as cells end). Stop between batches and cancel per run.
 */
import { randomUUID } from 'node:crypto';
import type { CoreServices } from '../../../core/core-services';
import { CoreError, errorMessage, isCoreError } from '../../../core/errors';
import { listCellProfiles } from '../../../core/cell/profiles';
import { applyFleetPlan } from '../../../core/fleet/apply';
import { checkBatches, type BatchSize } from '../../../core/fleet/batches';
import { listFleetReceipts, loadFleetReceipt, loadPlanById, savePlan } from '../../../core/fleet/fleet-files';
import { buildFleetPlan, type FleetPlan } from '../../../core/fleet/plan';
import { failedCells, type FleetReceipt } from '../../../core/fleet/run';
import { selectCells } from '../../../core/fleet/selection';
import type { FleetApplyStart } from '../../contract/channels/fleet';
import type { AppEvents } from '../event-hub';
import type { CellService } from './cell-service';
import type { StoreRuntime } from './store-runtime';

interface Run {
  stop: AbortController;
  cancel: AbortController;
  done: Promise<void>;
}

export class FleetRuns {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly cells: CellService,
    private readonly events: AppEvents,
  ) {}

  async plan(storeId: string, serviceId: string, words: string[]): Promise<FleetPlan> {
    const selected = selectCells(await listCellProfiles(this.core.dataDir), words);
    const { ref, store } = await this.stores.current(storeId);
    const manifest = store.services.find((s) => s.id === serviceId)?.manifest;
    if (!manifest) throw new CoreError('SERVICE_NOT_FOUND', `the store ${ref.name} lists no installable service ${serviceId}`);
    const sources = await this.core.imageSources({ ociLayoutDir: store.ociLayoutDir });
    try {
      const plan = await buildFleetPlan({
        manifest, store: { name: ref.name, url: ref.url }, cells: selected, ssh: this.cells.ssh, appTrustRoot: await this.stores.trustRootFor(ref),
        // A signed store's listing must be current or stale for every cell's plan (DESIGN 2.7).
        listing: await this.stores.installListing(storeId),
        sources: sources.provider, plainHttpRegistries: [...sources.plainHttpRegistries], activityLog: this.core.paths.activity,
      });
      await savePlan(this.core.dataDir, plan);
      return plan;
    } finally {
      sources.close();
    }
  }

  async apply(a: FleetApplyStart): Promise<{ runId: string }> {
    const plan = await loadPlanById(this.core.dataDir, a.planId);
    const batches: BatchSize[] | undefined = a.batches ? [...checkBatches(a.batches)] : undefined;
    let only: string[] | undefined;
    if (a.retryRunId) {
      const prev = await loadFleetReceipt(this.core.dataDir, a.retryRunId);
      if (!prev || prev.planId !== plan.id) throw new CoreError('FLEET_RECEIPT_INVALID', `no run ${a.retryRunId} of plan ${plan.id}`);
      only = failedCells(prev);
    }
    // The plan's store must still be configured: its trust root and image sources apply.
    const ref = (await this.stores.list()).stores.find((r) => r.url === plan.store?.url);
    if (!ref) throw new CoreError('STORE_NOT_FOUND', `the store of this plan (${plan.store?.url ?? 'none'}) is not configured any more; plan again`);
    const { store } = await this.stores.current(ref.id);
    const appTrustRoot = await this.stores.trustRootFor(ref);
    // Read again at apply time: a listing that expired or was refused since planning blocks each cell's turn.
    const listing = await this.stores.installListing(ref.id);
    const sources = await this.core.imageSources({ ociLayoutDir: store.ociLayoutDir });
    const runId = randomUUID();
    const stop = new AbortController();
    const cancel = new AbortController();
    const done = applyFleetPlan({
      dataDir: this.core.dataDir, plan, listing, ssh: this.cells.ssh, appTrustRoot, sources: sources.provider, plainHttpRegistries: [...sources.plainHttpRegistries], activityLog: this.core.paths.activity,
      options: {
        runId, batches, maxFailPercent: a.maxFailPercent, concurrency: a.concurrency, only, signal: cancel.signal, stop: stop.signal,
        onEvent: (event) => {
          this.events.emit('fleet:progress', { runId, event });
          if (event.kind === 'cell-end') this.events.emit('activity:changed', { at: new Date().toISOString() });
        },
      },
      onCellProgress: (cell, p) => this.events.emit('fleet:progress', { runId, cell, phase: p.phase, ...(p.line !== undefined ? { line: p.line } : {}) }),
    })
      .then(({ receipt }) => this.events.emit('fleet:finished', receipt))
      .catch((e: unknown) => this.events.emit('fleet:failed', { runId, error: { code: isCoreError(e) ? e.code : 'INTERNAL', message: errorMessage(e) } }))
      .finally(() => {
        sources.close();
        this.runs.delete(runId);
      });
    this.runs.set(runId, { stop, cancel, done });
    return { runId };
  }

  stop(runId: string): { stopping: boolean } {
    const r = this.runs.get(runId);
    r?.stop.abort();
    return { stopping: !!r };
  }

  cancel(runId: string): { cancelled: boolean } {
    const r = this.runs.get(runId);
    r?.cancel.abort();
    return { cancelled: !!r };
  }

  list(limit?: number): Promise<FleetReceipt[]> {
    return listFleetReceipts(this.core.dataDir, limit);
  }

  /** On quit: cancel every run and wait for its receipts to be written. */
  async dispose(): Promise<void> {
    for (const r of this.runs.values()) r.cancel.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
