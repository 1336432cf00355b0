// Re-checking a receipt (issue 8, DESIGN 2.5): verify the same image digest again with TODAY's
// trust root and, only when the helpdesk person picked a cell profile of their own, read that
// cell's mode again — never the destination written in the receipt, which may come from
// someone else's machine. The result lists what changed since the receipt was written.
import { explainMode, explainReport, type Explanation } from '../catalogue/reason-catalogue';
import type { ResolvedMode } from '../cell/mode';
import { errorMessage, isCoreError, type ErrorInfo } from '../errors';
import { decideInstall } from '../install/decision';
import { parseImageReference, pinnedReference } from '../reference/image-reference';
import type { VerificationReport } from '../verification/types';
import type { Decision, Receipt } from './receipt';

interface RecheckPorts {
  /** Verifies one image reference with today's trust root. */
  verify(image: string): Promise<VerificationReport>;
  /** Reads the mode of the cell profile the helpdesk person chose; absent when none was chosen. */
  readMode?: () => Promise<{ cellName: string; mode: ResolvedMode }>;
  now?: () => Date;
}

export interface RecheckChange {
  what: 'verified' | 'reason' | 'signed-by' | 'trusted-keys' | 'mode' | 'decision';
  before: string;
  after: string;
  sentence: string;
}

export interface RecheckResult {
  receiptId: string;
  at: string;
  /** What was verified: the receipt's repository at the receipt's digest. */
  image: string;
  report: VerificationReport;
  explanation: Explanation;
  /** The chosen cell and its mode now; null when no cell was chosen or it could not be read. */
  cell: { name: string; mode: ResolvedMode; explanation: Explanation } | null;
  cellError: ErrorInfo | null;
  /** What that cell would decide now (under the app's trust root); null without a cell. */
  decision: Decision | null;
  changes: RecheckChange[];
  summary: string;
}

/** The digest-pinned reference a receipt's image was checked at (the same digest, never a tag). */
export function recheckTarget(r: Receipt): string {
  if (!r.digest) return r.image;
  const p = parseImageReference(r.image);
  return p.ok ? pinnedReference(p.ref, r.digest) : r.image;
}

const list = (xs: string[]) => (xs.length ? xs.sort().join(', ') : 'none');

export async function recheckReceipt(receipt: Receipt, ports: RecheckPorts): Promise<RecheckResult> {
  const image = recheckTarget(receipt);
  const report = await ports.verify(image);
  let cell: RecheckResult['cell'] = null;
  let cellError: RecheckResult['cellError'] = null;
  if (ports.readMode) {
    try {
      const m = await ports.readMode();
      cell = { name: m.cellName, mode: m.mode, explanation: explainMode(m.mode) };
    } catch (e) {
      cellError = { code: isCoreError(e) ? e.code : 'CELL_UNREACHABLE', message: errorMessage(e) };
    }
  }
  const decision = cell ? decideInstall({ mode: cell.mode.value, desktopVerified: report.verified, cellVerified: null }).decision : null;
  const changes = diff(receipt, report, cell?.mode ?? null, decision);
  const summary = changes.length === 0
    ? `Nothing changed: the image at ${receipt.digest ?? image} ${report.verified ? 'still verifies' : `still does not verify (${report.reason})`}${cell ? `, and ${cell.name} is still ${cell.mode.value}` : ''}.`
    : `${changes.length} change${changes.length === 1 ? '' : 's'} since the receipt: ${changes.map((c) => c.sentence).join(' ')}`;
  return {
    receiptId: receipt.id,
    at: (ports.now ?? (() => new Date()))().toISOString(),
    image,
    report,
    explanation: explainReport(report),
    cell,
    cellError,
    decision,
    changes,
    summary,
  };
}

function diff(r: Receipt, now: VerificationReport, mode: ResolvedMode | null, decision: Decision | null): RecheckChange[] {
  const out: RecheckChange[] = [];
  const was = r.verification;
  const add = (what: RecheckChange['what'], before: string, after: string, sentence: string) => {
    if (before !== after) out.push({ what, before, after, sentence });
  };
  const v = (b: boolean | undefined) => (b === undefined ? 'not checked' : b ? 'verified' : 'not verified');
  add('verified', v(was?.verified), v(now.verified), `The image is now ${v(now.verified)} (was ${v(was?.verified)}).`);
  add('reason', was?.reason ?? 'none', now.reason, `The reason is now ${now.reason} (was ${was?.reason ?? 'none'}).`);
  const signedBefore = list([...new Set((was?.signatures ?? []).filter((s) => !s.problem && s.keyFingerprint).map((s) => s.keyFingerprint!))]);
  const signedNow = list([...new Set(now.signatures.filter((s) => !s.problem && s.keyFingerprint).map((s) => s.keyFingerprint!))]);
  add('signed-by', signedBefore, signedNow, `Valid signatures are now by ${signedNow} (were by ${signedBefore}).`);
  const keysBefore = list((was?.trustedKeys ?? []).map((k) => k.fingerprint));
  const keysNow = list(now.trustedKeys.map((k) => k.fingerprint));
  add('trusted-keys', keysBefore, keysNow, `The trusted keys are now ${keysNow} (were ${keysBefore}).`);
  if (mode) {
    const before = r.mode ? `${r.mode.value} (${r.mode.source})` : 'unknown (cell unreachable)';
    add('mode', before, `${mode.value} (${mode.source})`, `The chosen cell's mode is ${mode.value} (${mode.source}); the receipt recorded ${before}.`);
  }
  if (decision) add('decision', r.decision ?? 'none', decision, `That cell would now decide ${decision} (the receipt says ${r.decision ?? 'none'}).`);
  return out;
}
