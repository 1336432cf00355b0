import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { dataPaths, readJsonFile, writeJsonFile } from '../data-dir';
import { CoreError } from '../errors';
import { MODE_SOURCES, MODE_VALUES, DECISIONS } from '../receipts/receipt';
import { validateManifest } from '../store/validate';
import { readUserFile, writeNewJsonFile } from '../user-file';
import { FLEET_PLAN_KIND, type FleetPlan } from './plan';
import type { FleetReceipt } from './run';

/**
 * Fleet plans and fleet receipts in the data directory's `fleet/` (DESIGN 2.6): a plan is saved
 * as `fleet/plan-<id>.json` when made, a run's receipt as `fleet/<runId>.json`. A plan file given
 * back to `apply` comes from a person: it is read bounded and checked field by field, its listing
 * by the same validator as any store's, before anything acts on it.
 */
const MAX_PLAN_BYTES = 8 * 1024 * 1024;
const ID = /^[A-Za-z0-9-]{1,64}$/;

export function planPath(dataDir: string, id: string): string {
  return join(dataPaths(dataDir).fleet, `plan-${id}.json`);
}

export function fleetReceiptPath(dataDir: string, id: string): string {
  return join(dataPaths(dataDir).fleet, `${id}.json`);
}

export async function savePlan(dataDir: string, plan: FleetPlan): Promise<string> {
  const path = planPath(dataDir, plan.id);
  await writeJsonFile(path, plan);
  return path;
}

export async function saveFleetReceipt(dataDir: string, receipt: FleetReceipt): Promise<string> {
  const path = fleetReceiptPath(dataDir, receipt.id);
  await writeJsonFile(path, receipt);
  return path;
}

/** A plan saved where a person chose (the app's "Save plan…"): a new file only, `pic-store fleet apply FILE` reads it back. */
export async function exportPlan(path: string, plan: FleetPlan): Promise<{ path: string; bytes: number }> {
  return { path, ...(await writeNewJsonFile(path, `${JSON.stringify(plan, null, 2)}\n`, 'a saved fleet plan')) };
}

const text = (n: number) => z.string().max(n);
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const planSchema = z.object({
  kind: z.literal(FLEET_PLAN_KIND, { error: `must be "${FLEET_PLAN_KIND}" (this is not a fleet plan)` }),
  version: z.literal(1),
  id: z.string().regex(ID),
  at: z.iso.datetime({ offset: true }),
  service: z.object({ id: text(64), name: text(200), version: text(64) }),
  image: text(4096),
  digest: digest.nullable(),
  cells: z.array(z.object({
    cell: text(200),
    reachable: z.boolean(),
    mode: z.object({ value: z.enum(MODE_VALUES), source: z.enum(MODE_SOURCES), detail: text(4000) }).nullable(),
    current: z.object({ version: text(64).nullable(), digest: digest.nullable() }).nullable(),
    action: z.enum(['install', 'upgrade', 'skip', 'blocked']),
    reason: text(200).nullable(),
    review: z.unknown(),
    decision: z.enum(DECISIONS).nullable(),
    cellKey: text(200).nullable(),
    detail: text(16_000),
  })).min(1).max(10_000),
  manifest: z.unknown(),
  store: z.object({ name: text(200), url: text(4096) }).nullable(),
  listing: z.object({ signed: z.boolean(), storeVersion: z.number().int().nullable(), state: text(32) }).nullable().default(null),
});

export function parsePlan(raw: unknown, where: string): FleetPlan {
  const r = planSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new CoreError('FLEET_PLAN_INVALID', `${where} is not a valid fleet plan (${i ? `${i.path.join('.') || '/'}: ${i.message}` : 'invalid'})`);
  }
  const m = validateManifest(r.data.manifest);
  if (!m.manifest) throw new CoreError('FLEET_PLAN_INVALID', `${where} holds an invalid listing: ${m.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  if (m.manifest.id !== r.data.service.id || m.manifest.image !== r.data.image) throw new CoreError('FLEET_PLAN_INVALID', `${where}: the listing does not match the plan's service and image`);
  const names = r.data.cells.map((c) => c.cell);
  if (new Set(names).size !== names.length) throw new CoreError('FLEET_PLAN_INVALID', `${where} lists a cell twice`);
  return { ...(r.data as Omit<FleetPlan, 'manifest'>), manifest: m.manifest };
}

/** A plan saved under fleet/ by its id only (the app: the renderer never names a path). */
export async function loadPlanById(dataDir: string, id: string): Promise<FleetPlan> {
  if (!ID.test(id)) throw new CoreError('FLEET_PLAN_INVALID', `"${id.slice(0, 80)}" is not a plan id`);
  const raw = await readJsonFile(planPath(dataDir, id));
  if (raw === undefined) throw new CoreError('FLEET_PLAN_INVALID', `there is no plan ${id} in ${dataPaths(dataDir).fleet}; plan again`);
  return parsePlan(raw, planPath(dataDir, id));
}

/** A plan file named by a person (the CLI's PLAN_FILE), or a plan id under fleet/. */
export async function loadPlan(dataDir: string, fileOrId: string): Promise<FleetPlan> {
  if (ID.test(fileOrId)) {
    const raw = await readJsonFile(planPath(dataDir, fileOrId));
    if (raw !== undefined) return parsePlan(raw, planPath(dataDir, fileOrId));
  }
  const textContent = await readUserFile(fileOrId, MAX_PLAN_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch {
    throw new CoreError('FLEET_PLAN_INVALID', `${fileOrId} is not valid JSON`);
  }
  return parsePlan(raw, fileOrId);
}

export async function loadFleetReceipt(dataDir: string, id: string): Promise<FleetReceipt | undefined> {
  if (!ID.test(id)) throw new CoreError('FLEET_RECEIPT_INVALID', `"${id.slice(0, 80)}" is not a fleet run id`);
  return (await readJsonFile(fleetReceiptPath(dataDir, id))) as FleetReceipt | undefined;
}

/** The fleet receipts under fleet/, newest first (for Activity); unreadable files are skipped. */
export async function listFleetReceipts(dataDir: string, limit = 50): Promise<FleetReceipt[]> {
  const names = await readdir(dataPaths(dataDir).fleet).catch(() => [] as string[]);
  const out: FleetReceipt[] = [];
  for (const n of names.filter((x) => x.endsWith('.json') && !x.startsWith('plan-')).slice(0, 10_000)) {
    const r = (await readJsonFile(join(dataPaths(dataDir).fleet, n)).catch(() => undefined)) as FleetReceipt | undefined;
    if (r?.kind === 'pic-store-fleet-receipt') out.push(r);
  }
  return out.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
