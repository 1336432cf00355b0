/**
 * Fleet plans and runs for the app (DESIGN 2.10): core's fleet plan, and fleet runs that go on in
 * the background after `apply` answers with the run id — engine and install steps pushed as
 * `fleet:progress`, the fleet receipt as `fleet:finished` (each cell's receipt is already in the
 * activity log, so Activity refreshes as cells end). Stop between batches and cancel per run.
 */
import { randomUUID } from 'node:crypto';
import type { CoreServices } from '../../../core/core-services';
import { CoreError, errorMessage, isCoreError } from '../../../core/errors';
import { addCellProfiles, listCellProfiles, type CellProfile } from '../../../core/cell/profiles';
import { exportInventory, importInventory } from '../../../core/fleet/inventory';
import { readUserFile, writeNewFile } from '../../../core/user-file';
import { applyFleetPlan } from '../../../core/fleet/apply';
import { checkBatches, type BatchSize } from '../../../core/fleet/batches';
import { exportPlan, listFleetReceipts, loadFleetReceipt, loadPlanById, savePlan } from '../../../core/fleet/fleet-files';
import { buildFleetPlan } from '../../../core/fleet/plan';
import { failedCells } from '../../../core/fleet/run';
import { selectCells } from '../../../core/fleet/selection';
import type { FleetApplyStart, FleetPlanView, FleetRunView } from '../../contract/channels/fleet';
import type { AppEvents } from '../event-hub';
import type { CellService } from './cell-service';
import { eventWords, planView, runView } from './fleet-views';
import type { StoreRuntime } from './store-runtime';

interface Run {
  stop: AbortController;
  cancel: AbortController;
  done: Promise<void>;
}

export class FleetRuns {
  private readonly runs = new Map<string, Run>();
  /** The plan being made (one at a time: the app has one Fleet view), for cancelPlan. */
  private planning: AbortController | null = null;

  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly cells: CellService,
    private readonly events: AppEvents,
  ) {}

  async plan(storeId: string, serviceId: string, words: string[], version?: string): Promise<FleetPlanView> {
    const selected = selectCells(await listCellProfiles(this.core.dataDir), words);
    if (this.planning) throw new CoreError('FLEET_BUSY', 'a plan is already being made; wait for it or cancel it');
    const { ref, store } = await this.stores.current(storeId);
    const manifest = store.services.find((s) => s.id === serviceId && (!version || s.manifest?.version === version))?.manifest;
    if (!manifest) throw new CoreError('SERVICE_NOT_FOUND', `the store ${ref.name} lists no installable service ${serviceId}${version ? ` version ${version}` : ''}`);
    const listing = await this.stores.installListing(storeId);
    const sources = await this.core.imageSources({ ociLayoutDir: store.ociLayoutDir });
    const planning = new AbortController();
    this.planning = planning;
    let done = 0;
    this.events.emit('fleet:plan-progress', { total: selected.length, done, row: null });
    try {
      const plan = await buildFleetPlan({
        manifest, store: { name: ref.name, url: ref.url }, cells: selected, ssh: this.cells.ssh, appTrustRoot: await this.stores.trustRootFor(ref),
        // A signed store's listing must be current or stale for every cell's plan (DESIGN 2.7), and
        // the store's transparency-log policy (2.8) applies to each cell's check, as to a single install.
        listing, listingSigned: listing.signed, transparencyLog: store.transparencyLog,
        sources: sources.provider, plainHttpRegistries: [...sources.plainHttpRegistries], activityLog: this.core.paths.activity, signal: planning.signal,
        onCell: (row) => this.events.emit('fleet:plan-progress', { total: selected.length, done: ++done, row }),
      });
      await savePlan(this.core.dataDir, plan);
      return planView(plan);
    } finally {
      this.planning = null;
      sources.close();
    }
  }

  cancelPlan(): { cancelled: boolean } {
    this.planning?.abort();
    return { cancelled: !!this.planning };
  }

  async savePlan(planId: string, path: string): Promise<{ path: string; bytes: number }> {
    return exportPlan(path, await loadPlanById(this.core.dataDir, planId));
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
      dataDir: this.core.dataDir, plan, listing, listingSigned: listing.signed, transparencyLog: store.transparencyLog, ssh: this.cells.ssh, appTrustRoot, sources: sources.provider, plainHttpRegistries: [...sources.plainHttpRegistries], activityLog: this.core.paths.activity,
      options: {
        runId, batches, maxFailPercent: a.maxFailPercent, concurrency: a.concurrency, only, signal: cancel.signal, stop: stop.signal,
        onEvent: (event) => {
          this.events.emit('fleet:progress', { runId, event, ...eventWords(event, plan.service.name) });
          if (event.kind === 'cell-end') this.events.emit('activity:changed', { at: new Date().toISOString() });
        },
      },
      onCellProgress: (cell, p) => this.events.emit('fleet:progress', { runId, cell, phase: p.phase, ...(p.line !== undefined ? { line: p.line } : {}) }),
    })
      .then(({ receipt }) => this.events.emit('fleet:finished', runView(receipt)))
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

  async list(limit?: number): Promise<FleetRunView[]> {
    return (await listFleetReceipts(this.core.dataDir, limit)).map(runView);
  }

  /** Cells from an Ansible inventory: profiles only, never a host key (each is confirmed in Cells before first use). */
  async importInventory(path: string): Promise<{ added: CellProfile[] }> {
    const added = await addCellProfiles(this.core.dataDir, importInventory(await readUserFile(path, 4 * 1024 * 1024)));
    this.events.emit('cells:changed', await listCellProfiles(this.core.dataDir));
    return { added };
  }

  async exportInventory(path: string, words?: string[]): Promise<{ path: string; count: number }> {
    const all = await listCellProfiles(this.core.dataDir);
    const chosen = words?.length ? selectCells(all, words) : all;
    await writeNewFile(path, exportInventory(chosen), { what: 'an Ansible inventory', extensions: ['.yml', '.yaml'], mode: 0o600 });
    return { path, count: chosen.length };
  }

  /** On quit: cancel every run and wait for its receipts to be written. */
  async dispose(): Promise<void> {
    this.planning?.abort();
    for (const r of this.runs.values()) r.cancel.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
