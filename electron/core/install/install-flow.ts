import { randomBytes } from 'node:crypto';
import type { CellProfile } from '../cell/profiles';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import type { CellStatus } from '../cell/status';
import { CoreError, errorMessage, type ErrorCode } from '../errors';
import { appendReceipt } from '../receipts/activity-log';
import { explainReceipt } from '../receipts/explain';
import { createReceipt, receiptVerification, type Decision, type Receipt, type ReceiptCellVerification, type ReceiptFields } from '../receipts/receipt';
import { parseImageReference } from '../reference/image-reference';
import type { ServiceManifest } from '../store/manifest-schema';
import { trustRootId, type TrustRoot } from '../trust/trust-root';
import type { VerificationReport } from '../verification/types';
import { verifyImage, type SourceProvider } from '../verification/verify-image';
import { cellCosignDisagreementHint, runCellCosign } from './cell-cosign';
import { cellTrustRoot } from './cell-trust-root';
import { composeYaml, pinnedImage } from './compose-file';
import { decideInstall } from './decision';
import { imagePlatforms } from './image-platforms';
import { lineSplitter } from './line-splitter';
import { buildPreflight, type PreflightSummary } from './preflight';
import type { CellProbe } from './probe';
import { readCellForInstall } from './cell-read';
import { appendReceiptScript, applyScript, parseMarker, reconcileScript, REMOTE_SCRIPT_COMMAND } from './remote-scripts';

/**
 * The install / upgrade flow (DESIGN 2.2, 2.5), shared by the UI and the CLI: plain async
 * functions with a progress callback and an AbortSignal. Every attempt ends in exactly one
 * receipt, appended to the local activity log; attempts that changed the cell also land in its
 * `store/receipts.jsonl`. A blocked install never runs anything on the cell beyond reading it.
 */
export type InstallPhase = 'status' | 'verify' | 'cell-verify' | 'confirm' | 'lock' | 'stage' | 'pull' | 'swap' | 'up' | 'rollback' | 'done';

export interface InstallProgress {
  phase: InstallPhase;
  /** A line of remote output (docker pull / compose), when there is one. */
  line?: string;
}

export interface InstallRequest {
  manifest: ServiceManifest;
  store: { name: string; url: string } | null;
  profile: CellProfile;
  ssh: SshContext;
  /** The app's trust root: its verdict is shown beside the cell's when they differ. */
  appTrustRoot: TrustRoot;
  sources: SourceProvider;
  /** Registries the admin lets be reached over plain http (stores.json); loopback always is. */
  plainHttpRegistries?: readonly string[];
  /** The local activity log (dataPaths(dataDir).activity). */
  activityLog: string;
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
  /** Whole apply step limit (pull included); default 15 min. Hangs are caught sooner by ssh keepalives. */
  applyTimeoutMs?: number;
}

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
}

export interface InstallResult {
  receipt: Receipt;
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
  progress({ phase: 'status' });
  const { status, probe, cellKey } = await readCellForInstall(profile, req.ssh, manifest.id, { trustRoot: req.appTrustRoot, signal });
  const action = status.installed.some((s) => s.id === manifest.id) ? 'upgrade' : 'install';
  seen.status = status;
  seen.action = action;
  progress({ phase: 'verify' });
  const cellRoot = cellTrustRoot(cellKey, `${profile.destination}:${profile.root}/config/cosign/cosign.pub`);
  const sameKeys = trustRootId(cellRoot) === trustRootId(req.appTrustRoot);
  const [report, appReport] = await Promise.all([
    verifyImage({ image: manifest.image, serviceId: manifest.id, trustRoot: cellRoot, sources: req.sources, signal }),
    sameKeys ? Promise.resolve(null) : verifyImage({ image: manifest.image, serviceId: manifest.id, trustRoot: req.appTrustRoot, sources: req.sources, signal }),
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
  }
  return { action, status, probe, report, appReport, cellVerification, decision: d.decision, summary, base, pinned };
}

async function record(req: InstallRequest, fields: ReceiptFields, id?: string): Promise<Receipt> {
  const receipt = createReceipt(fields, id ? { newId: () => id } : {});
  await appendReceipt(req.activityLog, receipt);
  return receipt;
}

/** A cancel, however it surfaced: our CANCELLED, an AbortError from a request, or an error raised after the signal fired. */
function failureCode(e: unknown, signal: AbortSignal | undefined): string {
  if (e instanceof CoreError) return e.code;
  if ((e as { name?: unknown } | null)?.name === 'AbortError' || signal?.aborted) return 'CANCELLED';
  return 'INSTALL_FAILED';
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
    mode, decision, outcome: code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code, message: errorMessage(e) },
  };
}

/**
 * The whole flow: plan, then — unless blocked — ask `confirm` with the pre-flight summary, then
 * apply. Always resolves with the attempt's receipt (already recorded); throws only when even
 * the local activity log cannot be written.
 */
export async function installService(req: InstallRequest, confirm: (summary: PreflightSummary) => Promise<boolean>): Promise<InstallResult> {
  let plan: InstallPlan;
  const seen: PlanProgress = {};
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
  req.onProgress?.({ phase: 'confirm' });
  let ok: boolean;
  try {
    ok = !req.signal?.aborted && (await confirm(plan.summary));
  } catch (e) {
    ok = false;
    void e;
  }
  if (!ok) return { receipt: await record(req, { ...plan.base, outcome: 'cancelled', error: { code: 'NOT_CONFIRMED', message: 'the pre-flight summary was not confirmed; the cell was not changed' } }), plan };
  return { receipt: await applyPlan(req, plan), plan };
}

/** Runs the apply script and turns its markers into the attempt's receipt. */
export async function applyPlan(req: InstallRequest, plan: InstallPlan): Promise<Receipt> {
  const { profile, manifest } = req;
  if (!plan.status.runtime) {
    return record(req, { ...plan.base, outcome: 'failed', error: { code: 'RUNTIME_MISSING', message: 'the cell has neither docker compose nor docker-compose; the cell was not changed' } });
  }
  const success = createReceipt({ ...plan.base, outcome: 'installed', error: null });
  const nonce = randomBytes(6).toString('hex');
  const script = applyScript({
    root: profile.root,
    serviceId: manifest.id,
    runtime: plan.status.runtime,
    nonce,
    files: [
      { name: 'docker-compose.yml', content: composeYaml(manifest, plan.base.digest!) },
      { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
      { name: 'receipt.json', content: `${JSON.stringify(success, null, 2)}\n` },
    ],
    receiptLine: JSON.stringify(success),
    image: plan.pinned ?? undefined,
  });
  const seen = { step: 'lock', ok: false, fail: null as null | { step: string; code: ErrorCode }, tail: [] as string[] };
  const lines = lineSplitter((_s, line) => {
    const m = parseMarker(line);
    if (m?.kind === 'step') {
      seen.step = m.step!;
      req.onProgress?.({ phase: m.step as InstallPhase });
    } else if (m?.kind === 'ok') seen.ok = true;
    else if (m?.kind === 'fail') seen.fail = { step: m.step!, code: m.code! };
    else {
      seen.tail.push(line);
      if (seen.tail.length > 40) seen.tail.shift();
      req.onProgress?.({ phase: seen.step as InstallPhase, line: m?.kind === 'note' ? m.text! : line });
    }
  });
  try {
    const r = await runRemote(profile, REMOTE_SCRIPT_COMMAND, req.ssh, { stdin: script, signal: req.signal, timeoutMs: req.applyTimeoutMs ?? 15 * 60_000, maxOutputBytes: 16 * 1024 * 1024, onOutput: lines.push });
    lines.flush();
    if (seen.ok && r.exitCode === 0) {
      req.onProgress?.({ phase: 'done' });
      await appendReceipt(req.activityLog, success);
      return success;
    }
    if (!seen.fail) {
      // The script ended without saying how (killed on the cell): look before reporting.
      return await interrupted(req, plan, success, nonce, seen.step, new CoreError('REMOTE_SCRIPT_FAILED', `the install script stopped on the cell without finishing (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`));
    }
    const f = seen.fail;
    const detail = seen.tail.join('\n').trim().slice(-1500) || r.stderr.trim().slice(-1500);
    const kept = f.step === 'up' ? (plan.action === 'upgrade' ? 'the previous version was restored and restarted' : 'the half-installed service was removed') : 'the cell was left as it was';
    const failed = createReceipt({ ...plan.base, outcome: 'failed', error: { code: f.code, message: `${f.step} failed on the cell; ${kept}${detail ? `:\n${detail}` : ''}` } }, { newId: () => success.id });
    if (f.step !== 'lock') await logOnCell(req, failed);
    await appendReceipt(req.activityLog, failed);
    return failed;
  } catch (e) {
    return interrupted(req, plan, success, nonce, seen.step, e);
  }
}

/** How long the app waits, after a cut-off apply, for the cell's lock to learn how it ended. */
const RECONCILE_LOCK_WAIT_SECONDS = 20;

/** A failed attempt that touched the cell (staging at least) is recorded in its log too, under the lock. */
async function logOnCell(req: InstallRequest, receipt: Receipt): Promise<void> {
  await runRemote(req.profile, REMOTE_SCRIPT_COMMAND, req.ssh, { stdin: appendReceiptScript(req.profile.root, JSON.stringify(receipt)), timeoutMs: 60_000 }).catch(() => undefined);
}

/**
 * The apply was cut off (cancel, lost or frozen connection, killed script): the cell may have
 * stopped before the swap, been cut mid-swap, or completed. Rather than guess from the last
 * marker seen, reconnect, wait for the cell lock (the apply script holds it until it ends) and
 * read how it ended; a swap cut short is rolled back right then. The receipt says what happened:
 * `installed` when the cell completed, otherwise cancelled/failed with the cell's state, or — when
 * the cell cannot be reached — that it may have completed and how to check.
 */
async function interrupted(req: InstallRequest, plan: InstallPlan, success: Receipt, nonce: string, step: string, e: unknown): Promise<Receipt> {
  const code = failureCode(e, req.signal);
  const outcome = code === 'CANCELLED' ? 'cancelled' : 'failed';
  const what = `${errorMessage(e)} — interrupted during "${step}"`;
  let state: string | null = null;
  const notes: string[] = [];
  let unreachable = '';
  if (step !== 'lock' || code !== 'CANCELLED') {
    try {
      const r = await runRemote(req.profile, REMOTE_SCRIPT_COMMAND, req.ssh, {
        stdin: reconcileScript({ root: req.profile.root, serviceId: req.manifest.id, runtime: plan.status.runtime!, nonce, receiptId: success.id, receiptLine: JSON.stringify(success), lockWaitSeconds: RECONCILE_LOCK_WAIT_SECONDS }),
        timeoutMs: (RECONCILE_LOCK_WAIT_SECONDS + 25) * 1000,
        maxOutputBytes: 1024 * 1024,
      });
      for (const line of r.stdout.split('\n')) {
        const m = parseMarker(line);
        if (m?.kind === 'state') state = m.text!;
        else if (m?.kind === 'note') notes.push(m.text!);
        else if (m?.kind === 'fail') unreachable = m.code === 'LOCK_TIMEOUT' ? `the cell was still busy with this ${plan.action} after ${RECONCILE_LOCK_WAIT_SECONDS} s` : `the check failed on the cell (${m.code})`;
      }
      if (!state && !unreachable) unreachable = `the check did not complete on the cell (exit ${r.exitCode})`;
    } catch (re) {
      unreachable = `the cell could not be reached afterwards (${errorMessage(re)})`;
    }
  } else {
    // Cancelled while still waiting for the lock: the script stops at its first output after the cancel, before any change.
    state = 'not-completed';
  }
  if (state === 'completed') {
    req.onProgress?.({ phase: 'done' });
    await appendReceipt(req.activityLog, success);
    return success;
  }
  const restored = notes.length ? ` (${notes.join('; ')})` : '';
  const where =
    state === 'interrupted' ? `the swap was cut short on the cell, and the previous state was restored when the app reconnected${restored}`
    : state === 'not-completed' ? `the cell did not complete the ${plan.action} and keeps its previous state (checked after reconnecting${restored})`
    : `${unreachable}, so the app cannot say how it ended: ${['lock', 'stage', 'pull'].includes(step) ? 'the cell does not swap once it has lost the app before the swap, but ' : ''}the cell may have completed the ${plan.action}. Check with "pic-store status --cell ${req.profile.destination}": if services/${req.manifest.id}/receipt.json names receipt ${success.id}, it completed; otherwise the next operation on the cell restores the previous version`;
  const receipt = createReceipt({ ...plan.base, outcome, error: { code, message: `${what}; ${where}` } }, { newId: () => success.id });
  if (state) await logOnCell(req, receipt);
  await appendReceipt(req.activityLog, receipt);
  return receipt;
}
