import { terminalSafe } from '../terminal-text';
import { formatReview } from '../updates/review';
import type { FleetPlan } from './plan';
import type { FleetEvent, FleetReceipt } from './run';

/**
 * Fleet plans, progress and receipts as terminal text (the CLI): one line per cell, every value
 * that came from a cell or a store escaped, so no cell can forge a line of the table.
 */
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function formatFleetPlan(plan: FleetPlan): string {
  const L = [`Fleet plan ${plan.id}: ${plan.service.id} ${JSON.stringify(plan.service.version)} (${plan.digest ?? 'no digest'})`];
  const w = Math.min(32, Math.max(4, ...plan.cells.map((c) => c.cell.length)));
  L.push(`  ${pad('cell', w)}  ${pad('mode', 8)}  ${pad('current', 16)}  ${pad('action', 8)}  reason`);
  for (const c of plan.cells) {
    const current = c.current ? `${c.current.version ?? '?'}` : '-';
    L.push(`  ${pad(c.cell, w)}  ${pad(c.mode?.value ?? (c.reachable ? '?' : 'unreach.'), 8)}  ${pad(current, 16)}  ${pad(c.action, 8)}  ${c.reason ?? 'verified'}${c.action === 'blocked' || c.reason ? ` — ${c.detail}` : ''}`);
    if (c.review) L.push(...formatReview(c.review).map((l) => `  ${l}`));
  }
  const n = (a: string) => plan.cells.filter((c) => c.action === a).length;
  L.push(`  ${n('install')} to install, ${n('upgrade')} to upgrade, ${n('skip')} already current, ${n('blocked')} blocked`);
  return `${L.map(terminalSafe).join('\n')}\n`;
}

export function formatFleetEvent(e: FleetEvent): string | null {
  switch (e.kind) {
    case 'batch-start':
      return terminalSafe(`batch ${e.batch}: ${e.cells.join(', ')}`);
    case 'cell-end':
      return terminalSafe(`  ${e.cell}: ${e.outcome}${e.error ? ` (${e.error.code}: ${e.error.message.split('\n')[0]})` : ''}`);
    case 'batch-end':
      return `batch ${e.batch}: ${e.failed} of ${e.size} failed${e.stops ? ' — the run stops here' : ''}`;
    default:
      return null;
  }
}

export function formatFleetReceipt(r: FleetReceipt, path: string): string {
  const L = [`Fleet run ${r.id} (plan ${r.planId}): ${r.stoppedAfterBatch === null ? 'completed' : `stopped after batch ${r.stoppedAfterBatch} (${r.stopReason})`}`];
  for (const c of r.cells) L.push(`  ${c.cell}: ${c.outcome}${c.batch ? ` (batch ${c.batch})` : ''}${c.receiptId ? ` receipt ${c.receiptId}` : ''}`);
  L.push(`  fleet receipt: ${path}`);
  return `${L.map(terminalSafe).join('\n')}\n`;
}
