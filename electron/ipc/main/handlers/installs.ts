import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { explainMode, explainReport, reasonTitle } from '../../../core/catalogue/reason-catalogue';
import { getCellProfile, type CellProfile } from '../../../core/cell/profiles';
import type { SshContext } from '../../../core/cell/ssh-context';
import { getCellStatus } from '../../../core/cell/status';
import { dataPaths } from '../../../core/data-dir';
import { CoreError } from '../../../core/errors';
import { installService, type InstallResult } from '../../../core/install/install-flow';
import { serviceOperation, uninstallService } from '../../../core/install/uninstall';
import type { Receipt } from '../../../core/receipts/receipt';
import { loadTrustRoot } from '../../../core/trust/trust-root';
import { readPlainHttpRegistries } from '../../../core/store/stores-config';
import { storeSources } from '../../../core/verification/verify-store';
import type { InstallOutcome, InstallStage } from '../../contract/channels/installs';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { storeRuntimeFor } from '../services/store-runtime';

const id = z.string().min(1).max(200);
const sessionId = z.string().uuid();

interface Session {
  ctl: AbortController;
  /** Set while core waits for the admin's answer to the pre-flight summary. */
  answer: ((ok: boolean) => void) | null;
  done: Promise<InstallOutcome>;
}

/**
 * Handlers of the `installs` domain: run core's `installService` for the dialog, parking its
 * `confirm` callback until the admin answers (`installs:confirm` / `installs:cancel`), and push
 * its progress lines as events. Nothing here judges an image: the plan, the decision and every
 * receipt come from core.
 */
export function registerInstallsHandlers(router: IpcRouter, services: AppServices): void {
  const ssh: SshContext = { dataDir: services.dataDir };
  const activityLog = dataPaths(services.dataDir).activity;
  const runtime = storeRuntimeFor(services, { dataDir: services.dataDir, appConfigDir: services.appConfigDir });
  const sessions = new Map<string, Session>();

  const profileOf = async (cellId: string): Promise<CellProfile> => {
    const p = await getCellProfile(services.dataDir, cellId);
    if (!p) throw new CoreError('CELL_NOT_FOUND', `no cell profile with id ${cellId}`);
    return p;
  };
  const finish = (outcome: InstallOutcome): InstallOutcome => {
    router.emit('installs:finished', outcome);
    router.emit('activity:changed', { at: outcome.receipt.at });
    return outcome;
  };

  const prepare = async (storeId: string, serviceId: string, cellId: string) => {
    const profile = await profileOf(cellId);
    const { ref, store } = await runtime.current(storeId);
    const listed = store.services.find((s) => s.id === serviceId);
    if (!listed) throw new CoreError('SERVICE_NOT_FOUND', `the store ${ref.name} lists no service ${serviceId}`);
    if (!listed.manifest) throw new CoreError('MANIFEST_INVALID', `the listing of ${serviceId} fails the manifest schema and cannot be installed`);
    return { profile, ref, store, manifest: listed.manifest, appTrustRoot: await runtime.trustRootFor(ref) };
  };

  router.handle('installs:start', {
    args: z.object({ sessionId, storeId: z.string().min(1).max(4096), serviceId: id, cellId: id }).strict(),
    run: async ({ sessionId: sid, storeId, serviceId, cellId }) => {
      if (sessions.has(sid)) throw new CoreError('SESSION_EXISTS', 'an install with this session id is already running');
      // Registered before the first await, so Cancel works while the store and cell are read.
      const ctl = new AbortController();
      const session: Session = { ctl, answer: null, done: Promise.resolve(null as never) };
      sessions.set(sid, session);
      let setup;
      try {
        setup = await prepare(storeId, serviceId, cellId);
        ctl.signal.throwIfAborted();
      } catch (e) {
        sessions.delete(sid);
        throw e;
      }
      const { profile, ref, manifest, appTrustRoot } = setup;
      const plainHttpRegistries = await readPlainHttpRegistries(services.dataDir).catch(() => []);
      const sources = storeSources(setup.store, { timeoutMs: 15_000, insecureHosts: plainHttpRegistries });
      let settle!: (s: InstallStage) => void;
      const staged = new Promise<InstallStage>((r) => (settle = r));
      const flow = installService(
        {
          manifest,
          store: { name: ref.name, url: ref.url },
          profile,
          ssh,
          appTrustRoot,
          sources: sources.provider,
          plainHttpRegistries,
          activityLog,
          signal: ctl.signal,
          onProgress: (p) => router.emit('installs:progress', { sessionId: sid, phase: p.phase, ...(p.line !== undefined ? { line: p.line } : {}) }),
        },
        (summary) =>
          new Promise<boolean>((resolve) => {
            session.answer = resolve;
            settle({ stage: 'confirm', sessionId: sid, summary, verdict: { title: reasonTitle(summary.verdict.reason), sentence: summary.verdict.why }, mode: summary.explanations.mode });
          }),
      );
      session.done = flow
        .then((r) => finish(outcomeOf(sid, r)))
        .finally(() => {
          sources.close();
          sessions.delete(sid);
        });
      session.done.then((outcome) => settle({ stage: 'finished', sessionId: sid, outcome }), () => undefined);
      // Core always resolves with a receipt; a rejection means the local log itself failed.
      return Promise.race([staged, session.done.then((outcome): InstallStage => ({ stage: 'finished', sessionId: sid, outcome }))]);
    },
  });

  router.handle('installs:confirm', {
    args: z.object({ sessionId }).strict(),
    run: async ({ sessionId: sid }) => {
      const s = sessions.get(sid);
      if (!s?.answer) throw new CoreError('SESSION_NOT_FOUND', 'this install is no longer waiting for confirmation');
      const answer = s.answer;
      s.answer = null;
      answer(true);
      return s.done;
    },
  });

  router.handle('installs:cancel', {
    args: z.object({ sessionId }).strict(),
    run: ({ sessionId: sid }) => {
      const s = sessions.get(sid);
      if (!s) return { cancelled: false };
      s.ctl.abort();
      if (s.answer) {
        const answer = s.answer;
        s.answer = null;
        answer(false);
      }
      return { cancelled: true };
    },
  });

  router.handle('installs:uninstall', {
    args: z.object({ cellId: id, serviceId: id, purgeVolumes: z.boolean() }).strict(),
    run: async ({ cellId, serviceId, purgeVolumes }) => {
      const profile = await profileOf(cellId);
      const appTrustRoot = await loadTrustRoot({ appConfigDir: services.appConfigDir, dataDir: services.dataDir });
      const sid = randomUUID();
      const receipt = await uninstallService({
        serviceId, profile, ssh, appTrustRoot, activityLog, purgeVolumes,
        onProgress: (line) => router.emit('installs:progress', { sessionId: sid, phase: 'uninstall', line }),
      });
      return finish({ sessionId: sid, receipt, verdict: null, mode: receipt.mode ? explainMode(receipt.mode) : null, why: null });
    },
  });

  router.handle('installs:service', {
    args: z.object({ cellId: id, serviceId: id, op: z.enum(['state', 'logs', 'restart']) }).strict(),
    run: async ({ cellId, serviceId, op }) => {
      const profile = await profileOf(cellId);
      const trustRoot = await loadTrustRoot({ appConfigDir: services.appConfigDir, dataDir: services.dataDir });
      const status = await getCellStatus(profile, ssh, { trustRoot });
      if (!status.runtime) throw new CoreError('RUNTIME_MISSING', 'the cell has neither docker compose nor docker-compose');
      return { output: await serviceOperation(profile, ssh, status.runtime, serviceId, op, { tail: 200 }) };
    },
  });

  router.handle('installs:find-listing', {
    args: z.object({ serviceId: id }).strict(),
    run: async ({ serviceId }) => {
      const { stores } = await runtime.list();
      for (const ref of stores) {
        const found = await runtime.current(ref.id).then(({ store }) => store.services.find((s) => s.id === serviceId && s.manifest), () => undefined);
        if (found?.manifest) return { storeId: ref.id, version: found.manifest.version };
      }
      return { storeId: null, version: null };
    },
  });
}

function outcomeOf(sessionId: string, r: InstallResult): InstallOutcome {
  const receipt: Receipt = r.receipt;
  return {
    sessionId,
    receipt,
    verdict: r.plan ? explainReport(r.plan.report) : null,
    mode: r.plan ? explainMode(r.plan.status.mode) : null,
    why: r.plan?.summary?.verdict.why ?? (r.plan?.decision === 'block' ? receipt.error?.message ?? null : null),
  };
}
