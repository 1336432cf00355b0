import { REASON_CODES, type ReasonCode } from '../verification/types';
import { explainUpdateCode, isUpdateCode } from './update-catalogue';
import { explainRefusal, reasonTitle, type Explanation, type Role } from './reason-catalogue';
import type { FleetAction, FleetPlanCell } from '../fleet/plan';
import type { FleetCellOutcome, FleetReceipt } from '../fleet/run';

/**
 * The catalogue's words for fleets (DESIGN 2.10): why a cell of a plan is skipped or blocked, why
 * a cell's turn failed, and why a run stopped — one sentence and a next step per role, filled
 * from the cell's own detail. Codes that other catalogues already explain (a refusal, an update's
 * review, a verification verdict) are answered from there, so a fleet never words them twice.
 * The app shows these words first and the code after, for searching and tickets.
 */
export interface FleetEvidence {
  cell: string;
  service: string;
  /** Core's message for this cell (what the cell said, which digest, which key). */
  detail: string;
  /** Said of a cell's turn in a run (true) or of its row in a plan (absent): the same code means different things. */
  atTurn?: boolean;
}

type Entry = { title: string; sentence: (e: FleetEvidence) => string; next: Record<Role, (e: FleetEvidence) => string> };

/** The detail's first line (a failed step's output follows in the receipt), without its closing stop or colon. */
const d = (e: FleetEvidence) => (e.detail.split('\n')[0] ?? '').trim().replace(/[.:]$/, '');
const nothingChanged = 'Nothing was changed on the cell.';

const FLEET_ENTRIES = {
  ALREADY_CURRENT: {
    title: 'Already up to date',
    sentence: (e) => `${e.cell} already runs exactly this image of ${e.service} (${d(e)}), so the plan leaves it alone.`,
    next: { admin: () => 'Nothing to do for this cell.', developer: () => 'Nothing to do.', helpdesk: () => 'The cell was skipped on purpose: it already runs the planned image.' },
  },
  CELL_UNREACHABLE: {
    title: 'Cell not reachable',
    sentence: (e) =>
      e.atTurn
        ? `${e.cell} could not be reached at its turn, so it counts as failed and nothing was installed on it (${d(e)}).`
        : `${e.cell} could not be reached, so it was not planned and takes no part in the run (${d(e)}).`,
    next: {
      admin: (e) => `Check that ${e.cell} is on and its ssh port answers (Cells → Test connection); then plan again.`,
      developer: () => 'Nothing for the service developer: the cell was not reached.',
      helpdesk: () => `${nothingChanged} A network or power problem on that cell, not a fault of the service.`,
    },
  },
  CELL_TIMEOUT: {
    title: 'Cell did not answer in time',
    sentence: (e) =>
      e.atTurn
        ? `${e.cell} did not answer within its own time limit, so it counts as failed without holding up the other cells (${d(e)}).`
        : `${e.cell} did not answer within its own time limit while the plan was made, so it was not planned and takes no part in the run (${d(e)}).`,
    next: {
      admin: (e) => `Look at ${e.cell}: it may be frozen or overloaded. Once it answers (Cells → Test connection), retry the failed cells.`,
      developer: () => 'Nothing for the service developer: the cell did not answer.',
      helpdesk: () => 'The cell stopped answering; the other cells went on. Ask the admin to check it before a retry.',
    },
  },
  CONNECTION_LOST: {
    title: 'Connection lost',
    sentence: (e) => `The connection to ${e.cell} broke off (${d(e)}); the cell counts as failed.`,
    next: { admin: () => 'Check the cell and the network, then retry the failed cells.', developer: () => 'Nothing for the service developer.', helpdesk: () => 'A network break; the receipt says how far the install got.' },
  },
  SSH_FAILED: {
    title: 'Connection failed',
    sentence: (e) => `ssh to ${e.cell} failed (${d(e)}).`,
    next: { admin: (e) => `Open ${e.cell} in Cells and test its connection; fix what it reports, then plan again.`, developer: () => 'Nothing for the service developer.', helpdesk: () => 'The connection itself failed; nothing was installed.' },
  },
  AUTH_FAILED: {
    title: 'Login refused',
    sentence: (e) => `${e.cell} refused the login (${d(e)}).`,
    next: { admin: (e) => `Check the user and key in ${e.cell}'s profile and that the key is in the cell's authorized_keys; then plan again.`, developer: () => 'Nothing for the service developer.', helpdesk: () => 'A login problem on this cell only; nothing was installed.' },
  },
  HOST_KEY_UNKNOWN: {
    title: 'Host key not confirmed yet',
    sentence: (e) => `${e.cell}'s host key has not been confirmed yet (an imported cell is confirmed before its first use), so nothing was sent to it.`,
    next: {
      admin: (e) => `Open Cells, test ${e.cell}'s connection and confirm its host key fingerprint after checking it; then plan again.`,
      developer: () => 'Nothing for the service developer.',
      helpdesk: () => 'The app never talks to a cell whose host key nobody confirmed; this is expected for newly imported cells.',
    },
  },
  HOST_KEY_CHANGED: {
    title: 'Host key changed',
    sentence: (e) => `${e.cell} presented a different host key than the one recorded: someone could be intercepting the connection, or the cell was reinstalled. Nothing was sent.`,
    next: { admin: (e) => `Check ${e.cell}'s new key with its owner before anything else; see Cells for the steps.`, developer: () => 'Nothing for the service developer.', helpdesk: () => 'Treat as a possible interception until the admin checked the new key.' },
  },
  CELL_COSIGN_REJECTED: {
    title: "The cell's own check refused the image",
    sentence: (e) => `${e.cell} checked the image with its own cosign and refused it, so its mode blocks the install (${d(e)}).`,
    next: { admin: (e) => `Run a single install of ${e.service} on ${e.cell} to see both verdicts side by side in its pre-flight.`, developer: () => 'Make sure the image is signed in a format the cell\'s cosign version reads.', helpdesk: () => `${nothingChanged} The receipt of a single install shows why the two checks disagree.` },
  },
  RUNTIME_MISSING: {
    title: 'No container runtime',
    sentence: (e) => `${e.cell} has neither docker compose nor docker-compose, so nothing can be installed on it.`,
    next: { admin: (e) => `Install docker compose on ${e.cell}, then plan again.`, developer: () => 'Nothing for the service developer.', helpdesk: () => 'The cell lacks its container runtime; nothing was installed.' },
  },
  DIGEST_UNRESOLVED: {
    title: 'No digest to pin',
    sentence: (e) => `The image of ${e.service} had no digest that could be checked for ${e.cell}, so there is nothing safe to install.`,
    next: { admin: () => 'Check that the registry answers, then plan again.', developer: () => 'List the image by digest (registry/repository@sha256:…).', helpdesk: () => `${nothingChanged}` },
  },
  DIGEST_MISMATCH: {
    title: 'The image moved while planning',
    sentence: (e) => `${e.cell} saw a different image than the other cells: the tag moved while the plan was made (${d(e)}).`,
    next: { admin: () => 'Plan again so every cell is judged against the same image.', developer: () => 'Publish by digest and do not move tags under a running rollout.', helpdesk: () => `${nothingChanged} The plan keeps one image for every cell.` },
  },
  BLOCKED: {
    title: "Blocked by the cell's mode",
    sentence: (e) => `At its turn, ${e.cell}'s mode no longer allows this image (${d(e)}).`,
    next: { admin: (e) => `See why in ${e.cell}'s receipt (Activity); plan again once the cell's mode or key is as intended.`, developer: () => 'Make sure the image is signed by the key the cells trust.', helpdesk: () => `${nothingChanged} The cell's own mode decided, as it should.` },
  },
  CANCELLED: {
    title: 'Cancelled',
    sentence: (e) => `The work on ${e.cell} was cancelled before it finished (${d(e)}).`,
    next: { admin: () => 'Plan or retry again when ready.', developer: () => 'Nothing to do.', helpdesk: () => 'Someone cancelled; the receipt says how far it got.' },
  },
  INSTALL_FAILED: {
    title: 'Install failed',
    sentence: (e) => `The install on ${e.cell} failed (${d(e)}).`,
    next: { admin: (e) => `Open ${e.cell}'s receipt in Activity for the full output; fix the cell and retry the failed cells.`, developer: () => 'If the container fails to start, check the image on a test cell.', helpdesk: () => 'The receipt of the cell holds the output of the failed step.' },
  },
} satisfies Record<string, Entry>;

export type FleetCode = keyof typeof FLEET_ENTRIES;
export const FLEET_CATALOGUE_CODES = Object.keys(FLEET_ENTRIES) as FleetCode[];

function fill(code: string, entry: Entry, e: FleetEvidence): Explanation {
  return { code, title: entry.title, sentence: entry.sentence(e), next: { admin: entry.next.admin(e), developer: entry.next.developer(e), helpdesk: entry.next.helpdesk(e) } };
}

/**
 * Plain words for any code a fleet plan row or a cell's turn carries: the fleet entries, then the
 * refusal and update catalogues, then verification verdicts (an unverified image a warn or off
 * cell allows when `allowed`, else the block it caused); a code no catalogue knows falls back to "did not work" with core's message.
 */
export function explainFleetCode(code: string, e: FleetEvidence, allowed = false): Explanation {
  if (Object.hasOwn(FLEET_ENTRIES, code)) return fill(code, FLEET_ENTRIES[code as FleetCode], e);
  const refusal = explainRefusal(code, e.detail);
  if (refusal) return refusal;
  if (isUpdateCode(code)) return explainUpdateCode(code, { service: e.service, detail: e.detail });
  if ((REASON_CODES as readonly string[]).includes(code)) {
    const title = reasonTitle(code as ReasonCode);
    if (allowed) {
      return fill(code, { title, sentence: (x) => `${title}: ${d(x)}; ${x.cell}'s mode allows the install anyway.`, next: { admin: () => 'If this cell should only run verified images, set it to enforce before applying; the receipt will say the image was not verified.', developer: () => 'Sign the image with the store key so enforcing cells accept it.', helpdesk: () => "Allowed by the cell's mode, not verified; recorded as such." } }, e);
    }
    return fill(code, { title: `Blocked: ${title.toLowerCase()}`, sentence: (x) => `${x.cell} enforces verification and the image does not verify under its key, so it will not be installed there: ${d(x)}.`, next: { admin: (x) => `Check the key ${x.cell} trusts (config/cosign/cosign.pub) against the store's key; a single install on ${x.cell} shows the full verdict.`, developer: () => 'Sign the image with the key the cells trust.', helpdesk: () => `${nothingChanged} The cell's own mode refused an image it cannot verify, as it should.` } }, e);
  }
  return fill(code, FLEET_ENTRIES.INSTALL_FAILED, e);
}

const ACTION_WORDS: Record<FleetAction, string> = { install: 'Install', upgrade: 'Upgrade', skip: 'Leave as it is', blocked: 'Blocked' };
const OUTCOME_WORDS: Record<FleetCellOutcome, string> = { installed: 'Installed', upgraded: 'Upgraded', failed: 'Failed', rejected: 'Refused at its turn', 'not-tried': 'Not tried', skipped: 'Not part of the run' };

export function fleetActionWords(a: FleetAction): string {
  return ACTION_WORDS[a];
}

/** A cell's outcome in words; `inBatch` false for a cell a retry left out (not-tried without a batch). */
export function fleetOutcomeWords(o: FleetCellOutcome, inBatch = true): string {
  return o === 'not-tried' && !inBatch ? 'Not part of this retry' : OUTCOME_WORDS[o];
}

/** Words for a plan row: why it is blocked or skipped, or why an allowed install is not verified; null for a verified install or upgrade. */
export function explainPlanRow(row: FleetPlanCell, service: string): Explanation | null {
  return row.reason ? explainFleetCode(row.reason, { cell: row.cell, service, detail: row.detail }, row.action === 'install' || row.action === 'upgrade') : null;
}

/** How a run ended, in one sentence: completed, or where and why it stopped. */
export function fleetRunSentence(r: Pick<FleetReceipt, 'stoppedAfterBatch' | 'stopReason' | 'batches' | 'settings'>): string {
  const n = r.batches.length;
  if (r.stoppedAfterBatch === null) return `Completed: every batch had its turn (${n} batch${n === 1 ? '' : 'es'}).`;
  const at = `after batch ${r.stoppedAfterBatch} of ${n}`;
  switch (r.stopReason) {
    case 'threshold':
      return `Stopped ${at}: more than ${r.settings.maxFailPercent}% of that batch failed, the failure limit set for this run; later cells were not touched.`;
    case 'all-failed':
      // Only a first batch of one cell is a canary.
      return `Stopped ${at}: every cell of that batch failed${r.stoppedAfterBatch === 1 && r.batches[0]?.length === 1 ? ' (the canary)' : ''}, so no later cell was touched.`;
    case 'stopped':
      return `Stopped ${at}, as asked: the running batch finished and no further batch started. Retry to carry on with the cells not tried.`;
    case 'cancelled':
      return `Cancelled ${at}: cells that had not started were not tried.`;
    default:
      return `Stopped ${at}.`;
  }
}
