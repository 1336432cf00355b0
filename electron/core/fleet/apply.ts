import { listCellProfiles } from '../cell/profiles';
import { closeCellConnection } from '../cell/ssh';
import { CoreError } from '../errors';
import type { InstallProgress } from '../install/install-flow';
import { pinnedImage } from '../install/compose-file';
import { runCellTurn } from './cell-turn';
import { saveFleetReceipt } from './fleet-files';
import type { FleetPlan, FleetRequestBase } from './plan';
import { participants, runFleet, type FleetReceipt, type FleetRunOptions } from './run';

/**
 * Carries a fleet plan out (DESIGN 2.10): the batch engine over real cell turns. Each cell is
 * found by its profile name in cells.json at apply time (its destination, port, key and root as
 * they are now) and installs the listing pinned to the digest the plan resolved, so a tag that
 * moves after planning cannot slip another image in. The fleet receipt goes to fleet/<runId>.json.
 */
export interface FleetApplyRequest extends Omit<FleetRequestBase, 'manifest' | 'store'> {
  dataDir: string;
  plan: FleetPlan;
  options?: FleetRunOptions;
  onCellProgress?: (cell: string, p: InstallProgress) => void;
}

export async function applyFleetPlan(req: FleetApplyRequest): Promise<{ receipt: FleetReceipt; path: string }> {
  const { plan } = req;
  const profiles = await listCellProfiles(req.dataDir);
  const wanted = participants(plan, req.options?.only);
  const missing = wanted.filter((c) => !profiles.some((p) => p.name === c.cell)).map((c) => c.cell);
  if (missing.length) throw new CoreError('CELL_NOT_FOUND', `the plan names cells that are no longer in cells.json: ${missing.join(', ')}; plan again`);
  if (wanted.length && !plan.digest) throw new CoreError('FLEET_PLAN_INVALID', 'the plan has cells to install but no digest');
  const manifest = plan.digest ? { ...plan.manifest, image: pinnedImage(plan.manifest.image, plan.digest) } : plan.manifest;
  const base: FleetRequestBase = { ...req, manifest, store: plan.store };
  const used = new Set<string>();
  try {
    const receipt = await runFleet(
      plan,
      async (row, fleet, signal) => {
        const profile = profiles.find((p) => p.name === row.cell)!;
        used.add(row.cell);
        const r = await runCellTurn(base, { profile, row, digest: plan.digest!, fleet, signal, onProgress: (p) => req.onCellProgress?.(row.cell, p) });
        return { outcome: r.outcome, receiptId: r.id, error: r.error };
      },
      req.options,
    );
    return { receipt, path: await saveFleetReceipt(req.dataDir, receipt) };
  } finally {
    await Promise.all(profiles.filter((p) => used.has(p.name)).map((p) => closeCellConnection(p, req.ssh).catch(() => undefined)));
  }
}
