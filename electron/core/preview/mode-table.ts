// What a cell would do with this image in each mode (issue 8), so a developer knows before
// publishing. Decided by the same decision table installs use (DESIGN 2.2), with the cell key
// assumed to be the app's trust root (the store's publish key).
import { explainReport } from '../catalogue/reason-catalogue';
import { decideInstall } from '../install/decision';
import type { Decision, ModeValue } from '../receipts/receipt';
import type { VerificationReport } from '../verification/types';

export interface ModeRow {
  mode: ModeValue;
  decision: Decision;
  /** "blocked because …", "installs with a warning: …", "installs". */
  sentence: string;
}

const MODE_ORDER: readonly ModeValue[] = ['enforce', 'warn', 'off'];

/**
 * Reasons no mode can install: without a valid reference pinned by a digest there is nothing to
 * pin the install to (the install flow ends DIGEST_UNRESOLVED in warn and off too), and an
 * invalid listing is never installed. Issue 17 item 5: never "installs" for these.
 */
const NEVER_INSTALLS: ReadonlySet<VerificationReport['reason']> = new Set(['REFERENCE_INVALID', 'DIGEST_MISSING', 'MANIFEST_INVALID']);

/** The catalogue's sentence continuing a clause: "blocked because the store listing …", not "… because The store listing". */
function continuing(sentence: string): string {
  return /^[A-Z][a-z]/.test(sentence) ? `${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence;
}

export function modeTable(report: VerificationReport): ModeRow[] {
  const why = continuing(explainReport(report).sentence);
  if (NEVER_INSTALLS.has(report.reason) || !report.digest) {
    // The reason is said once, on the first row; the others say only that it holds for them too.
    return MODE_ORDER.map((mode, i) => ({ mode, decision: 'block', sentence: i === 0 ? `cannot be installed in any mode: ${why}` : 'cannot be installed in any mode, for the same reason' }));
  }
  return MODE_ORDER.map((mode) => {
    const d = decideInstall({ mode, desktopVerified: report.verified, cellVerified: null });
    const sentence = d.decision === 'block'
      ? `blocked because ${why}`
      : d.decision === 'warn'
        ? `installs with a warning: ${why}`
        : report.verified
          ? 'installs (verified)'
          : `installs; verification is off, so this is only noted: ${why}`;
    return { mode, decision: d.decision, sentence };
  });
}
