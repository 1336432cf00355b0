import type { CellProfile } from '../cell/profiles';
import { buildStatus, cellStateOf, type CellStatus } from '../cell/status';
import { parseStatusReport } from '../cell/status-script';
import { errorMessage } from '../errors';
import type { TrustRoot } from '../trust/trust-root';
import { splitScriptLine, type StepMarker } from './remote-scripts';

/**
 * DESIGN 2.2: a decision is never carried out under a mode or key the cell no longer has. The
 * apply and uninstall scripts compare, inside the cell lock, the fingerprint of the mode's and
 * key's bytes with the one the admin's pre-flight was built from; when it differs they print the
 * cell's records as they are now and stop (`@@PIC-FAIL lock CELL_CHANGED`). This module reads
 * that output and judges it: a real change of mode or key is refused (CELL_CHANGED); bytes that
 * changed without changing either (a reformatted config, the same key rewritten) let the caller
 * retry under the fingerprint the cell has now — still checked inside the lock.
 */

/** How many times an operation retries when only the bytes changed, not the mode or the key. */
export const SAME_MEANING_RETRIES = 2;

/** What the cell's script printed, split into lines a person may see, markers, and the CELL_CHANGED report. */
export interface ScriptOutputReader {
  /** Returns the line's text for a person (null when nothing is to be shown) and its marker. */
  read(line: string): { text: string | null; marker: StepMarker | null };
  /** The status block printed with CELL_CHANGED, once complete. */
  changedReport(): string | null;
}

export function scriptOutputReader(): ScriptOutputReader {
  let block: string[] | null = null;
  let report: string | null = null;
  return {
    read(line) {
      if (block) {
        block.push(line);
        if (line === '@@PIC-DONE') {
          report = `${block.join('\n')}\n`;
          block = null;
        }
        return { text: null, marker: null };
      }
      if (line.startsWith('@@PIC-STATUS ')) {
        block = [line];
        return { text: null, marker: null };
      }
      const split = splitScriptLine(line);
      return { text: split.text?.trim() ? split.text : null, marker: split.marker };
    },
    changedReport: () => report,
  };
}

export interface CellChangeJudgement {
  /** Neither the resolved mode nor the key changed: only the bytes did. */
  same: boolean;
  /** The fingerprint the cell has now (for a retry). */
  cellState: string | null;
  /** For a person: what changed, and that nothing on the cell was touched. */
  message: string;
}

const keyText = (s: Pick<CellStatus, 'cellKey' | 'cellKeyProblem'>) => (s.cellKey ? `key ${s.cellKey.fingerprint}` : `no usable key (${s.cellKeyProblem ?? 'none'})`);
// The detail only where it says something the source does not (why the mode failed closed).
const modeText = (m: CellStatus['mode']) => `${m.value} (${m.source}${m.source === 'fail-closed' ? `: ${m.detail}` : ''})`;

/** Compares what the cell has now (the report printed inside the lock) with what the admin confirmed. */
export function judgeCellChange(profile: CellProfile, confirmed: Pick<CellStatus, 'mode' | 'cellKey' | 'cellKeyProblem'>, report: string | null, trustRoot: TrustRoot, what: string): CellChangeJudgement {
  const untouched = `nothing on the cell was touched. Run the ${what} again to review it under what the cell has now`;
  let now: CellStatus;
  let cellState: string | null;
  try {
    const records = parseStatusReport(report ?? '');
    now = buildStatus(profile, records, trustRoot);
    cellState = cellStateOf(records);
  } catch (e) {
    return { same: false, cellState: null, message: `the cell's mode or key changed after the pre-flight was confirmed (what it has now could not be read: ${errorMessage(e)}); ${untouched}` };
  }
  const changes: string[] = [];
  const m0 = confirmed.mode;
  const m1 = now.mode;
  if (m0.value !== m1.value || m0.source !== m1.source || m0.detail !== m1.detail) changes.push(`its mode is now ${modeText(m1)}, it was ${modeText(m0)}`);
  if ((confirmed.cellKey?.fingerprint ?? null) !== (now.cellKey?.fingerprint ?? null)) changes.push(`it now has ${keyText(now)}, it had ${keyText(confirmed)}`);
  if (changes.length === 0) return { same: true, cellState, message: '' };
  return { same: false, cellState, message: `the cell changed after the pre-flight was confirmed: ${changes.join('; ')}; ${untouched}` };
}
