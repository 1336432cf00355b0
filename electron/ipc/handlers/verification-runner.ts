import { randomUUID } from 'node:crypto';
import { explainReport } from '../../core/catalogue/reason-catalogue';
import { openOciLayout } from '../../core/oci-layout/oci-layout-source';
import { parseImageReference } from '../../core/reference/image-reference';
import { RegistrySourcePool } from '../../core/registry/registry-pool';
import { RegistrySource } from '../../core/registry/registry-source';
import type { LoadedStore } from '../../core/store/load-index';
import type { StoreService } from '../../core/store/validate';
import { trustRootId, summarizeKey, type TrustRoot } from '../../core/trust/trust-root';
import { verifyImage, type SourceProvider } from '../../core/verification/verify-image';
import { CHECK_IDS, type VerificationReport } from '../../core/verification/types';
import type { ServiceVerdict, VerificationFinished, VerificationProgress } from '../channels/verification';

/**
 * Runs verification over a whole store for the UI: bounded concurrency, a badge cache keyed by
 * repository + digest + trust-root fingerprints (DESIGN 2.3), progress pushed in batches (so
 * 5,000 verdicts are a few dozen events, not 5,000), and cancellation. Verdicts come from core's
 * `verifyImage` only; this module decides nothing about trust.
 */
const CONCURRENCY = 8;
const PROGRESS_EVERY_MS = 100;
const MAX_CACHE = 20_000;

export interface RunSinks {
  progress(p: VerificationProgress): void;
  finished(f: VerificationFinished): void;
}

export class VerificationRunner {
  private readonly cache = new Map<string, VerificationReport>();
  private readonly runs = new Map<string, AbortController>();

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

  cancel(runId: string): boolean {
    const ctl = this.runs.get(runId);
    if (!ctl) return false;
    ctl.abort();
    return true;
  }

  /** Verifies one service now, bypassing the cache (the Why panel's re-verify). */
  async one(store: LoadedStore, service: StoreService, trustRoot: TrustRoot): Promise<ServiceVerdict> {
    const pool = this.sourcesFor(store);
    try {
      return await this.verdict(service, trustRoot, pool.provider, true);
    } finally {
      pool.close();
    }
  }

  private sourcesFor(store: LoadedStore): { provider: SourceProvider; close(): void } {
    if (store.ociLayoutDir) {
      const layout = openOciLayout(store.ociLayoutDir);
      return { provider: () => layout, close: () => undefined };
    }
    const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 15_000 }));
    return { provider: pool.provider, close: () => pool.close() };
  }

  private cacheKey(image: string, root: TrustRoot): string | null {
    const r = parseImageReference(image);
    if (!r.ok || !r.ref.digest) return null;
    return `${r.ref.name}@${r.ref.digest}#${trustRootId(root)}`;
  }

  private async verdict(s: StoreService, root: TrustRoot, sources: SourceProvider, fresh: boolean, signal?: AbortSignal): Promise<ServiceVerdict> {
    const serviceId = s.id ?? `#${s.index}`;
    let report: VerificationReport;
    if (!s.manifest) {
      report = invalidListingReport(serviceId, s, root);
    } else {
      const key = this.cacheKey(s.manifest.image, root);
      const hit = key && !fresh ? this.cache.get(key) : undefined;
      if (hit) {
        report = { ...hit, serviceId, image: s.manifest.image, cached: true };
      } else {
        report = await verifyImage({ image: s.manifest.image, serviceId, trustRoot: root, sources, signal });
        report = { ...report, cached: false };
        // Only answers about the image are cached; a network failure is asked again next time.
        if (key && report.reason !== 'REGISTRY_UNREACHABLE') {
          if (this.cache.size >= MAX_CACHE) this.cache.delete(this.cache.keys().next().value as string);
          this.cache.set(key, report);
        }
      }
    }
    return { serviceId, report, explanation: explainReport(report) };
  }

  private async run(runId: string, storeId: string, store: LoadedStore, root: TrustRoot, fresh: boolean, signal: AbortSignal, sinks: RunSinks): Promise<void> {
    const total = store.services.length;
    const sources = this.sourcesFor(store);
    let done = 0;
    let pending: ServiceVerdict[] = [];
    let error: VerificationFinished['error'] = null;
    const flush = () => {
      if (pending.length === 0) return;
      sinks.progress({ runId, storeId, done, total, verdicts: pending });
      pending = [];
    };
    const timer = setInterval(flush, PROGRESS_EVERY_MS);
    let next = 0;
    const worker = async () => {
      while (!signal.aborted) {
        const i = next++;
        const s = store.services[i];
        if (!s) return;
        try {
          pending.push(await this.verdict(s, root, sources.provider, fresh, signal));
          done++;
        } catch (e) {
          if (signal.aborted) return;
          error = { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, Math.max(1, total)) }, worker));
    } finally {
      clearInterval(timer);
      flush();
      sources.close();
      sinks.finished({ runId, storeId, done, total, cancelled: signal.aborted, error });
    }
  }
}

/** A listing that fails the schema is never fetched: its verdict is MANIFEST_INVALID with the errors. */
function invalidListingReport(serviceId: string, s: StoreService, root: TrustRoot): VerificationReport {
  const raw = s.raw as { image?: unknown } | null;
  return {
    serviceId,
    image: raw && typeof raw.image === 'string' ? raw.image : '(no image)',
    digest: null,
    repository: null,
    verified: false,
    reason: 'MANIFEST_INVALID',
    checks: CHECK_IDS.map((id) => ({ id, status: 'skip' as const, detail: 'not reached: the store listing fails the manifest schema, so the image was not checked' })),
    signatures: [],
    trustedKeys: root.keys.map(summarizeKey),
    errors: s.errors,
    verifiedAt: new Date().toISOString(),
    cached: false,
  };
}
