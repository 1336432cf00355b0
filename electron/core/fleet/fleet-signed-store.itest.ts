import { copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { acceptedLogins } from '../../../scripts/testbed/cell-suite';
import { startFleetTestbed, type FleetTestbed } from '../../../scripts/testbed/fleet-testbed';
import { makeTufRepo, type TestTufRepo } from '../../../scripts/testbed/tuf-repo';
import { closeCellConnection } from '../cell/ssh';
import { dataPaths } from '../data-dir';
import { readActivity } from '../receipts/activity-log';
import type { FleetPlan } from './plan';
import type { FleetReceipt } from './run';

/**
 * A fleet makes the store checks a single install makes (DESIGN 2.7, 2.10), through the BUILT
 * CLI on two real cells: once a signed store's update is refused (a replayed older release), a
 * new `fleet plan` blocks every cell with the store's code, and applying a plan made while the
 * listing was current refuses every cell's turn before any cell is contacted.
 */
let tb: FleetTestbed;
let tmp: string;
let repo: TestTufRepo;
let env: Record<string, string | undefined>;

const cli = (args: string[]) => runBuiltCli(args, { cwd: tmp, env, timeoutMs: 180_000 });

beforeAll(async () => {
  await buildCli();
  tb = await startFleetTestbed(2);
  tmp = await mkdtemp(join(tmpdir(), 'pic-fleet-signed-'));
  await mkdir(join(tmp, 'appconfig'), { recursive: true });
  env = { PATH: process.env.PATH, HOME: tmp, PIC_STORE_HOME: tb.dataDir, PIC_STORE_APP_CONFIG: join(tmp, 'appconfig') };
  await mkdir(dataPaths(tb.dataDir).trust, { recursive: true });
  await copyFile(tb.storeKey.pub, join(dataPaths(tb.dataDir).trust, 'store.pub'));
  const image = await tb.image('signed/svc', 'signed store svc');
  await tb.sign(image);
  const index = (n: number) => ({ schemaVersion: 1, name: `Signed ${n}`, services: [{ id: 'svc', name: 'Svc', version: `${n}.0.0`, image }] });
  repo = makeTufRepo(join(tmp, 'repo'));
  repo.publish(index(1));
  // Release 1 kept aside: served again after release 2, it is a rollback the store refuses.
  await cp(repo.dir, join(tmp, 'release-1'), { recursive: true });
  repo.publish(index(2));
  const added = await cli(['store', 'add', 'Signed', repo.fileUrl, '--root', join(repo.dir, 'metadata', '1.root.json')]);
  expect(added.code, added.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (tb) {
    for (const p of await tb.profiles()) await closeCellConnection(p, tb.ssh).catch(() => undefined);
    await tb.stop();
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 180_000);

describe('fleet plan and apply from a signed store (built CLI)', () => {
  it('a refused listing blocks every cell of a new plan with the store code, and an earlier plan applies to no cell', async () => {
    const current = await cli(['fleet', 'plan', 'svc', '--store', 'Signed', '--cells', 'f1,f2', '--json']);
    expect(current.code, current.stderr).toBe(0);
    const earlier = JSON.parse(current.stdout) as FleetPlan;
    expect(earlier.listing).toEqual({ signed: true, storeVersion: 2, state: 'current' });
    expect(earlier.cells.map((c) => [c.cell, c.action])).toEqual([['f1', 'install'], ['f2', 'install']]);

    await cp(join(tmp, 'release-1'), repo.dir, { recursive: true, force: true });
    const refused = await cli(['fleet', 'plan', 'svc', '--store', 'Signed', '--cells', 'f1,f2', '--json']);
    expect(refused.code, refused.stderr).toBe(1);
    const blocked = JSON.parse(refused.stdout) as FleetPlan;
    expect(blocked.listing).toEqual({ signed: true, storeVersion: 2, state: 'refused' });
    expect(blocked.cells.map((c) => [c.cell, c.action, c.reason])).toEqual([['f1', 'blocked', 'STORE_ROLLBACK'], ['f2', 'blocked', 'STORE_ROLLBACK']]);
    // The person reads words first and the code after them, never the bare code.
    const human = await cli(['fleet', 'plan', 'svc', '--store', 'Signed', '--cells', 'f1,f2']);
    expect(human.code).toBe(1);
    const f1Line = human.stdout.split('\n').find((l) => l.trimStart().startsWith('f1 '))!;
    expect(f1Line).toMatch(/Blocked\s+\S.*\(STORE_ROLLBACK\)$/);
    expect(f1Line).not.toMatch(/Blocked\s+STORE_ROLLBACK/);

    const logins = await Promise.all(tb.cells.map(acceptedLogins));
    const onCells = await Promise.all(tb.cells.map((c) => readFile(join(c.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '')));
    const applied = await cli(['fleet', 'apply', earlier.id, '--batches', '100%', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(1);
    const run = JSON.parse(applied.stdout) as FleetReceipt;
    expect(run.cells.map((c) => [c.cell, c.outcome, c.error?.code])).toEqual([['f1', 'rejected', 'STORE_ROLLBACK'], ['f2', 'rejected', 'STORE_ROLLBACK']]);
    // No cell was even contacted: no new ssh login, nothing written on it, nothing running.
    expect(await Promise.all(tb.cells.map(acceptedLogins))).toEqual(logins);
    expect(await Promise.all(tb.cells.map((c) => readFile(join(c.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '')))).toEqual(onCells);
    for (let i = 0; i < 2; i++) expect((await tb.docker(i, ['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-svc'])).trim()).toBe('');
    const log = (await readActivity(dataPaths(tb.dataDir).activity, { limit: 100 })).receipts.filter((r) => r.fleet?.runId === run.id);
    // The two cells take their turns concurrently: their receipts are compared in cell order.
    const byCell = log.map((r) => [r.cell.name, r.outcome, r.decision, r.error?.code, r.listing] as const).sort((a, b) => a[0].localeCompare(b[0]));
    expect(byCell).toEqual(['f1', 'f2'].map((n) => [n, 'rejected', 'block', 'STORE_ROLLBACK', { signed: true, storeVersion: 2, state: 'refused' }]));
  }, 300_000);
});
