/**
 * Living with installed services in the app (DESIGN 2.9): update detection over every configured
 * cell (on start, after a store refresh, on demand) with core's `detectUpdates`, each cell's last
 * status with its time (kept here across views, and in the data dir across restarts), the notices
 * of newly reached states, and the Open action under DESIGN 3.1's rule. Every state and every
 * address is decided here and in core; the renderer shows what comes back.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CellStatus } from '../../../core/cell/status';
import { resolveTarget } from '../../../core/cell/ssh-context';
import type { CoreServices } from '../../../core/core-services';
import { writeFileAtomic } from '../../../core/data-dir';
import { CoreError, toErrorInfo } from '../../../core/errors';
import { detectUpdates, type UpdatesStore } from '../../../core/updates/detect-updates';
import { isAllowedOpenUrl } from '../../../core/updates/open-address';
import { noticesOf, openTargets, rowsOf } from './updates-view';
import type { CellUpdatesView, LastCellStatus, OpenServiceResult, UpdatesView } from '../../contract/channels/cells';
import type { AppEvents } from '../event-hub';
import type { CellService } from './cell-service';
import type { StoreRuntime } from './store-runtime';

/** A store refresh starts a check only when none ran this recently (browsing reloads indexes often). */
const REFRESH_QUIET_MS = 30_000;

/** How the shell opens a service's http address (Electron: the default browser; the browser shell: not at all, the page shows it). */
export type OpenAddressPort = (url: URL) => Promise<boolean>;

interface Remembered {
  view: Omit<UpdatesView, 'checking'>;
  statuses: Record<string, LastCellStatus>;
}

const EMPTY: Remembered = { view: { checkedAt: null, cells: [], stores: [], notices: [] }, statuses: {} };

export class UpdatesService {
  private remembered: Remembered = EMPTY;
  private readonly loaded: Promise<void>;
  private running: Promise<UpdatesView> | null = null;
  private lastRunEnded = 0;
  private readonly ctl = new AbortController();

  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly cells: CellService,
    private readonly events: AppEvents,
    private readonly openAddress: OpenAddressPort,
  ) {
    this.loaded = this.readFile();
    cells.onStatus = (id, status) => void this.rememberStatus(id, status);
  }

  private get file(): string {
    return join(this.core.paths.cache, 'installed-status.json');
  }

  private async readFile(): Promise<void> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Remembered>;
      // Our own file, but read defensively: anything not shaped like what we wrote is ignored.
      if (parsed && Array.isArray(parsed.view?.cells) && parsed.statuses && typeof parsed.statuses === 'object') {
        this.remembered = { view: { checkedAt: parsed.view.checkedAt ?? null, cells: parsed.view.cells, stores: parsed.view.stores ?? [], notices: [] }, statuses: parsed.statuses };
      }
    } catch {
      // None yet, or unreadable: start empty.
    }
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(this.remembered));
  }

  async lastStatuses(): Promise<Record<string, LastCellStatus>> {
    await this.loaded;
    const ids = new Set((await this.cells.list()).map((p) => p.id));
    return Object.fromEntries(Object.entries(this.remembered.statuses).filter(([id]) => ids.has(id)));
  }

  async view(): Promise<UpdatesView> {
    await this.loaded;
    return { ...this.remembered.view, checking: this.running !== null };
  }

  private async rememberStatus(id: string, status: CellStatus): Promise<void> {
    await this.loaded;
    const entry = { status, at: status.checkedAt };
    this.remembered = { ...this.remembered, statuses: { ...this.remembered.statuses, [id]: entry } };
    this.events.emit('cells:status-read', { id, ...entry });
    await this.save().catch(() => undefined);
  }

  /** After a store was (re)loaded: check again unless a check ran moments ago. */
  storeRefreshed(): void {
    if (this.running || Date.now() - this.lastRunEnded < REFRESH_QUIET_MS) return;
    void this.check().catch(() => undefined);
  }

  /** Checks every configured cell now; a check already running is joined, not repeated. */
  check(): Promise<UpdatesView> {
    this.running ??= this.run().finally(() => {
      this.running = null;
      this.lastRunEnded = Date.now();
    });
    return this.running;
  }

  private async run(): Promise<UpdatesView> {
    await this.loaded;
    this.events.emit('cells:updated', { ...this.remembered.view, checking: true });
    const profiles = await this.cells.list();
    const { stores: refs } = await this.stores.list();
    const stores: (UpdatesStore & { id: string; isDemo: boolean })[] = [];
    for (const ref of refs) {
      try {
        // Fetched anew: a check compares with what the store lists now (a failed fetch falls back to the last good copy).
        await this.stores.load(ref.id);
        const { store } = await this.stores.current(ref.id);
        stores.push({ id: ref.id, isDemo: ref.isDemo, entry: { name: ref.name, url: ref.url }, loaded: { ...store, listingSigned: !!store.listing?.signed }, error: null });
      } catch (e) {
        stores.push({ id: ref.id, isDemo: ref.isDemo, entry: { name: ref.name, url: ref.url }, loaded: null, error: toErrorInfo(e) });
      }
    }
    const report = await detectUpdates({
        cells: profiles,
        stores,
        ssh: this.cells.ssh,
        appTrustRoot: await this.core.trustRoot(),
        trustRootFor: (s) => this.stores.trustRootFor(refs.find((r) => r.name === s.entry.name && r.url === s.entry.url)!),
        verify: { insecureHosts: [...(await this.core.plainHttpRegistries())], timeoutMs: 30_000 },
        signal: this.ctl.signal,
      });
    const byName = new Map(profiles.map((p) => [p.name, p]));
    const storeIdByName = new Map(stores.map((s) => [s.entry.name, s.id]));
    const cells: CellUpdatesView[] = [];
    for (const c of report.cells) {
      const profile = byName.get(c.cell)!;
      const hostName = c.reachable ? await resolveTarget(profile, this.cells.ssh).then((t) => t.hostname, () => null) : null;
      cells.push({ cellId: profile.id, cell: c.cell, destination: c.destination, reachable: c.reachable, error: c.error, checkedAt: c.checkedAt, services: rowsOf(c, storeIdByName, hostName) });
    }
    const previous = this.remembered.view.cells;
    const view = { checkedAt: new Date().toISOString(), cells, stores: report.stores, notices: noticesOf(previous, cells) };
    const statuses = { ...this.remembered.statuses };
    for (const c of report.cells) {
      if (!c.status) continue;
      const id = byName.get(c.cell)!.id;
      statuses[id] = { status: c.status, at: c.status.checkedAt };
      this.events.emit('cells:status-read', { id, ...statuses[id] });
    }
    this.remembered = { view, statuses };
    await this.save().catch(() => undefined);
    const out = { ...view, checking: false };
    this.events.emit('cells:updated', out);
    return out;
  }

  /**
   * Opens an installed service's address: built from the cell profile's host (never the listing)
   * and the service's first tcp port, and opened only if it is one of the addresses the configured
   * cells' inventories publish (DESIGN 3.1).
   */
  async open(cellId: string, serviceId: string): Promise<OpenServiceResult> {
    await this.loaded;
    const row = this.remembered.view.cells.find((c) => c.cellId === cellId)?.services.find((s) => s.id === serviceId);
    if (!row?.openUrl) throw new CoreError('SERVICE_NOT_FOUND', `${serviceId} publishes no tcp port on this cell (as last checked), so there is no address to open`);
    if (!isAllowedOpenUrl(row.openUrl, openTargets(this.remembered.view.cells))) throw new CoreError('SERVICE_NOT_FOUND', 'that address is not one the configured cells publish');
    return { url: row.openUrl, opened: await this.openAddress(new URL(row.openUrl)) };
  }

  dispose(): void {
    this.ctl.abort();
  }
}
