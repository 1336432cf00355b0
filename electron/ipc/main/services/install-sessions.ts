/**
 * Install sessions for the app: run core's `installService` for the dialog, parking its `confirm`
 * callback until the admin answers (confirm / cancel), and push its progress lines as events.
 * Nothing here judges an image: the plan, the decision and every receipt come from core.
 */
import { randomUUID } from 'node:crypto';
import { explainMode, explainReport, explainStoreError, isStoreCode, reasonTitle } from '../../../core/catalogue/reason-catalogue';
import { LISTING_BLOCKED_NOT_CHECKED, listingSentence } from '../../../core/catalogue/store-catalogue';
import { explainUpdateCode, isUpdateCode } from '../../../core/catalogue/update-catalogue';
import type { ListingStatus } from '../../../core/signed-store/signed-refresh';
import type { ServiceManifest } from '../../../core/store/manifest-schema';
import type { CoreServices } from '../../../core/core-services';
import { getCellStatus } from '../../../core/cell/status';
import { CoreError } from '../../../core/errors';
import { installService, type ConfirmAnswer, type InstallResult } from '../../../core/install/install-flow';
import type { UpgradeConsent } from '../../../core/updates/upgrade-gate';
import { serviceOperation, uninstallService } from '../../../core/install/uninstall';
import { explainReceipt } from '../../../core/receipts/explain';
import type { InstallOutcome, InstallStage } from '../../contract/channels/installs';
import type { AppEvents } from '../event-hub';
import type { CellService } from './cell-service';
import type { StoreRuntime } from './store-runtime';

interface Session {
  ctl: AbortController;
  /** Set while core waits for the admin's answer to the pre-flight summary. */
  answer: ((a: ConfirmAnswer) => void) | null;
  done: Promise<InstallOutcome>;
}

export class InstallSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly core: CoreServices,
    private readonly stores: StoreRuntime,
    private readonly cells: CellService,
    private readonly events: AppEvents,
  ) {}

  private finish(fields: Omit<InstallOutcome, 'summary'>): InstallOutcome {
    // The same sentence Activity and `pic-store explain` give for this receipt.
    const outcome: InstallOutcome = { ...fields, summary: explainReceipt(fields.receipt).outcomeSentence };
    this.events.emit('installs:finished', outcome);
    // A declined pre-flight recorded nothing (DESIGN 2.5): the activity log did not change.
    if (!outcome.declined) this.events.emit('activity:changed', { at: outcome.receipt.at });
    return outcome;
  }

  private async prepare(storeId: string, serviceId: string, cellId: string) {
    const profile = await this.cells.profile(cellId);
    const { ref, store } = await this.stores.current(storeId);
    const listed = store.services.find((s) => s.id === serviceId);
    if (!listed) throw new CoreError('SERVICE_NOT_FOUND', `the store ${ref.name} lists no service ${serviceId}`);
    if (!listed.manifest) throw new CoreError('MANIFEST_INVALID', `the listing of ${serviceId} fails the manifest schema and cannot be installed`);
    // The listing's state is read again now: an install from a signed store that expired or was
    // refused since the page loaded is blocked by core's gate (DESIGN 2.7).
    const listing = await this.stores.installListing(storeId);
    return { profile, ref, store, listing, manifest: listed.manifest, appTrustRoot: await this.stores.trustRootFor(ref) };
  }

  /** Runs the flow up to the pre-flight (answering with it) or to its end, whichever comes first. */
  async start(sid: string, storeId: string, serviceId: string, cellId: string): Promise<InstallStage> {
    if (this.sessions.has(sid)) throw new CoreError('SESSION_EXISTS', 'an install with this session id is already running');
    // Registered before the first await, so Cancel works while the store and cell are read.
    const ctl = new AbortController();
    const session: Session = { ctl, answer: null, done: Promise.resolve(null as never) };
    this.sessions.set(sid, session);
    let setup;
    let sources;
    try {
      setup = await this.prepare(storeId, serviceId, cellId);
      sources = await this.core.imageSources({ ociLayoutDir: setup.store.ociLayoutDir });
      ctl.signal.throwIfAborted();
    } catch (e) {
      sources?.close();
      this.sessions.delete(sid);
      throw e;
    }
    const { profile, ref, manifest, appTrustRoot } = setup;
    let settle!: (s: InstallStage) => void;
    const staged = new Promise<InstallStage>((r) => (settle = r));
    const flow = installService(
      {
        manifest,
        store: { name: ref.name, url: ref.url },
        listing: setup.listing,
        listingSigned: setup.listing.signed,
        profile,
        ssh: this.cells.ssh,
        appTrustRoot,
        transparencyLog: setup.store.transparencyLog,
        sources: sources.provider,
        plainHttpRegistries: [...sources.plainHttpRegistries],
        activityLog: this.core.paths.activity,
        // An upgrade's consent arrives with the admin's confirmation; core gates on exactly that (DESIGN 2.9).
        consentAtConfirm: true,
        signal: ctl.signal,
        onProgress: (p) => this.events.emit('installs:progress', { sessionId: sid, phase: p.phase, ...(p.line !== undefined ? { line: p.line } : {}) }),
      },
      (summary) =>
        new Promise<ConfirmAnswer>((resolve) => {
          session.answer = resolve;
          settle({ stage: 'confirm', sessionId: sid, summary, verdict: { title: reasonTitle(summary.verdict.reason), sentence: summary.verdict.why }, mode: summary.explanations.mode });
        }),
    );
    const openSources = sources;
    session.done = flow
      .then((r) => this.finish(outcomeOf(sid, r, { store: ref.name, listing: setup.listing }, manifest)))
      .finally(() => {
        openSources.close();
        this.sessions.delete(sid);
      });
    session.done.then((outcome) => settle({ stage: 'finished', sessionId: sid, outcome }), () => undefined);
    // Core always resolves with a receipt; a rejection means the local log itself failed.
    return Promise.race([staged, session.done.then((outcome): InstallStage => ({ stage: 'finished', sessionId: sid, outcome }))]);
  }

  /** The admin confirmed; `consent` is what they consented to in the review (an upgrade), checked by core. */
  async confirm(sid: string, consent: UpgradeConsent = {}): Promise<InstallOutcome> {
    const s = this.sessions.get(sid);
    if (!s?.answer) throw new CoreError('SESSION_NOT_FOUND', 'this install is no longer waiting for confirmation');
    const answer = s.answer;
    s.answer = null;
    answer({ confirmed: true, consent });
    return s.done;
  }

  cancel(sid: string): { cancelled: boolean } {
    const s = this.sessions.get(sid);
    if (!s) return { cancelled: false };
    s.ctl.abort();
    if (s.answer) {
      const answer = s.answer;
      s.answer = null;
      answer(false);
    }
    return { cancelled: true };
  }

  async uninstall(cellId: string, serviceId: string, purgeVolumes: boolean): Promise<InstallOutcome> {
    const profile = await this.cells.profile(cellId);
    const appTrustRoot = await this.core.trustRoot();
    const sid = randomUUID();
    const receipt = await uninstallService({
      serviceId,
      profile,
      ssh: this.cells.ssh,
      appTrustRoot,
      activityLog: this.core.paths.activity,
      purgeVolumes,
      onProgress: (line) => this.events.emit('installs:progress', { sessionId: sid, phase: 'uninstall', line }),
    });
    return this.finish({ sessionId: sid, receipt, verdict: null, mode: receipt.mode ? explainMode(receipt.mode) : null, why: null });
  }

  /** State (`ps`), recent logs, or a restart of an installed service. */
  async serviceOp(cellId: string, serviceId: string, op: 'state' | 'logs' | 'restart'): Promise<{ output: string }> {
    const profile = await this.cells.profile(cellId);
    const status = await getCellStatus(profile, this.cells.ssh, { trustRoot: await this.core.trustRoot() });
    if (!status.runtime) throw new CoreError('RUNTIME_MISSING', 'the cell has neither docker compose nor docker-compose');
    return { output: await serviceOperation(profile, this.cells.ssh, status.runtime, serviceId, op, { tail: 200 }) };
  }

  /** Cancels every running install (shutdown): core rolls back what it started. */
  dispose(): void {
    for (const sid of [...this.sessions.keys()]) this.cancel(sid);
  }
}

function outcomeOf(sessionId: string, r: InstallResult, from: { store: string; listing: ListingStatus }, manifest?: ServiceManifest): Omit<InstallOutcome, 'summary'> {
  const receipt = r.receipt;
  const code = receipt.error?.code;
  const blocked = from.listing.signed && receipt.outcome === 'rejected' && code && isStoreCode(code) ? code : null;
  // A withdrawal, an unreviewed change or a changed signer: the update catalogue's words (the store's own reason for a withdrawal).
  const refusal =
    code && isUpdateCode(code)
      ? explainUpdateCode(code, { service: receipt.service.id, detail: (code === 'SERVICE_REVOKED' ? manifest?.revoked?.reason : null) ?? receipt.error!.message, newSigners: receipt.review?.signers.to })
      : null;
  return {
    ...(blocked ? { listingBlock: explainStoreError(blocked, { store: from.store, version: from.listing.version, expires: from.listing.expires, detail: from.listing.error?.message ?? receipt.error!.message }), notChecked: LISTING_BLOCKED_NOT_CHECKED } : {}),
    ...(receipt.listing ? { listingLine: listingSentence(from.store, { signed: receipt.listing.signed, version: receipt.listing.storeVersion, expires: from.listing.expires, state: receipt.listing.state }) } : {}),
    sessionId,
    receipt,
    verdict: r.plan ? explainReport(r.plan.report) : null,
    mode: r.plan ? explainMode(r.plan.status.mode) : null,
    why: r.plan?.summary?.verdict.why ?? (r.plan?.decision === 'block' ? receipt.error?.message ?? null : null),
    ...(r.declined ? { declined: true as const } : {}),
    ...(refusal ? { refusal } : {}),
  };
}
