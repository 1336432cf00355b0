import type { CellProfile } from '../cell/profiles';
import { CoreError } from '../errors';
import { applyPlan, failureFields, planInstall, type InstallPlan, type InstallProgress, type PlanProgress } from '../install/install-flow';
import { appendReceipt } from '../receipts/activity-log';
import { createReceipt, type Receipt, type ReceiptFields } from '../receipts/receipt';
import { blockedDetail, type FleetPlanCell, type FleetRequestBase } from './plan';

/**
 * One cell's turn in a fleet run (DESIGN 2.10): the cell is read and judged again, fresh, as a
 * single install would (its mode, its key, what it runs now), and is installed only when nothing
 * the admin reviewed in the plan has changed and the cell's decision still allows it. Every turn
 * ends in exactly one receipt, carrying `fleet: { runId, batch }`.
 */
export interface CellTurn {
  profile: CellProfile;
  row: FleetPlanCell;
  /** The digest the plan pinned: what every cell installs. */
  digest: string;
  fleet: { runId: string; batch: number };
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
}

/** What differs between the planned row and the cell now; empty when nothing the plan showed changed. */
export function changesSincePlan(row: FleetPlanCell, plan: InstallPlan): string[] {
  const out: string[] = [];
  const now = plan.status;
  if (row.mode?.value !== now.mode.value) out.push(`its mode was ${row.mode?.value ?? 'unknown'} when planned and is ${now.mode.value} now`);
  const key = now.cellKey?.fingerprint ?? null;
  if (row.cellKey !== key) out.push(`its key was ${row.cellKey ?? 'none'} when planned and is ${key ?? 'none'} now`);
  const installed = now.installed.find((s) => s.id === plan.base.service.id)?.digest ?? null;
  if ((row.current?.digest ?? null) !== installed) out.push(`it ran ${row.current?.digest ?? 'nothing'} when planned and runs ${installed ?? 'nothing'} now`);
  if (plan.base.digest && plan.decision !== row.decision) out.push(`its decision was ${row.decision ?? 'none'} when planned and is ${plan.decision} now`);
  return out;
}

async function record(activityLog: string, fields: ReceiptFields): Promise<Receipt> {
  const receipt = createReceipt(fields);
  await appendReceipt(activityLog, receipt);
  return receipt;
}

export async function runCellTurn(req: FleetRequestBase, t: CellTurn): Promise<Receipt> {
  const full = { ...req, profile: t.profile, signal: t.signal, onProgress: t.onProgress };
  const seen: PlanProgress = {};
  let plan: InstallPlan;
  try {
    plan = await planInstall(full, seen);
  } catch (e) {
    return record(req.activityLog, { ...failureFields(full, e, seen), fleet: t.fleet });
  }
  plan = { ...plan, base: { ...plan.base, fleet: t.fleet } };
  const changed = changesSincePlan(t.row, plan);
  if (changed.length) {
    const e = new CoreError('CELL_CHANGED', `${t.profile.name} changed since the plan was made (${changed.join('; ')}); it was not installed — plan again to review it`);
    return record(req.activityLog, { ...plan.base, outcome: 'rejected', error: { code: e.code, message: e.message } });
  }
  if (plan.decision === 'block') {
    return record(req.activityLog, { ...plan.base, outcome: 'rejected', error: { code: 'BLOCKED', message: `blocked by the cell's ${plan.status.mode.value} mode (${plan.report.reason}): ${blockedDetail(plan)}` } });
  }
  if (!plan.summary || !plan.pinned || plan.base.digest !== t.digest) {
    return record(req.activityLog, { ...plan.base, outcome: 'rejected', error: { code: 'CELL_CHANGED', message: `the image resolved to ${plan.base.digest ?? 'no digest'} at this cell's turn, not the planned ${t.digest}; the cell was not changed` } });
  }
  return applyPlan(full, plan);
}
