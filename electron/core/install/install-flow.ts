// The install / upgrade flow (DESIGN 2.2, 2.5), shared by the UI and the CLI: plain async
// functions with a progress callback and an AbortSignal. Every attempt ends in exactly one
// receipt, appended to the local activity log; attempts that changed the cell also land in its
// `store/receipts.jsonl`. A blocked install never runs anything on the cell beyond reading it.
// A pre-flight the admin declined is not an attempt and leaves no receipt (DESIGN 2.5).
import type { CellProfile } from '../cell/profiles';
import type { SshContext } from '../cell/ssh-context';
import type { CellStatus } from '../cell/status';
import { errorMessage } from '../errors';
import { explainReceipt } from '../receipts/explain';
import { createReceipt, receiptVerification, type Decision, type Receipt, type ReceiptCellVerification, type ReceiptFields } from '../receipts/receipt';
import { parseImageReference } from '../reference/image-reference';
import type { ServiceManifest } from '../store/manifest-schema';
import { trustRootId, type TrustRoot } from '../trust/trust-root';
import type { TlogPolicy, VerificationReport } from '../verification/types';
import { verifyImage, type SourceProvider } from '../verification/verify-image';
import { listingSentence } from '../catalogue/store-catalogue';
import { assertListingAllowsInstall, isListingBlock, receiptListing, type ListingStatus } from '../signed-store/listing-gate';
import { cellCosignDisagreementHint, runCellCosign } from './cell-cosign';
import { cellTrustRoot } from './cell-trust-root';
import { applyPlan, failureCode, record } from './apply-plan';
import { pinnedImage } from './compose-file';
import { decideInstall } from './decision';
import { imagePlatforms } from './image-platforms';
import { buildPreflight, SIGNED_LISTING_LABEL, type PreflightSummary } from './preflight';
import type { CellProbe } from './probe';
import { readCellForInstall } from './cell-read';
import { revocationRefusal, revokedReceiptFields, reviewUpgrade, type UpgradeConsent } from '../updates/upgrade-gate';
import { portsInUse } from './ports-in-use';

export { applyPlan } from './apply-plan';

export type InstallPhase = 'status' | 'verify' | 'cell-verify' | 'confirm' | 'lock' | 'stage' | 'pull' | 'swap' | 'up' | 'rollback' | 'done';

export interface InstallProgress {
  phase: InstallPhase;
  /** A line of remote output (docker pull / compose), when there is one. */
  line?: string;
}

export interface InstallRequest {
  manifest: ServiceManifest;
  store: { name: string; url: string } | null;
  /** The store listing's status (DESIGN 2.7): a signed store's must be current or stale. */
  listing?: ListingStatus | null;
  profile: CellProfile;
  ssh: SshContext;
  /** The app's trust root: its verdict is shown beside the cell's when they differ. */
  appTrustRoot: TrustRoot;
  /** The store's transparency-log policy (index `policy.transparencyLog`); default "if-present". */
  transparencyLog?: TlogPolicy;
  sources: SourceProvider;
  /** Registries the admin lets be reached over plain http (stores.json); loopback always is. */
  plainHttpRegistries?: readonly string[];
  /** The local activity log (dataPaths(dataDir).activity). */
  activityLog: string;
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
  /** Whole apply step limit (pull included); default 15 min. Hangs are caught sooner by ssh keepalives. */
  applyTimeoutMs?: number;
  /** The admin's consent to an upgrade's review (DESIGN 2.9); whether the listing came from a signed store (2.7). */
  consent?: UpgradeConsent;
  listingSigned?: boolean;
  /**
   * The consent comes with the answer to the pre-flight (the app): the summary shows the review
   * whatever it needs, and the gate is applied to what `confirm` answers — a confirmation that does
   * not cover the review is a `rejected` receipt, so main enforces what the renderer collected.
   */
  consentAtConfirm?: boolean;
}

/** `confirm`'s answer: yes/no, or (with `consentAtConfirm`) yes with the consent given to the review. */
export type ConfirmAnswer = boolean | { confirmed: boolean; consent: UpgradeConsent };

export interface InstallPlan {
  action: 'install' | 'upgrade';
  status: CellStatus;
  probe: CellProbe;
  report: VerificationReport;
  appReport: VerificationReport | null;
  cellVerification: ReceiptCellVerification | null;
  decision: Decision;
  /** Null when blocked or when no digest could be pinned. */
  summary: PreflightSummary | null;
  /** The receipt fields common to every outcome of this attempt. */
  base: Omit<ReceiptFields, 'outcome' | 'error'>;
  pinned: string | null;
  /** The cell's fingerprint of the mode and key this plan was decided under, re-checked inside the lock. */
  cellState: string;
}

export interface InstallResult {
  receipt: Receipt;
  /**
   * The admin declined the pre-flight (or cancelled while it waited): not an attempt, so
   * `receipt` only describes it for the caller and was recorded nowhere (DESIGN 2.5).
   */
  declined?: true;
  plan: InstallPlan | null;
}

const cellOf = (p: CellProfile) => ({ name: p.name, destination: p.destination, root: p.root });

/**
 * What planning learned before it stopped, so an attempt cut short after the cell was read still
 * records the cell's mode, the real action and the decision as far as it is known (DESIGN 2.5:
 * only an unreachable cell leaves them null).
 */
export interface PlanProgress {
  status?: CellStatus;
  action?: InstallPlan['action'];
  /** Set once both verdicts are in. */
  decided?: Pick<InstallPlan['base'], 'digest' | 'verification' | 'cellVerification' | 'decision'>;
}

/** Reads the cell, verifies fresh under its key (and the cell's own cosign), decides, and builds the pre-flight. Changes nothing. */
export async function planInstall(req: InstallRequest, seen: PlanProgress = {}): Promise<InstallPlan> {
  const { profile, manifest, signal } = req;
  const progress = req.onProgress ?? (() => undefined);
  assertListingAllowsInstall(req.listing); // in every mode, before the cell is contacted
  progress({ phase: 'status' });
  const { status, probe, cellKey, cellState } = await readCellForInstall(profile, req.ssh, manifest.id, { trustRoot: req.appTrustRoot, signal });
  const action = status.installed.some((s) => s.id === manifest.id) ? 'upgrade' : 'install';
  seen.status = status;
  seen.action = action;
  progress({ phase: 'verify' });
  // The cell's key judges the signature; the app's trusted logs judge its log entries (DESIGN 2.8).
  const cellRoot = { ...cellTrustRoot(cellKey, `${profile.destination}:${profile.root}/config/cosign/cosign.pub`), logs: req.appTrustRoot.logs };
  const sameKeys = trustRootId(cellRoot) === trustRootId(req.appTrustRoot);
  const [report, appReport] = await Promise.all([
    verifyImage({ image: manifest.image, serviceId: manifest.id, trustRoot: cellRoot, sources: req.sources, signal, transparencyLog: req.transparencyLog }),
    sameKeys ? Promise.resolve(null) : verifyImage({ image: manifest.image, serviceId: manifest.id, trustRoot: req.appTrustRoot, sources: req.sources, signal, transparencyLog: req.transparencyLog }),
  ]);
  const digest = report.digest;
  let pinned: string | null = null;
  try {
    pinned = digest ? pinnedImage(manifest.image, digest) : null;
  } catch {
    pinned = null;
  }
  let cellVerification: ReceiptCellVerification | null = null;
  if (status.cosign && pinned) {
    progress({ phase: 'cell-verify' });
    cellVerification = await runCellCosign(profile, req.ssh, pinned, status.cosign, signal, req.plainHttpRegistries);
  } else if (status.cosign) {
    cellVerification = { ran: false, verified: null, cosignVersion: status.cosign, output: 'not run: the image has no digest to verify' };
  }
  const d = decideInstall({ mode: status.mode.value, desktopVerified: report.verified, cellVerified: cellVerification?.ran ? cellVerification.verified : null });
  seen.decided = { digest, verification: receiptVerification(report), cellVerification, decision: d.decision };
  const base: InstallPlan['base'] = {
    action,
    store: req.store,
    service: { id: manifest.id, name: manifest.name, version: manifest.version },
    cell: cellOf(profile),
    image: manifest.image,
    digest,
    verification: receiptVerification(report),
    cellVerification,
    mode: status.mode,
    decision: d.decision,
    listing: receiptListing(req.listing),
  };
  let summary: PreflightSummary | null = null;
  if (d.decision !== 'block' && pinned && digest) {
    const ref = parseImageReference(pinned);
    const platforms = ref.ok ? await imagePlatforms(req.sources(ref.ref), ref.ref.repository, digest, signal) : null;
    summary = buildPreflight({
      profile, status, probe, manifest, digest, runs: pinned, decision: d.decision,
      verdict: { verified: d.verified, reason: report.reason, why: d.why },
      report,
      appVerdict: appReport && appReport.verified !== report.verified ? { verified: appReport.verified, reason: appReport.reason } : null,
      cellVerification, platforms,
    });
    if (req.store && req.listing) {
      summary.listingSignature = { signed: req.listing.signed, sentence: listingSentence(req.store.name, req.listing) };
      if (req.listing.signed) summary.listing.label = SIGNED_LISTING_LABEL;
    }
  }
  return { action, status, probe, report, appReport, cellVerification, decision: d.decision, summary, base, pinned, cellState };
}

/**
 * The receipt of an attempt that stopped while planning. When the cell was read, it records the
 * cell's mode and the real action (install or upgrade), and the decision as far as it is known:
 * the table's own decision once both verdicts are in; before that, the table's value for "not
 * verified" — block under enforce, warn under warn, allow under off — since nothing had verified
 * when the attempt stopped. Only an unreachable cell leaves mode and decision null (DESIGN 2.5).
 */
export function failureFields(req: InstallRequest, e: unknown, seen: PlanProgress): ReceiptFields {
  const code = failureCode(e, req.signal);
  const mode = seen.status?.mode ?? null;
  const decision = seen.decided?.decision ?? (mode ? decideInstall({ mode: mode.value, desktopVerified: false, cellVerified: null }).decision : null);
  return {
    action: seen.action ?? 'install', store: req.store,
    service: { id: req.manifest.id, name: req.manifest.name, version: req.manifest.version },
    cell: cellOf(req.profile), image: req.manifest.image,
    digest: seen.decided?.digest ?? null, verification: seen.decided?.verification ?? null, cellVerification: seen.decided?.cellVerification ?? null,
    mode, decision: isListingBlock(e) ? 'block' : decision, outcome: code === 'CANCELLED' ? 'cancelled' : isListingBlock(e) ? 'rejected' : 'failed', error: { code, message: errorMessage(e) },
    listing: receiptListing(req.listing),
  };
}

/**
 * The whole flow: plan, then — unless blocked or a listed host port is taken — ask `confirm` with
 * the pre-flight summary, then apply. Resolves with the attempt's receipt (already recorded) —
 * except a declined pre-flight, which is recorded nowhere (`declined`); throws only when even the local activity log
 * cannot be written.
 */
export async function installService(req: InstallRequest, confirm: (summary: PreflightSummary) => Promise<ConfirmAnswer>): Promise<InstallResult> {
  let plan: InstallPlan;
  const seen: PlanProgress = {};
  const revoked = revocationRefusal(req.manifest); // withdrawn: refused in every mode, nothing verified or pulled (2.9)
  if (revoked) return { receipt: await record(req, await revokedReceiptFields(req, revoked)), plan: null };
  try {
    plan = await planInstall(req, seen);
  } catch (e) {
    // The cell could not be read, or planning stopped (cancel, registry error): nothing was changed.
    return { receipt: await record(req, failureFields(req, e, seen)), plan: null };
  }
  if (plan.decision === 'block') {
    const r = plan.report;
    let why = !r.verified ? `${r.reason}: ${r.checks.find((c) => c.status === 'fail')?.detail ?? 'not verified'}` : `the cell-side cosign check did not verify ${plan.pinned}`;
    // When the two verdicts disagree, say why in the words the Activity page uses (e.g. cosign < 2.6 and bundle-only signatures).
    const draft = createReceipt({ ...plan.base, outcome: 'rejected', error: null });
    const disagreement = explainReceipt(draft).disagreementSentence;
    const hint = cellCosignDisagreementHint(r, plan.cellVerification);
    if (hint) why = `${why}: ${hint}`;
    else if (disagreement) why = `${why}. ${disagreement}`;
    return { receipt: await record(req, { ...plan.base, outcome: 'rejected', error: { code: 'BLOCKED', message: `blocked by the cell's ${plan.status.mode.value} mode: ${why}` } }), plan };
  }
  if (!plan.summary || !plan.pinned) {
    return { receipt: await record(req, { ...plan.base, outcome: 'failed', error: { code: 'DIGEST_UNRESOLVED', message: 'the image has no digest that could be checked, so there is nothing safe to pin the install to; the cell was not changed' } }), plan };
  }
  const gateWith = (consent: UpgradeConsent | undefined) => reviewUpgrade({ ...plan, manifest: req.manifest, digest: plan.base.digest, listingSigned: !!req.listingSigned, consent });
  const gate = gateWith(req.consentAtConfirm ? {} : req.consent);
  if (gate.review) [plan.base, plan.summary] = [{ ...plan.base, review: gate.review }, { ...plan.summary, review: gate.review }];
  if (gate.refusal && !req.consentAtConfirm) return { receipt: await record(req, { ...plan.base, outcome: 'rejected', error: gate.refusal }), plan };
  const taken = portsInUse(plan.summary);
  if (taken) return { receipt: await record(req, { ...plan.base, outcome: 'rejected', error: { code: 'PORT_IN_USE', message: taken } }), plan };
  req.onProgress?.({ phase: 'confirm' });
  let ok: boolean;
  let answer: ConfirmAnswer = false;
  try {
    answer = !req.signal?.aborted && (await confirm(plan.summary));
    ok = typeof answer === 'boolean' ? answer : answer.confirmed;
  } catch (e) {
    ok = false;
    void e;
  }
  // Declined (or cancelled while the summary waited): not an attempt, so no receipt (DESIGN 2.5).
  if (!ok) return { receipt: createReceipt({ ...plan.base, outcome: 'cancelled', error: { code: 'NOT_CONFIRMED', message: 'the pre-flight summary was not confirmed; the cell was not changed and nothing was recorded' } }), plan, declined: true };
  if (req.consentAtConfirm && gate.review) {
    // The gate again, on what the admin consented to in the pre-flight (nothing, when the answer carried none).
    const final = gateWith(typeof answer === 'boolean' ? {} : answer.consent);
    plan.base = { ...plan.base, review: final.review };
    if (final.refusal) return { receipt: await record(req, { ...plan.base, outcome: 'rejected', error: final.refusal }), plan };
  }
  return { receipt: await applyPlan(req, plan), plan };
}

