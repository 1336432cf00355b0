/**
 * Fleet plans and receipts with the catalogue's words (DESIGN 2.10, house style: plain words
 * first, the code after): made in main so the renderer shows sentences core wrote and never
 * words a code itself.
 */
import { explainMode, type Explanation } from '../../../core/catalogue/reason-catalogue';
import { explainFleetCode, explainPlanRow, fleetActionWords, fleetOutcomeWords, fleetRunSentence } from '../../../core/catalogue/fleet-catalogue';
import type { FleetPlan } from '../../../core/fleet/plan';
import type { FleetEvent, FleetReceipt } from '../../../core/fleet/run';
import type { FleetPlanView, FleetRunView, FleetWords } from '../../contract/channels/fleet';

function words(x: Explanation | null): FleetWords | null {
  return x && { code: x.code, title: x.title, sentence: x.sentence, next: x.next.admin };
}

export function planView(plan: FleetPlan): FleetPlanView {
  const mode = (c: FleetPlan['cells'][number]) => (c.mode ? explainMode(c.mode).title : c.reachable ? 'Unknown' : 'Not reached');
  return { plan, rows: Object.fromEntries(plan.cells.map((c) => [c.cell, { action: fleetActionWords(c.action), mode: mode(c), why: words(explainPlanRow(c, plan.service.name)) }])) };
}

/** A cell's outcome in words, and why it failed or was refused (from the error its turn recorded). */
export function outcomeWords(cell: string, outcome: FleetReceipt['cells'][number]['outcome'], error: { code: string; message: string } | null | undefined, service: string, inBatch = true) {
  return { outcome: fleetOutcomeWords(outcome, inBatch), why: error ? words(explainFleetCode(error.code, { cell, service, detail: error.message, atTurn: true })) : null };
}

export function runView(r: FleetReceipt): FleetRunView {
  return { receipt: r, ended: fleetRunSentence(r), cells: Object.fromEntries(r.cells.map((c) => [c.cell, outcomeWords(c.cell, c.outcome, c.error, r.service.name, c.batch !== null)])) };
}

/** The words a progress event carries: a cell's outcome as it ends. */
export function eventWords(e: FleetEvent, service: string) {
  return e.kind === 'cell-end' ? { words: outcomeWords(e.cell, e.outcome, e.error, service) } : {};
}
