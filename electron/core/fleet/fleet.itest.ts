import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleTried } from '../../../scripts/testbed/ansible-oracle';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { watchCellSessions } from '../../../scripts/testbed/cell-sessions';
import { startFleetTestbed, type FleetTestbed } from '../../../scripts/testbed/fleet-testbed';
import { freePort } from '../../../scripts/testbed/registry';
import type { CellProfile } from '../cell/profiles';
import { closeCellConnection } from '../cell/ssh';
import { dataPaths, writeJsonFile } from '../data-dir';
import { installService } from '../install/install-flow';
import { readActivity } from '../receipts/activity-log';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import type { ServiceManifest } from '../store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { applyFleetPlan } from './apply';
import { fleetReceiptPath } from './fleet-files';
import { buildFleetPlan, type FleetPlan, type FleetRequestBase } from './plan';
import type { FleetEvent, FleetRunOptions } from './run';
import { selectCells } from './selection';

/**
 * Fleets on ten real cells (sshd + own dockerd + own PIC root each, one loopback registry),
 * started once for the file: plan actions per mode/key/state, apply with a re-check at each turn,
 * a failing canary through the built CLI, thresholds held against ansible-playbook, and frozen or
 * unreachable cells that fail alone.
 */
const N = 10;
let tb: FleetTestbed;
let appRoot: TrustRoot;
let v1: string;
let v2: string;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));

beforeAll(async () => {
  tb = await startFleetTestbed(N);
  appRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
  await mkdir(dataPaths(tb.dataDir).trust, { recursive: true });
  await copyFile(tb.storeKey.pub, join(dataPaths(tb.dataDir).trust, 'store.pub'));
  v1 = await tb.image('fleet/web', 'fleet v1');
  v2 = await tb.image('fleet/web', 'fleet v2');
  await tb.sign(v1);
  await tb.sign(v2);
}, 300_000);

afterAll(async () => {
  pool.close();
  if (!tb) return;
  for (let i = 0; i < N; i++) await tb.cells[i]!.thaw();
  for (const p of await tb.profiles()) await closeCellConnection(p, tb.ssh).catch(() => undefined);
  await tb.stop();
}, 180_000);

const manifest = (id: string, image = v2, version = '2'): ServiceManifest => ({ id, name: `Fleet ${id}`, version, image });
const base = (m: ServiceManifest): FleetRequestBase => ({ manifest: m, store: { name: 'test', url: 'file:test' }, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: dataPaths(tb.dataDir).activity });

async function reset(): Promise<void> {
  for (let i = 0; i < N; i++) {
    await tb.setMode(i, 'enforce');
    await tb.setCellKey(i, tb.storeKey.pub);
    await tb.setBroken(i, false);
  }
}

async function plan(m: ServiceManifest, names: string[]): Promise<FleetPlan> {
  return buildFleetPlan({ ...base(m), cells: selectCells(await tb.profiles(), names) });
}

/** Runs a plan, recording when each cell started and ended and the peak number in flight. */
async function apply(p: FleetPlan, options: FleetRunOptions) {
  const times = new Map<string, { start: number; end: number }>();
  let inFlight = 0;
  let peak = 0;
  const t0 = Date.now();
  const onEvent = (e: FleetEvent) => {
    if (e.kind === 'cell-start') {
      peak = Math.max(peak, ++inFlight);
      times.set(e.cell, { start: Date.now() - t0, end: -1 });
    } else if (e.kind === 'cell-end') {
      inFlight--;
      times.get(e.cell)!.end = Date.now() - t0;
    }
  };
  const { receipt, path } = await applyFleetPlan({ ...base(p.manifest), dataDir: tb.dataDir, plan: p, options: { ...options, onEvent } });
  const outcome = (name: string) => receipt.cells.find((c) => c.cell === name)!;
  return { receipt, path, times, peak, outcome };
}

/** The image reference the service's running container was created from ('' when none runs). */
async function running(i: number, id: string): Promise<string> {
  const ids = (await tb.docker(i, ['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim().split('\n').filter(Boolean);
  return ids.length ? (await tb.docker(i, ['inspect', '--format', '{{.Config.Image}}', ids[0]!])).trim() : '';
}

async function setProfilePort(name: string, port: number | undefined): Promise<void> {
  const cells = (await tb.profiles()).map((c) => (c.name === name ? { ...c, port } : c));
  await writeJsonFile(dataPaths(tb.dataDir).cells, { version: 1, cells });
}

describe('fleet plan and apply on real cells', () => {
  it('plans each cell by its own mode, key and state; applies with a re-check at each turn (a tightened mode is not installed)', async () => {
    await reset();
    const profiles = await tb.profiles();
    const byName = (n: string) => profiles.find((p) => p.name === n) as CellProfile;
    // State first: f7 runs v1 (an upgrade is due), f8 runs v2 already (nothing to do).
    for (const [name, image, version] of [['f7', v1, '1'], ['f8', v2, '2']] as const) {
      const { receipt } = await installService({ ...base(manifest('mix', image, version)), profile: byName(name) }, async () => true);
      expect(receipt.outcome, name).toBe('installed');
    }
    await tb.setMode(1, 'warn');
    await tb.setCellKey(1, null);
    await tb.setMode(2, 'off');
    await tb.setCellKey(2, tb.otherKey.pub);
    await tb.setCellKey(3, tb.otherKey.pub);
    await tb.setCellKey(4, null);
    await tb.setMode(5, null, '{ "image_verification": ');
    await setProfilePort('f9', await freePort());
    await tb.cells[9]!.freeze();
    let p: FleetPlan;
    const started = Date.now();
    try {
      p = await plan(manifest('mix'), ['east', 'west']);
    } finally {
      await tb.cells[9]!.thaw();
      await setProfilePort('f9', undefined);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    const row = (n: string) => p.cells.find((c) => c.cell === n)!;
    expect(p.cells.map((c) => c.cell)).toEqual(tb.names);
    expect(p.digest).toBe(v2.split('@')[1]);
    expect(row('f1')).toMatchObject({ action: 'install', reason: null, reachable: true, mode: { value: 'enforce' }, current: null });
    expect(row('f2')).toMatchObject({ action: 'install', reason: 'TRUST_ROOT_INVALID', mode: { value: 'warn' }, decision: 'warn' });
    expect(row('f3')).toMatchObject({ action: 'install', mode: { value: 'off' }, decision: 'allow' });
    expect(row('f3').reason).not.toBeNull();
    expect(row('f4')).toMatchObject({ action: 'blocked', mode: { value: 'enforce' }, decision: 'block' });
    expect(row('f5')).toMatchObject({ action: 'blocked', reason: 'TRUST_ROOT_INVALID' });
    expect(row('f6')).toMatchObject({ action: 'install', reason: null, mode: { value: 'enforce', source: 'fail-closed' } });
    expect(row('f7')).toMatchObject({ action: 'upgrade', current: { version: '1', digest: v1.split('@')[1] } });
    // The upgrade carries that cell's review (DESIGN 2.10 + 2.9): versions, digests, the signer kept.
    expect(row('f7').review).toMatchObject({ version: { from: '1', to: '2' }, digest: { from: v1.split('@')[1], to: v2.split('@')[1] }, signers: { changed: false }, cellKeyVerifies: true });
    expect(row('f1').review).toBeNull();
    expect(row('f8')).toMatchObject({ action: 'skip', reason: 'ALREADY_CURRENT' });
    expect(row('f9')).toMatchObject({ action: 'blocked', reachable: false, reason: 'CELL_UNREACHABLE', mode: null });
    expect(row('f10')).toMatchObject({ action: 'blocked', reachable: false, mode: null });
    expect(row('f10').reason).toMatch(/^CELL_(TIMEOUT|UNREACHABLE)$/);

    // After planning, f2 tightens from warn to enforce: it must not be installed.
    await tb.setMode(1, 'enforce');
    const run = await apply(p, { batches: [1, '100%'], concurrency: 2 });
    expect(run.receipt.batches).toEqual([['f1'], ['f2', 'f3', 'f6', 'f7']]);
    expect(run.peak).toBe(2);
    expect(run.receipt.cells.map((c) => [c.cell, c.outcome])).toEqual([
      ['f1', 'installed'], ['f2', 'rejected'], ['f3', 'installed'], ['f4', 'skipped'], ['f5', 'skipped'],
      ['f6', 'installed'], ['f7', 'upgraded'], ['f8', 'skipped'], ['f9', 'skipped'], ['f10', 'skipped'],
    ]);
    expect(run.receipt.stoppedAfterBatch).toBeNull();
    expect(await running(1, 'mix')).toBe('');
    expect(await running(6, 'mix')).toBe(v2);
    expect(await running(0, 'mix')).toBe(v2);
    const log = (await readActivity(dataPaths(tb.dataDir).activity, { limit: 1000 })).receipts;
    const f2 = log.find((r) => r.id === run.outcome('f2').receiptId)!;
    expect(f2).toMatchObject({ outcome: 'rejected', error: { code: 'CELL_CHANGED' }, fleet: { runId: run.receipt.id, batch: 2 } });
    expect(f2.error?.message).toMatch(/mode was warn when planned and is enforce now/);
    expect(log.find((r) => r.id === run.outcome('f7').receiptId)).toMatchObject({ action: 'upgrade', outcome: 'installed', fleet: { runId: run.receipt.id, batch: 2 } });
    const onCell = (await readFile(join(tb.cells[0]!.root, 'store', 'receipts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { fleet?: unknown });
    expect(onCell.at(-1)?.fleet).toEqual({ runId: run.receipt.id, batch: 1 });
    expect(JSON.parse(await readFile(fleetReceiptPath(tb.dataDir, run.receipt.id), 'utf8'))).toMatchObject({ kind: 'pic-store-fleet-receipt', version: 1, planId: p.id, stoppedAfterBatch: null });
  }, 300_000);

  it('a failing canary stops the run before any other cell is touched (built CLI: fleet plan, fleet apply)', async () => {
    await reset();
    await tb.setBroken(0, true);
    await buildCli();
    const dir = join(tb.dataDir, 'cli');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'canary.json');
    await writeFile(file, JSON.stringify(manifest('canary')));
    const env = { PIC_STORE_HOME: tb.dataDir, PATH: process.env.PATH, HOME: dir };
    const before = await Promise.all(tb.cells.map((c) => readFile(join(c.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '')));
    const planned = await runBuiltCli(['fleet', 'plan', file, '--cells', 'east', '--json'], { env, timeoutMs: 120_000 });
    expect(planned.code, planned.stderr).toBe(0);
    const p = JSON.parse(planned.stdout) as FleetPlan;
    expect(p.cells.map((c) => [c.cell, c.action])).toEqual(['f1', 'f2', 'f3', 'f4', 'f5'].map((n) => [n, 'install']));
    const applied = await runBuiltCli(['fleet', 'apply', p.id, '--yes', '--json'], { env, timeoutMs: 180_000 });
    expect(applied.code, applied.stderr).toBe(1);
    const r = JSON.parse(applied.stdout) as Awaited<ReturnType<typeof apply>>['receipt'];
    expect(r.batches).toEqual([['f1'], ['f2'], ['f3', 'f4', 'f5']]);
    expect(r.stoppedAfterBatch).toBe(1);
    expect(r.cells.map((c) => c.outcome)).toEqual(['failed', 'not-tried', 'not-tried', 'not-tried', 'not-tried']);
    const after = await Promise.all(tb.cells.map((c) => readFile(join(c.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '')));
    expect(after.slice(1)).toEqual(before.slice(1));
    for (let i = 1; i < 5; i++) expect(await running(i, 'canary')).toBe('');
    const log = (await readActivity(dataPaths(tb.dataDir).activity, { limit: 1000 })).receipts.filter((x) => x.service.id === 'canary');
    expect(log.map((x) => [x.cell.name, x.outcome, x.error?.code])).toEqual([['f1', 'failed', 'STAGING_FAILED']]);
  }, 300_000);

  it('failure thresholds 0, 33, 34 and 50 stop exactly where ansible-playbook stops on the same failures', async () => {
    await reset();
    // Batches 1,3,4 over ten cells: [f1] [f2 f3 f4] [f5..f8] [f9 f10]; failing: 1 of 3, then 2 of 4, then all.
    const failing = new Set(['f2', 'f5', 'f6', 'f9', 'f10']);
    for (const n of failing) await tb.setBroken(tb.names.indexOf(n), true);
    const seen = new Map<number, string[]>();
    for (const t of [0, 33, 34, 50]) {
      const oracle = await ansibleTried({ hosts: tb.names, failing, serial: [1, 3, 4], maxFailPercentage: t });
      const p = await plan(manifest(`th${t}`), ['east,west']);
      const run = await apply(p, { batches: [1, 3, 4], maxFailPercent: t, concurrency: 3 });
      const tried = run.receipt.cells.filter((c) => c.outcome !== 'not-tried' && c.outcome !== 'skipped').map((c) => c.cell);
      expect(tried.sort(), `threshold ${t}`).toEqual([...oracle.tried].sort());
      for (const c of run.receipt.cells) if (tried.includes(c.cell)) expect(c.outcome, `${t} ${c.cell}`).toBe(failing.has(c.cell) ? 'failed' : 'installed');
      // Below the largest batch (4), so the bound is actually in play.
      expect(run.peak).toBeLessThanOrEqual(3);
      seen.set(t, tried);
    }
    // The pattern separates the thresholds: 0 and 33 stop after batch 2, 34 after batch 3, 50 runs to the end.
    expect(seen.get(33)).toHaveLength(4);
    expect(seen.get(34)).toHaveLength(8);
    expect(seen.get(50)).toHaveLength(10);
  }, 420_000);

  it('holds the plan and apply concurrency bounds as the cells see them (their sshd sessions)', async () => {
    await reset();
    const cells = tb.cells.map((c, i) => ({ name: tb.names[i]!, dir: c.dir }));
    let watch = watchCellSessions(cells);
    const p = await buildFleetPlan({ ...base(manifest('bound')), cells: selectCells(await tb.profiles(), ['east', 'west']), concurrency: 3 });
    const planned = await watch.stop();
    expect(p.cells.every((c) => c.action === 'install')).toBe(true);
    expect(planned.busy.size).toBe(N);
    expect(planned.peak).toBeLessThanOrEqual(3);
    expect(planned.peak).toBeGreaterThanOrEqual(2);
    // One batch of five with two at a time.
    watch = watchCellSessions(cells);
    const run = await apply(p, { batches: ['100%'], concurrency: 2, only: ['f1', 'f2', 'f3', 'f4', 'f5'] });
    const applied = await watch.stop();
    expect(run.receipt.batches).toEqual([['f1', 'f2', 'f3', 'f4', 'f5']]);
    expect(run.receipt.cells.filter((c) => c.outcome === 'installed').map((c) => c.cell)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect([...applied.busy.keys()].sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(applied.peak).toBe(2);
  }, 300_000);

  it('an unreachable and a frozen cell count as failed without holding the other cells past their own timeouts', async () => {
    await reset();
    const p = await plan(manifest('slow'), ['f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(p.cells.every((c) => c.action === 'install')).toBe(true);
    await tb.cells[2]!.freeze();
    await setProfilePort('f4', await freePort());
    let run;
    try {
      run = await apply(p, { batches: ['100%'], concurrency: 3 });
    } finally {
      await tb.cells[2]!.thaw();
      await setProfilePort('f4', undefined);
    }
    expect(run.receipt.cells.map((c) => [c.cell, c.outcome])).toEqual([['f1', 'installed'], ['f2', 'installed'], ['f3', 'failed'], ['f4', 'failed'], ['f5', 'installed'], ['f6', 'installed']]);
    expect(run.outcome('f4').error?.code).toBe('CELL_UNREACHABLE');
    expect(run.outcome('f3').error?.code).toMatch(/^(CELL_TIMEOUT|CELL_UNREACHABLE|CONNECTION_LOST)$/);
    expect(run.peak).toBeLessThanOrEqual(3);
    const frozen = run.times.get('f3')!;
    // Given up within the silent-connection bound (DESIGN 2.10: 30 s), and nobody waited on it.
    expect(frozen.end - frozen.start).toBeLessThan(30_000);
    // While f3 held its slot, the other two slots carried every other cell: each started, and
    // those that started beside f3 ended, before f3's own turn ended.
    for (const n of ['f1', 'f2', 'f4', 'f5', 'f6']) expect(run.times.get(n)!.start, n).toBeLessThan(frozen.end);
    for (const n of ['f1', 'f2']) expect(run.times.get(n)!.end, n).toBeLessThan(frozen.end);
    for (const n of ['f1', 'f2', 'f5', 'f6']) {
      const t = run.times.get(n)!;
      // Loose on purpose (a shared 2-core machine): they ran on their own connections, not after f3.
      expect(t.end - t.start, n).toBeLessThan(90_000);
    }
    expect(run.times.get('f4')!.end - run.times.get('f4')!.start).toBeLessThan(15_000);
  }, 300_000);
});
