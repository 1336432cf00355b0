import { randomBytes } from 'node:crypto';
import { runRemote } from '../cell/ssh';
import { CoreError, errorMessage, type ErrorCode } from '../errors';
import { appendReceipt } from '../receipts/activity-log';
import { createReceipt, type Receipt, type ReceiptFields } from '../receipts/receipt';
import { judgeCellChange, SAME_MEANING_RETRIES, scriptOutputReader } from './cell-changed';
import { composeYaml } from './compose-file';
import type { InstallPhase, InstallPlan, InstallRequest } from './install-flow';
import { lineSplitter } from './line-splitter';
import { appendReceiptScript, applyScript, parseMarker, reconcileScript, REMOTE_SCRIPT_COMMAND } from './remote-scripts';

/**
 * The apply step of an install or upgrade (DESIGN 2.2): the locked script on the cell, its
 * markers turned into the attempt's receipt, and — when the connection was cut — reconciliation
 * with what the cell actually did. Split from install-flow.ts, which plans and confirms.
 */

/** Writes the attempt's receipt to the local activity log (and only there). */
export async function record(req: InstallRequest, fields: ReceiptFields, id?: string): Promise<Receipt> {
  const receipt = createReceipt(fields, id ? { newId: () => id } : {});
  await appendReceipt(req.activityLog, receipt);
  return receipt;
}

/** A cancel, however it surfaced: our CANCELLED, an AbortError from a request, or an error raised after the signal fired. */
export function failureCode(e: unknown, signal: AbortSignal | undefined): string {
  if (e instanceof CoreError) return e.code;
  if ((e as { name?: unknown } | null)?.name === 'AbortError' || signal?.aborted) return 'CANCELLED';
  return 'INSTALL_FAILED';
}


/**
 * Runs the apply script and turns its markers into the attempt's receipt. The script re-reads the
 * cell's mode and key inside the lock: a real change is refused as CELL_CHANGED (outcome
 * `rejected`, recorded locally only — the cell was not touched); a change of bytes alone is
 * retried under the cell's new fingerprint, a bounded number of times.
 */
export async function applyPlan(req: InstallRequest, plan: InstallPlan): Promise<Receipt> {
  if (!plan.status.runtime) {
    return record(req, { ...plan.base, outcome: 'failed', error: { code: 'RUNTIME_MISSING', message: 'the cell has neither docker compose nor docker-compose; the cell was not changed' } });
  }
  let expected = plan.cellState;
  for (let attempt = 0; ; attempt++) {
    const r = await applyOnce(req, plan, expected);
    if ('receipt' in r) return r.receipt;
    const judged = judgeCellChange(req.profile, plan.status, r.report, req.appTrustRoot, plan.action);
    if (judged.same && judged.cellState && attempt < SAME_MEANING_RETRIES) {
      expected = judged.cellState;
      continue;
    }
    const message = judged.same ? `the cell's mode and key files kept changing while the ${plan.action} waited for them to settle; nothing on the cell was touched` : judged.message;
    return record(req, { ...plan.base, outcome: 'rejected', error: { code: 'CELL_CHANGED', message } });
  }
}

async function applyOnce(req: InstallRequest, plan: InstallPlan, expectedCellState: string): Promise<{ receipt: Receipt } | { report: string | null }> {
  const { profile, manifest } = req;
  const success = createReceipt({ ...plan.base, outcome: 'installed', error: null });
  const nonce = randomBytes(6).toString('hex');
  const script = applyScript({
    root: profile.root,
    serviceId: manifest.id,
    runtime: plan.status.runtime!,
    nonce,
    files: [
      { name: 'docker-compose.yml', content: composeYaml(manifest, plan.base.digest!) },
      { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
      { name: 'receipt.json', content: `${JSON.stringify(success, null, 2)}\n` },
    ],
    receiptLine: JSON.stringify(success),
    image: plan.pinned ?? undefined,
    expectedCellState,
  });
  const seen = { step: 'lock', ok: false, fail: null as null | { step: string; code: ErrorCode }, tail: [] as string[] };
  const out = scriptOutputReader();
  const lines = lineSplitter((_s, line) => {
    const { text, marker: m } = out.read(line);
    if (m?.kind === 'step') {
      seen.step = m.step!;
      req.onProgress?.({ phase: m.step as InstallPhase });
    } else if (m?.kind === 'ok') seen.ok = true;
    else if (m?.kind === 'fail') seen.fail = { step: m.step!, code: m.code! };
    else if (m?.kind === 'note') req.onProgress?.({ phase: seen.step as InstallPhase, line: m.text! });
    if (text !== null) {
      seen.tail.push(text);
      if (seen.tail.length > 40) seen.tail.shift();
      req.onProgress?.({ phase: seen.step as InstallPhase, line: text });
    }
  });
  try {
    const r = await runRemote(profile, REMOTE_SCRIPT_COMMAND, req.ssh, { stdin: script, signal: req.signal, timeoutMs: req.applyTimeoutMs ?? 15 * 60_000, maxOutputBytes: 16 * 1024 * 1024, onOutput: lines.push });
    lines.flush();
    if (seen.ok && r.exitCode === 0) {
      req.onProgress?.({ phase: 'done' });
      await appendReceipt(req.activityLog, success);
      return { receipt: success };
    }
    if (seen.fail?.code === 'CELL_CHANGED') return { report: out.changedReport() };
    if (!seen.fail) {
      // The script ended without saying how (killed on the cell): look before reporting.
      return { receipt: await interrupted(req, plan, success, nonce, seen.step, new CoreError('REMOTE_SCRIPT_FAILED', `the install script stopped on the cell without finishing (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`)) };
    }
    const f = seen.fail;
    const detail = seen.tail.join('\n').trim().slice(-1500) || r.stderr.trim().slice(-1500);
    const kept = f.step === 'up' ? (plan.action === 'upgrade' ? 'the previous version was restored and restarted' : 'the half-installed service was removed') : 'the cell was left as it was';
    const failed = createReceipt({ ...plan.base, outcome: 'failed', error: { code: f.code, message: `${f.step} failed on the cell; ${kept}${detail ? `:\n${detail}` : ''}` } }, { newId: () => success.id });
    if (f.step !== 'lock') await logOnCell(req, failed);
    await appendReceipt(req.activityLog, failed);
    return { receipt: failed };
  } catch (e) {
    return { receipt: await interrupted(req, plan, success, nonce, seen.step, e) };
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
