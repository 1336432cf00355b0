/**
 * Helpdesk activity for the app: the local log (watched, since the CLI appends to it too), a
 * configured cell's receipts, explanations, export/import and re-check. Re-checking reads the mode
 * only from a profile the helpdesk person chose, never from the destination a receipt names, and
 * reads the image only from a registry of their own configured stores (or their plain-http list),
 * or the one host they confirmed for this re-check — never one written only in the receipt.
 */
import { readCellReceipts } from '../../../core/cell/cell-receipts';
import { getCellStatus } from '../../../core/cell/status';
import type { CoreServices } from '../../../core/core-services';
import { watchFile, type FileWatch } from '../../../core/file-watch';
import { readActivity } from '../../../core/receipts/activity-log';
import type { ActivityQuery } from '../../../core/receipts/activity-query';
import { explainReceipt } from '../../../core/receipts/explain';
import { ticketText } from '../../../core/receipts/explain-text';
import type { Receipt } from '../../../core/receipts/receipt';
import { exportReceipt, importReceiptFile } from '../../../core/receipts/receipt-file';
import { recheckReceipt } from '../../../core/receipts/recheck';
import { parseImageReference } from '../../../core/reference/image-reference';
import { verifyImage } from '../../../core/verification/verify-image';
import type { ExplainedReceipt } from '../../contract/channels/activity';
import type { AppEvents } from '../event-hub';
import type { CellService } from './cell-service';
import type { StoreRuntime } from './store-runtime';

export class ActivityService {
  private watch: FileWatch | null = null;

  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly cells: CellService,
    private readonly events: AppEvents,
  ) {}

  /** Receipts are appended by installs (this process or the CLI): tell the renderer to refresh. */
  startWatching(): void {
    this.watch ??= watchFile(this.core.paths.activity, () => this.events.emit('activity:changed', { at: new Date().toISOString() }), 200);
  }

  list(q: ActivityQuery) {
    return readActivity(this.core.paths.activity, q);
  }

  async cellReceipts(cellId: string, q: ActivityQuery) {
    return readCellReceipts(await this.cells.profile(cellId), this.cells.ssh, q);
  }

  explain(receipt: Receipt): ExplainedReceipt {
    const explanation = explainReceipt(receipt);
    return { receipt, explanation, ticket: ticketText(explanation, receipt) };
  }

  /** A new .json file only, never an overwrite (a typed path in the shell has no dialog to ask). */
  async export(receipt: Receipt, path: string) {
    return { path, ...(await exportReceipt(path, receipt)) };
  }

  async import(path: string): Promise<ExplainedReceipt> {
    return this.explain(await importReceiptFile(path));
  }

  /**
   * The registries that are the helpdesk person's own: those their configured stores' services
   * name (the stores' current or last good index; the embedded demo store is not theirs), and
   * the plain-http registries they listed. A store that cannot be loaded contributes none.
   */
  async ownRegistries(): Promise<Set<string>> {
    const hosts = new Set(await this.core.plainHttpRegistries());
    const { stores } = await this.stores.list();
    for (const ref of stores) {
      if (ref.isDemo) continue;
      const current = await this.stores.current(ref.id).catch(() => null);
      for (const s of current?.store.services ?? []) {
        const p = s.manifest ? parseImageReference(s.manifest.image) : null;
        if (p?.ok) hosts.add(p.ref.registry);
      }
    }
    return hosts;
  }

  /** `confirmRegistry`: the host the person confirmed for this re-check (it must be the image's own). */
  async recheck(receipt: Receipt, opts: { cellId?: string; confirmRegistry?: string } = {}) {
    const trustRoot = await this.core.trustRoot();
    const profile = opts.cellId ? await this.cells.profile(opts.cellId) : undefined;
    const sources = await this.core.imageSources();
    try {
      return await recheckReceipt(receipt, {
        trustRoot,
        registryAllowed: async (registry) => registry === opts.confirmRegistry || (await this.ownRegistries()).has(registry),
        verify: (image) => verifyImage({ image, serviceId: receipt.service.id, trustRoot, sources: sources.provider }),
        readMode: profile ? async () => ({ cellName: profile.name, mode: (await getCellStatus(profile, this.cells.ssh, { trustRoot })).mode }) : undefined,
      });
    } finally {
      sources.close();
    }
  }

  dispose(): void {
    this.watch?.close();
    this.watch = null;
  }
}
