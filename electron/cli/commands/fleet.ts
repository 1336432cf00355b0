import { join } from 'node:path';
import { listCellProfiles } from '../../core/cell/profiles';
import { closeCellConnection } from '../../core/cell/ssh';
import { dataPaths } from '../../core/data-dir';
import { CoreError } from '../../core/errors';
import { applyFleetPlan } from '../../core/fleet/apply';
import { parseBatches } from '../../core/fleet/batches';
import { loadFleetReceipt, loadPlan, savePlan } from '../../core/fleet/fleet-files';
import { formatFleetEvent, formatFleetPlan, formatFleetReceipt } from '../../core/fleet/fleet-text';
import { buildFleetPlan } from '../../core/fleet/plan';
import { selectCells } from '../../core/fleet/selection';
import { failedCells, refusedCells } from '../../core/fleet/run';
import { terminalLines } from '../../core/terminal-text';
import { loadConfiguredStore } from '../../core/signed-store/load-configured-store';
import { readStoresConfig } from '../../core/store/stores-config';
import type { FleetPlan } from '../../core/fleet/plan';
import { parseCommandArgs, UsageError } from '../args';
import { didYouMean } from '../suggest';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';
import { resolveService } from './install';

/**
 * `pic-store fleet plan SERVICE_ID --cells NAME_OR_GROUP... [--store INDEX] [--concurrency N] [--json]`
 * and `pic-store fleet apply PLAN_FILE [--batches 1,10%,100%] [--max-fail-percent N]
 * [--concurrency N] [--retry RUN_ID] [--yes] [--json]` (DESIGN 2.4, 2.10). During apply, the
 * first Ctrl-C stops after the running batch, a second one cancels the cells still running.
 */
export async function fleetCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'plan') return planCommand(rest, io, ctx);
  if (sub === 'apply') return applyCommand(rest, io, ctx);
  throw new UsageError(sub ? `unknown fleet command "${sub}"${didYouMean(sub, ['plan', 'apply'])} (expected: plan, apply)` : 'missing fleet command (expected: plan SERVICE_ID --cells …, apply PLAN_FILE)');
}

function intOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * The store checks a single install makes (DESIGN 2.7, 2.8), for apply: the plan's store is read
 * again (a signed one refreshed), so a listing refused or expired since planning blocks every
 * cell's turn, and the store's transparency-log policy applies. A store no longer configured is
 * not read at all (a signed store's URL must never be read unsigned): plan again.
 */
async function storeChecksOf(plan: FleetPlan, io: CliIo, ctx: CliContext) {
  if (!plan.store) return {};
  const configured = await readStoresConfig(ctx.dataDir);
  const demo = configured.length === 0 && plan.store.url === join(ctx.appConfigDir, 'demo-store', 'index.json');
  const entry = configured.find((s) => s.url === plan.store!.url) ?? (demo ? { name: plan.store.name, url: plan.store.url } : null);
  if (!entry) throw new CoreError('STORE_NOT_FOUND', `the store of this plan (${plan.store.name}, ${plan.store.url}) is not configured any more; plan again`);
  const loaded = await loadConfiguredStore(entry, { dataDir: ctx.dataDir, cwd: io.cwd, appConfigDir: ctx.appConfigDir });
  return { listing: loaded.listing, listingSigned: loaded.listing.signed, transparencyLog: loaded.transparencyLog };
}

/** What plan and apply share: the trust root and the one image-source builder of core services. */
async function shared(ctx: CliContext, io: CliIo) {
  const appTrustRoot = await ctx.trustRoot();
  const sources = await ctx.imageSources();
  return { appTrustRoot, plainHttpRegistries: [...sources.plainHttpRegistries], pool: sources, sources: sources.provider, ssh: { dataDir: ctx.dataDir, env: io.env }, activityLog: dataPaths(ctx.dataDir).activity };
}

async function planCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, { cells: { type: 'string', multiple: true }, store: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('give exactly one SERVICE_ID');
  if (!values.cells?.length) throw new UsageError('--cells NAME_OR_GROUP is required (cell profile names or group names, repeated or comma-separated)');
  const concurrency = intOption(values.concurrency, '--concurrency', 1, 64);
  let cells;
  try {
    cells = selectCells(await listCellProfiles(ctx.dataDir), values.cells);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'INVALID_SELECTION') throw new UsageError(e.message);
    throw e;
  }
  // The listing's state and the store's transparency-log policy go to every cell's check, as to a single install's.
  const { manifest, store, listing, transparencyLog } = await resolveService(positionals[0]!, values.store, io, ctx);
  const s = await shared(ctx, io);
  try {
    const plan = await buildFleetPlan({ ...s, manifest, store, listing, listingSigned: !!listing?.signed, transparencyLog, cells, concurrency });
    const path = await savePlan(ctx.dataDir, plan);
    if (values.json) printJson(io, plan);
    else io.out(`${formatFleetPlan(plan)}  saved: ${path}\n`);
    return plan.cells.every((c) => c.action === 'blocked') ? EXIT.no : EXIT.ok;
  } finally {
    s.pool.close();
    await Promise.all(cells.map((p) => closeCellConnection(p, s.ssh).catch(() => undefined)));
  }
}

async function applyCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    batches: { type: 'string' },
    'max-fail-percent': { type: 'string' },
    concurrency: { type: 'string' },
    retry: { type: 'string' },
    yes: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one PLAN_FILE');
  let batches;
  try {
    batches = values.batches === undefined ? undefined : parseBatches(values.batches);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const maxFailPercent = intOption(values['max-fail-percent'], '--max-fail-percent', 0, 100) ?? null;
  const concurrency = intOption(values.concurrency, '--concurrency', 1, 64);
  if (!values.yes && !io.isTTY) throw new UsageError('there is no terminal to confirm the plan on; review it and pass --yes to apply it');
  const plan = await loadPlan(ctx.dataDir, positionals[0]!);
  let only: string[] | undefined;
  if (values.retry) {
    const prev = await loadFleetReceipt(ctx.dataDir, values.retry);
    if (!prev || prev.planId !== plan.id) throw new UsageError(`no fleet run ${values.retry} of plan ${plan.id} in ${dataPaths(ctx.dataDir).fleet}`);
    only = failedCells(prev);
    const refused = refusedCells(prev);
    if (refused.length && !values.json) io.err(terminalLines(`left out of the retry, refused at their turn because they changed since the plan was made (plan again to review them): ${refused.join(', ')}`));
  }
  if (!values.json) io.err(formatFleetPlan(plan));
  if (!values.yes && !/^y(es)?$/i.test((await io.ask('Apply this plan? [y/N] ')).trim())) return EXIT.no;
  const checks = await storeChecksOf(plan, io, ctx);
  const s = await shared(ctx, io);
  const cancel = new AbortController();
  const stop = new AbortController();
  const onInt = () => {
    if (!stop.signal.aborted) {
      stop.abort();
      io.err('stopping after the running batch (Ctrl-C again cancels the cells still running)\n');
    } else cancel.abort();
  };
  process.on('SIGINT', onInt);
  try {
    const { receipt, path } = await applyFleetPlan({
      ...s, ...checks, dataDir: ctx.dataDir, plan,
      options: { batches, maxFailPercent, concurrency, only, signal: cancel.signal, stop: stop.signal, onEvent: (e) => {
        const line = values.json ? null : formatFleetEvent(e, plan.service.name);
        if (line) io.err(`${line}\n`);
      } },
    });
    if (values.json) printJson(io, receipt);
    else io.out(formatFleetReceipt(receipt, path));
    const bad = receipt.cells.some((c) => c.outcome === 'failed' || c.outcome === 'rejected');
    return bad || receipt.stoppedAfterBatch !== null ? EXIT.no : EXIT.ok;
  } finally {
    process.off('SIGINT', onInt);
    s.pool.close();
    const profiles = await listCellProfiles(ctx.dataDir).catch(() => []);
    await Promise.all(profiles.filter((p) => plan.cells.some((c) => c.cell === p.name)).map((p) => closeCellConnection(p, s.ssh).catch(() => undefined)));
  }
}
