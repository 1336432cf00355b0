import { explainFleetCode, explainPlanRow, fleetActionWords, fleetOutcomeWords, fleetRunSentence } from '../catalogue/fleet-catalogue';
import { terminalSafe } from '../terminal-text';
import { formatReview } from '../updates/review';
import type { FleetPlan } from './plan';
import type { FleetEvent, FleetReceipt } from './run';

/**
 * Fleet plans, progress and receipts as terminal text (the CLI): one line per cell, every value
 * that came from a cell or a store escaped, so no cell can forge a line of the table. Reasons are
 * the fleet catalogue's words (as the app shows them), the code after them for searching.
 */
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function formatFleetPlan(plan: FleetPlan): string {
  const L = [`Fleet plan ${plan.id}: ${plan.service.id} ${JSON.stringify(plan.service.version)} (${plan.digest ?? 'no digest'})`];
  const w = Math.min(32, Math.max(4, ...plan.cells.map((c) => c.cell.length)));
  L.push(`  ${pad('cell', w)}  ${pad('mode', 8)}  ${pad('current', 16)}  ${pad('action', 15)}  why`);
  for (const c of plan.cells) {
    const current = c.current ? `${c.current.version ?? '?'}` : '-';
    const why = explainPlanRow(c, plan.service.name);
    L.push(`  ${pad(c.cell, w)}  ${pad(c.mode?.value ?? (c.reachable ? '?' : 'unreach.'), 8)}  ${pad(current, 16)}  ${pad(fleetActionWords(c.action), 15)}  ${why ? `${why.sentence} (${why.code})` : 'verified'}`);
    if (c.review) L.push(...formatReview(c.review).map((l) => `  ${l}`));
  }
  const n = (a: string) => plan.cells.filter((c) => c.action === a).length;
  L.push(`  ${n('install')} to install, ${n('upgrade')} to upgrade, ${n('skip')} already current, ${n('blocked')} blocked`);
  return `${L.map(terminalSafe).join('\n')}\n`;
}

export function formatFleetEvent(e: FleetEvent, service: string): string | null {
  switch (e.kind) {
    case 'batch-start':
      return terminalSafe(`batch ${e.batch}: ${e.cells.join(', ')}`);
    case 'cell-end': {
      const why = e.error ? explainFleetCode(e.error.code, { cell: e.cell, service, detail: e.error.message, atTurn: true }) : null;
      return terminalSafe(`  ${e.cell}: ${fleetOutcomeWords(e.outcome)}${why ? ` — ${why.sentence} (${why.code})` : ''}`);
    }
    case 'batch-end':
      return `batch ${e.batch}: ${e.failed} of ${e.size} failed${e.stops ? ' — the run stops here' : ''}`;
    default:
      return null;
  }
}

export function formatFleetReceipt(r: FleetReceipt, path: string): string {
  const L = [`Fleet run ${r.id} (plan ${r.planId}): ${fleetRunSentence(r)}`];
  for (const c of r.cells) L.push(`  ${c.cell}: ${fleetOutcomeWords(c.outcome, c.batch !== null)}${c.batch ? ` (batch ${c.batch})` : ''}${c.receiptId ? ` receipt ${c.receiptId}` : ''}`);
  L.push(`  fleet receipt: ${path}`);
  return `${L.map(terminalSafe).join('\n')}\n`;
}
