// The decision table (DESIGN 2.2), in one place. "Verified" for an install means the desktop's
// fresh check under the CELL's key passed and, when cosign is on the cell, the cell-side check
// passed too: in enforce both must pass. Anything else is "not verified", whatever the reason.
import type { Decision, ModeValue } from '../receipts/receipt';

interface DecisionInput {
  mode: ModeValue;
  /** The desktop's verdict under the cell's own key. */
  desktopVerified: boolean;
  /** The cell-side `cosign verify`: null when cosign is not on the cell. */
  cellVerified: boolean | null;
}

interface DecisionResult {
  decision: Decision;
  verified: boolean;
  /** One sentence for people: why this decision. */
  why: string;
}

export function decideInstall(i: DecisionInput): DecisionResult {
  const verified = i.desktopVerified && i.cellVerified !== false;
  const disagree = i.cellVerified !== null && i.cellVerified !== i.desktopVerified;
  const what = !i.desktopVerified
    ? 'the image does not verify under the cell\'s key'
    : i.cellVerified === false
      ? 'the cell\'s own cosign check rejected the image'
      : i.cellVerified === true
        ? 'the image verifies under the cell\'s key, and the cell\'s own cosign agrees'
        : 'the image verifies under the cell\'s key';
  const note = disagree ? ' (the app and the cell-side cosign disagree)' : '';
  if (verified) return { decision: 'allow', verified, why: `${what}${note}` };
  switch (i.mode) {
    case 'enforce':
      return { decision: 'block', verified, why: `blocked: ${what}${note}, and the cell's mode is enforce` };
    case 'warn':
      return { decision: 'warn', verified, why: `allowed with a warning: ${what}${note}, and the cell's mode is warn` };
    case 'off':
      return { decision: 'allow', verified, why: `allowed: ${what}${note}, but verification is off on this cell (noted)` };
  }
}
