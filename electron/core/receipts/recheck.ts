// Re-checking a receipt (issue 8, DESIGN 2.5): verify the same image digest again with TODAY's
// trust root and, only when the helpdesk person picked a cell profile of their own, read that
// cell's mode again — never the destination written in the receipt, which may come from
// someone else's machine. The same holds for the image: its registry is contacted only when it
// belongs to the person's own configured stores or they confirmed that very host; until then the
// image part says "not re-checked". A machine that lacks a key the receipt was judged under says
// it cannot judge rather than report a change. The result lists what changed since the receipt.
import { explainMode, explainReport, type Explanation } from '../catalogue/reason-catalogue';
import type { ResolvedMode } from '../cell/mode';
import { errorMessage, isCoreError, type ErrorInfo } from '../errors';
import { decideInstall } from '../install/decision';
import { parseImageReference, pinnedReference } from '../reference/image-reference';
import type { TrustRoot } from '../trust/trust-root';
import type { VerificationReport } from '../verification/types';
import type { Decision, Receipt } from './receipt';

interface RecheckPorts {
  /** Today's trust root: the keys the image would be judged under here. */
  trustRoot: { keys: readonly Pick<TrustRoot['keys'][number], 'fingerprint'>[] };
  /**
   * Whether the image's registry may be contacted: one of the person's own configured
   * stores/registries, or the host they confirmed for this re-check. Asked before any request.
   */
  registryAllowed(registry: string): boolean | Promise<boolean>;
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

/**
 * What became of the image part: `checked` (verified again), `not-checked` (its registry is not
 * one of the person's own and they have not confirmed it: nothing was contacted), or
 * `cannot-judge` (this machine lacks a key the receipt was judged under: nothing was contacted).
 */
export type RecheckImageState = 'checked' | 'not-checked' | 'cannot-judge';

export interface RecheckResult {
  receiptId: string;
  at: string;
  /** What was (or would be) verified: the receipt's repository at the receipt's digest. */
  image: string;
  imageState: RecheckImageState;
  /** The registry host the image part contacts, or would after confirmation; null for an unparsable reference. */
  registry: string | null;
  /** Fingerprints the receipt was judged under that this machine's trust root lacks. */
  missingKeys: string[];
  /** Present only when the image was checked. */
  report: VerificationReport | null;
  explanation: Explanation | null;
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

/**
 * The keys a receipt's verdict rests on: the keys of its valid signatures when it verified, else
 * every key it was judged under (any of them might verify a signature added since).
 */
function keysJudgedUnder(r: Receipt): string[] {
  const v = r.verification;
  if (!v) return [];
  const fps = v.verified ? v.signatures.filter((s) => !s.problem && s.keyFingerprint).map((s) => s.keyFingerprint!) : v.trustedKeys.map((k) => k.fingerprint);
  return [...new Set(fps)].sort();
}

export async function recheckReceipt(receipt: Receipt, ports: RecheckPorts): Promise<RecheckResult> {
  const image = recheckTarget(receipt);
  const parsed = parseImageReference(image);
  const registry = parsed.ok ? parsed.ref.registry : null;
  const have = new Set(ports.trustRoot.keys.map((k) => k.fingerprint));
  const missingKeys = keysJudgedUnder(receipt).filter((fp) => !have.has(fp));
  let imageState: RecheckImageState = 'cannot-judge';
  let report: VerificationReport | null = null;
  if (missingKeys.length === 0) {
    imageState = registry !== null && (await ports.registryAllowed(registry)) ? 'checked' : 'not-checked';
    if (imageState === 'checked') report = await ports.verify(image);
  }
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
  const decision = cell && report ? decideInstall({ mode: cell.mode.value, desktopVerified: report.verified, cellVerified: null }).decision : null;
  const changes = [...(report ? imageDiff(receipt, report) : []), ...cellDiff(receipt, cell?.mode ?? null, decision)];
  return {
    receiptId: receipt.id,
    at: (ports.now ?? (() => new Date()))().toISOString(),
    image,
    imageState,
    registry,
    missingKeys,
    report,
    explanation: report ? explainReport(report) : null,
    cell,
    cellError,
    decision,
    changes,
    summary: summaryOf({ receipt, image, registry, missingKeys, report, cellName: cell?.name ?? null, cellMode: cell?.mode.value ?? null, changes }),
  };
}

function summaryOf(s: { receipt: Receipt; image: string; registry: string | null; missingKeys: string[]; report: VerificationReport | null; cellName: string | null; cellMode: string | null; changes: RecheckChange[] }): string {
  const cellChanges = s.changes.length ? ` ${s.changes.map((c) => c.sentence).join(' ')}` : '';
  if (s.missingKeys.length) {
    const keys = s.missingKeys.join(', ');
    return `This machine cannot judge: it lacks key${s.missingKeys.length === 1 ? '' : 's'} ${keys}, which the receipt was judged under. Add ${s.missingKeys.length === 1 ? 'that key' : 'those keys'} to this machine's trusted keys to re-check the image.${cellChanges}`;
  }
  if (!s.report) {
    const where = s.registry ? `its registry ${s.registry} is not one of your configured stores' registries; confirm that host to check the image there` : 'its reference cannot be parsed';
    return `Image not re-checked: ${where}.${cellChanges}`;
  }
  if (s.changes.length === 0) {
    return `Nothing changed: the image at ${s.receipt.digest ?? s.image} ${s.report.verified ? 'still verifies' : `still does not verify (${s.report.reason})`}${s.cellName ? `, and ${s.cellName} is still ${s.cellMode}` : ''}.`;
  }
  return `${s.changes.length} change${s.changes.length === 1 ? '' : 's'} since the receipt: ${s.changes.map((c) => c.sentence).join(' ')}`;
}

const add = (out: RecheckChange[], what: RecheckChange['what'], before: string, after: string, sentence: string): void => {
  if (before !== after) out.push({ what, before, after, sentence });
};

function imageDiff(r: Receipt, now: VerificationReport): RecheckChange[] {
  const out: RecheckChange[] = [];
  const was = r.verification;
  const v = (b: boolean | undefined) => (b === undefined ? 'not checked' : b ? 'verified' : 'not verified');
  add(out, 'verified', v(was?.verified), v(now.verified), `The image is now ${v(now.verified)} (was ${v(was?.verified)}).`);
  add(out, 'reason', was?.reason ?? 'none', now.reason, `The reason is now ${now.reason} (was ${was?.reason ?? 'none'}).`);
  const signedBefore = list([...new Set((was?.signatures ?? []).filter((s) => !s.problem && s.keyFingerprint).map((s) => s.keyFingerprint!))]);
  const signedNow = list([...new Set(now.signatures.filter((s) => !s.problem && s.keyFingerprint).map((s) => s.keyFingerprint!))]);
  add(out, 'signed-by', signedBefore, signedNow, `Valid signatures are now by ${signedNow} (were by ${signedBefore}).`);
  const keysBefore = list((was?.trustedKeys ?? []).map((k) => k.fingerprint));
  const keysNow = list(now.trustedKeys.map((k) => k.fingerprint));
  add(out, 'trusted-keys', keysBefore, keysNow, `The trusted keys are now ${keysNow} (were ${keysBefore}).`);
  return out;
}

function cellDiff(r: Receipt, mode: ResolvedMode | null, decision: Decision | null): RecheckChange[] {
  const out: RecheckChange[] = [];
  if (mode) {
    const before = r.mode ? `${r.mode.value} (${r.mode.source})` : 'unknown (cell unreachable)';
    add(out, 'mode', before, `${mode.value} (${mode.source})`, `The chosen cell's mode is ${mode.value} (${mode.source}); the receipt recorded ${before}.`);
  }
  if (decision) add(out, 'decision', r.decision ?? 'none', decision, `That cell would now decide ${decision} (the receipt says ${r.decision ?? 'none'}).`);
  return out;
}
