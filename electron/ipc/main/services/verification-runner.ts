import { randomUUID } from 'node:crypto';
import { CoreError, toErrorInfo } from '../../../core/errors';
import type { CoreServices, ImageSources } from '../../../core/core-services';
import { verifyImage } from '../../../core/verification/verify-image';
import type { AppEvents } from '../event-hub';
import type { StoreRuntime } from './store-runtime';
import { explainReport } from '../../../core/catalogue/reason-catalogue';
import type { LoadedStore } from '../../../core/store/load-index';
import type { StoreService } from '../../../core/store/validate';
import type { TrustRoot } from '../../../core/trust/trust-root';
import { openFileCache, type VerificationCache } from '../../../core/verification/verification-cache';
import { manifestInvalidReport, verifyStore } from '../../../core/verification/verify-store';
import type { VerificationReport } from '../../../core/verification/types';
import type { ServiceVerdict, VerdictSummary, VerificationFinished, VerificationProgress } from '../../contract/channels/verification';

/**
 * Runs core's `verifyStore` for the UI: one run per store at a time, the file-backed badge cache,
 * progress pushed in batches (5,000 verdicts become a few dozen events, not 5,000) of compact
 * summaries, and cancellation. Full verdicts stay here, the latest per service, until a service
 * page asks for one. Verdicts come from core only; this module decides nothing about trust.
 */
const CONCURRENCY = 8;
const PROGRESS_EVERY_MS = 100;

export interface RunSinks {
  progress(p: VerificationProgress): void;
  finished(f: VerificationFinished): void;
}

export class VerificationRunner {
  private readonly runs = new Map<string, AbortController>();
  /** The latest full verdict per store and entry (by position: ids can repeat): what `verdict()` answers. */
  private readonly latest = new Map<string, Map<number, ServiceVerdict>>();
  private cache: Promise<VerificationCache> | null = null;

  /**
   * Image sources come from the core services at each run, so an edit of the admin's plain-http
   * list (stores.json) applies to the next run.
   */
  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly events: AppEvents,
  ) {}

  private openCache(): Promise<VerificationCache> {
    this.cache ??= openFileCache(this.core.paths.cache);
    return this.cache;
  }

  /** Starts a run over the store as last shown and returns at once; events report the rest. */
  async verifyStore(storeId: string, fresh: boolean): Promise<{ runId: string; storeId: string; total: number }> {
    const { ref, store } = await this.stores.current(storeId);
    const root = await this.stores.trustRootFor(ref);
    const { runId, total } = this.start(storeId, store, root, fresh, {
      progress: (p) => this.events.emit('verification:progress', p),
      finished: (f) => this.events.emit('verification:finished', f),
    });
    return { runId, storeId, total };
  }

  /** One listed entry verified now (the Why panel's re-verify): by position when given (ids can repeat); it must still carry that id. */
  async verifyService(storeId: string, serviceId: string, index?: number): Promise<ServiceVerdict> {
    const { ref, store } = await this.stores.current(storeId);
    const service = store.services.find((s) => (index === undefined || s.index === index) && (s.id ?? `#${s.index}`) === serviceId);
    if (!service) throw new CoreError('SERVICE_NOT_FOUND', `${ref.name} lists no service ${serviceId}`);
    return this.one(storeId, store, service, await this.stores.trustRootFor(ref));
  }

  /**
   * One image reference verified fresh (no badge cache) under the app's trust root — bundled +
   * local keys, never a demo key, since no store listing is involved. The Cells view asks for the
   * current badge of what a cell runs (its receipt's image@digest).
   */
  async verifyImage(image: string, serviceId?: string): Promise<ServiceVerdict> {
    const trustRoot = await this.core.trustRootFor({ isDemo: false });
    const sources = await this.core.imageSources();
    try {
      const report = await verifyImage({ image, ...(serviceId ? { serviceId } : {}), trustRoot, sources: sources.provider });
      return { serviceId: serviceId ?? '', index: null, report, explanation: explainReport(report) };
    } finally {
      sources.close();
    }
  }

  /** Starts a run and returns at once; events report the rest. A new run for a store cancels the old one. */
  start(storeId: string, store: LoadedStore, trustRoot: TrustRoot, fresh: boolean, sinks: RunSinks): { runId: string; total: number } {
    for (const [id, ctl] of this.runs) if (id.startsWith(`${storeId}\n`)) ctl.abort();
    const runId = `${storeId}\n${randomUUID()}`;
    const ctl = new AbortController();
    this.runs.set(runId, ctl);
    const total = store.services.length;
    void this.run(runId, storeId, store, trustRoot, fresh, ctl.signal, sinks).finally(() => this.runs.delete(runId));
    return { runId, total };
  }

  /** Cancels every run (shutdown). */
  dispose(): void {
    for (const ctl of this.runs.values()) ctl.abort();
    this.runs.clear();
  }

  cancel(runId: string): boolean {
    const ctl = this.runs.get(runId);
    if (!ctl) return false;
    ctl.abort();
    return true;
  }

  /** Verifies one service now, bypassing the cache (the Why panel's re-verify) but refreshing it. */
  async one(storeId: string, store: LoadedStore, service: StoreService, trustRoot: TrustRoot): Promise<ServiceVerdict> {
    const sources = await this.core.imageSources({ ociLayoutDir: store.ociLayoutDir });
    let report: VerificationReport | undefined;
    try {
      [report] = await verifyStore({ services: [service], ociLayoutDir: store.ociLayoutDir, transparencyLog: store.transparencyLog }, { trustRoot, cache: writeOnly(await this.openCache()), sources: sources.provider });
    } finally {
      sources.close();
    }
    return this.keep(storeId, toVerdict(service, report ?? manifestInvalidReport(service, trustRoot), false));
  }

  /**
   * The latest full verdict reached for an entry of a store, or null before any: the entry at
   * `index` when given (and only if it still has that id), else the first entry with the id.
   */
  verdict(storeId: string, serviceId: string, index?: number): ServiceVerdict | null {
    const byEntry = this.latest.get(storeId);
    if (!byEntry) return null;
    if (index !== undefined) {
      const v = byEntry.get(index);
      return v && v.serviceId === serviceId ? v : null;
    }
    const first = [...byEntry.values()].filter((v) => v.serviceId === serviceId).sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0];
    return first ?? null;
  }

  private keep(storeId: string, v: ServiceVerdict): ServiceVerdict {
    let byEntry = this.latest.get(storeId);
    if (!byEntry) this.latest.set(storeId, (byEntry = new Map()));
    if (typeof v.index === 'number') byEntry.set(v.index, v);
    return v;
  }

  private async run(runId: string, storeId: string, store: LoadedStore, root: TrustRoot, fresh: boolean, signal: AbortSignal, sinks: RunSinks): Promise<void> {
    const total = store.services.length;
    let done = 0;
    let pending: VerdictSummary[] = [];
    let error: VerificationFinished['error'] = null;
    const flush = () => {
      if (pending.length === 0) return;
      sinks.progress({ runId, storeId, done, total, summaries: pending });
      pending = [];
    };
    const timer = setInterval(flush, PROGRESS_EVERY_MS);
    const byIndex = new Map(store.services.map((s) => [s.index, s]));
    let sources: ImageSources | null = null;
    try {
      const cache = await this.openCache();
      sources = await this.core.imageSources({ ociLayoutDir: store.ociLayoutDir });
      await verifyStore(store, {
        trustRoot: root,
        signal,
        concurrency: CONCURRENCY,
        timeoutMs: 15_000,
        sources: sources.provider,
        cache: fresh ? writeOnly(cache) : cache,
        onProgress: (p) => {
          done = p.done;
          const svc = byIndex.get(p.index);
          pending.push(summarize(this.keep(storeId, toVerdict(svc, p.result, fresh))));
        },
      });
    } catch (e) {
      if (!signal.aborted) error = toErrorInfo(e);
    } finally {
      sources?.close();
      clearInterval(timer);
      flush();
      sinks.finished({ runId, storeId, done, total, cancelled: signal.aborted, error });
    }
  }
}

/** A cache that records fresh answers but never answers from memory (re-verify). */
function writeOnly(cache: VerificationCache): VerificationCache {
  return { get: () => null, set: (k, r) => cache.set(k, r), flush: () => cache.flush() };
}

export function summarize({ serviceId, index, report }: ServiceVerdict): VerdictSummary {
  return { serviceId, index, reason: report.reason, verified: report.verified, verifiedAt: report.verifiedAt ?? null, cached: report.cached === true };
}

function toVerdict(svc: StoreService | undefined, r: VerificationReport, fresh: boolean): ServiceVerdict {
  const serviceId = r.serviceId ?? svc?.id ?? (svc ? `#${svc.index}` : '?');
  const report: VerificationReport = { ...r, serviceId, cached: fresh ? false : r.cached === true };
  return { serviceId, index: svc?.index ?? null, report, explanation: explainReport(report) };
}

