import { randomUUID } from 'node:crypto';
import type { CellProfile } from '../cell/profiles';
import { CoreError, errorMessage, isCoreError } from '../errors';
import { planInstall, type InstallPlan, type InstallRequest, type PlanProgress } from '../install/install-flow';
import type { Decision, ReceiptListing, ReceiptMode } from '../receipts/receipt';
import { receiptListing } from '../signed-store/listing-gate';
import { Semaphore } from '../registry/semaphore';
import type { ServiceManifest } from '../store/manifest-schema';
import { reviewUpgrade, type ReceiptReview } from '../updates/upgrade-gate';

/**
 * The fleet plan (DESIGN 2.10): the pre-flight of every selected cell in one document, read with
 * at most `concurrency` cells at once over the cells' shared ssh connections. Planning changes
 * nothing on any cell. Each cell is judged under its own mode and key, exactly as a single
 * install's pre-flight judges it (planInstall), and a cell that cannot be read is `blocked`
 * without holding the others: it fails within its own ssh timeouts.
 */
export const FLEET_PLAN_KIND = 'pic-store-fleet-plan';
export const DEFAULT_PLAN_CONCURRENCY = 10;

export type FleetAction = 'install' | 'upgrade' | 'skip' | 'blocked';

export interface FleetPlanCell {
  cell: string;
  reachable: boolean;
  mode: ReceiptMode | null;
  current: { version: string | null; digest: string | null } | null;
  action: FleetAction;
  /** A reason code: why blocked or skipped, or why an allowed install is not verified (warn/off). Null when verified. */
  reason: string | null;
  /** An upgrade's review (DESIGN 2.9): what changes from the installed version, per cell; null for a fresh install or a cell not read. */
  review: ReceiptReview | null;
  /** Additions for re-checking at the cell's turn and for people: */
  decision: Decision | null;
  cellKey: string | null;
  detail: string;
}

export interface FleetPlan {
  kind: typeof FLEET_PLAN_KIND;
  version: 1;
  id: string;
  at: string;
  service: { id: string; name: string; version: string };
  image: string;
  digest: string | null;
  cells: FleetPlanCell[];
  /** What apply installs: the listing as planned, and the store it came from. */
  manifest: ServiceManifest;
  store: { name: string; url: string } | null;
  /** The store listing's state when planned (DESIGN 2.7), as a receipt records it; null for a manifest file. */
  listing: ReceiptListing | null;
}

/** Everything a single install needs, minus the cell: shared by every cell of the plan. */
export type FleetRequestBase = Omit<InstallRequest, 'profile' | 'onProgress'>;

export interface FleetPlanRequest extends FleetRequestBase {
  cells: readonly CellProfile[];
  concurrency?: number;
  onCell?: (row: FleetPlanCell) => void;
}

/** Whether an error means the cell was never read (so `reachable: false`). */
export function isUnreachable(e: unknown, seen: PlanProgress): boolean {
  return !seen.status && (!isCoreError(e) || /^(CELL_|HOST_KEY_|AUTH_|KEY_NEEDS|SSH_|CONNECTION_)/.test(e.code));
}

/** Why a cell's mode blocks the image, from the evidence (the failing check), not the code: the row carries the code apart. */
export function blockedDetail(plan: Pick<InstallPlan, 'report'>): string {
  if (plan.report.verified) return "the cell's own cosign check rejected the image";
  return plan.report.checks.find((c) => c.status === 'fail')?.detail ?? 'the image did not verify';
}

/** What the row builder needs of the request: the listing (for the review's diff) and whether a signed store vouched for it. */
export type RowContext = Pick<FleetRequestBase, 'manifest' | 'listingSigned'>;

/**
 * One cell's row from its install plan (or from why there is none). An upgrade carries its review
 * (DESIGN 2.10 + 2.9) built exactly as a single upgrade's pre-flight builds it, so the table shows,
 * per cell, what the new version adds or changes against what THAT cell runs. Reviewing the plan
 * is the consent to added and changed ports, volumes and environment (as confirming the app's
 * pre-flight is); a changed signer is not: a fleet has no per-cell fingerprint confirmation, so
 * such a cell is blocked with SIGNER_CHANGED and is upgraded on its own, where the key is confirmed.
 */
export function rowOf(profile: CellProfile, plan: InstallPlan | null, seen: PlanProgress, error: unknown, ctx?: RowContext): FleetPlanCell {
  const status = plan?.status ?? seen.status ?? null;
  const installed = status?.installed.find((s) => s.id === plan?.base.service.id) ?? null;
  const gate = plan && ctx && plan.action === 'upgrade' ? reviewUpgrade({ ...plan, manifest: ctx.manifest, digest: plan.base.digest, listingSigned: !!ctx.listingSigned }) : null;
  const base = {
    cell: profile.name,
    reachable: !!status,
    mode: status?.mode ?? null,
    current: installed ? { version: installed.version, digest: installed.digest } : null,
    review: gate?.review ?? null,
    decision: plan?.decision ?? null,
    cellKey: status?.cellKey?.fingerprint ?? null,
  };
  if (!plan) {
    // The ssh code itself (CELL_UNREACHABLE, CELL_TIMEOUT, HOST_KEY_UNKNOWN — an imported host whose key is not confirmed yet…).
    const code = isCoreError(error) ? error.code : 'INTERNAL';
    return { ...base, reachable: !isUnreachable(error, seen), action: 'blocked', reason: code, detail: errorMessage(error) };
  }
  if (plan.decision === 'block') {
    const reason = plan.report.verified ? 'CELL_COSIGN_REJECTED' : plan.report.reason;
    return { ...base, action: 'blocked', reason, detail: blockedDetail(plan) };
  }
  if (!plan.summary || !plan.base.digest) return { ...base, action: 'blocked', reason: 'DIGEST_UNRESOLVED', detail: 'the image has no digest that could be checked' };
  if (!plan.status.runtime) return { ...base, action: 'blocked', reason: 'RUNTIME_MISSING', detail: 'the cell has neither docker compose nor docker-compose' };
  if (installed?.digest === plan.base.digest) return { ...base, action: 'skip', reason: 'ALREADY_CURRENT', detail: `${installed.version ?? '?'} (${plan.base.digest}) is already installed` };
  if (gate?.refusal?.code === 'SIGNER_CHANGED') return { ...base, action: 'blocked', reason: 'SIGNER_CHANGED', detail: `${gate.refusal.message}; upgrade this cell on its own, where the new key is confirmed` };
  const verified = plan.summary.verdict.verified;
  return { ...base, action: plan.action, reason: verified ? null : plan.report.reason, detail: plan.summary.verdict.why };
}

/** Plans one cell; never throws (a failure is the row's reason). */
export async function planCell(req: FleetRequestBase, profile: CellProfile): Promise<{ row: FleetPlanCell; plan: InstallPlan | null }> {
  const seen: PlanProgress = {};
  try {
    const plan = await planInstall({ ...req, profile }, seen);
    return { row: rowOf(profile, plan, seen, null, req), plan };
  } catch (e) {
    return { row: rowOf(profile, null, seen, e, req), plan: null };
  }
}

export async function buildFleetPlan(req: FleetPlanRequest): Promise<FleetPlan> {
  if (req.cells.length === 0) throw new CoreError('INVALID_SELECTION', 'the plan has no cells');
  const gate = new Semaphore(Math.max(1, req.concurrency ?? DEFAULT_PLAN_CONCURRENCY));
  const results = await Promise.all(
    req.cells.map((profile) =>
      gate.run(async () => {
        const r = req.signal?.aborted ? { row: rowOf(profile, null, {}, new CoreError('CANCELLED', 'planning was cancelled')), plan: null } : await planCell(req, profile);
        req.onCell?.(r.row);
        return r;
      }),
    ),
  );
  // One digest for the whole plan: the one the cells' checks resolved. A cell that saw another
  // (the tag moved while planning) is blocked rather than planned against a different image.
  const digests = results.map((r) => r.plan?.base.digest).filter((d): d is string => !!d);
  const digest = digests[0] ?? null;
  const cells = results.map(({ row, plan }) =>
    plan?.base.digest && plan.base.digest !== digest && (row.action === 'install' || row.action === 'upgrade')
      ? { ...row, action: 'blocked' as const, reason: 'DIGEST_MISMATCH', detail: `this cell resolved ${plan.base.digest}, the plan ${digest}: the image moved while planning; plan again` }
      : row,
  );
  const m = req.manifest;
  return { kind: FLEET_PLAN_KIND, version: 1, id: randomUUID(), at: new Date().toISOString(), service: { id: m.id, name: m.name, version: m.version }, image: m.image, digest, cells, manifest: m, store: req.store, listing: receiptListing(req.listing) };
}
