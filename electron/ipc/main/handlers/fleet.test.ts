import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addCellProfile, listCellProfiles } from '../../../core/cell/profiles';
import { loadPlan, saveFleetReceipt, savePlan } from '../../../core/fleet/fleet-files';
import type { FleetPlan } from '../../../core/fleet/plan';
import type { FleetReceipt } from '../../../core/fleet/run';
import { createServices } from '../services/app-services';
import { createIpcRouter } from '../router';
import type { FleetRunView } from '../../contract/channels/fleet';

/** The fleet domain's argument checks and refusals, on a real data dir (no cell is contacted). */
const home = mkdtempSync(join(tmpdir(), 'pic-ipc-fleet-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const sender = { transport: 'browser-shell' as const, id: 'test', trusted: true };
const router = createIpcRouter(createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => true) }));

describe('fleet IPC handlers', () => {
  it('refuses a selection naming no cell or group, before any store or cell is read', async () => {
    await addCellProfile(home, { name: 'a', destination: 'a.lan', groups: ['edge'] });
    const r = await router.dispatch('fleet:plan', { storeId: 'demo', serviceId: 'x', cells: ['nowhere'] }, sender);
    expect(r).toEqual({ ok: false, error: { code: 'INVALID_SELECTION', message: expect.stringContaining('"nowhere"') } });
  });

  it('refuses malformed settings and unknown plans with clean envelopes', async () => {
    const bad = await router.dispatch('fleet:apply', { planId: 'p1', batches: ['ten'] }, sender);
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    const missing = await router.dispatch('fleet:apply', { planId: 'no-such-plan' }, sender);
    expect(missing).toMatchObject({ ok: false, error: { code: 'FLEET_PLAN_INVALID', message: expect.stringContaining('no plan no-such-plan') } });
    expect(await router.dispatch('fleet:stop', { runId: '00000000-0000-4000-8000-000000000000' }, sender)).toEqual({ ok: true, data: { stopping: false } });
  });

  it('lists fleet receipts newest first for Activity', async () => {
    const receipt = (id: string, at: string): FleetReceipt => ({ kind: 'pic-store-fleet-receipt', version: 1, id, planId: 'p', batches: [['a']], cells: [{ cell: 'a', batch: 1, outcome: 'installed', receiptId: 'r' }], stoppedAfterBatch: null, at, service: { id: 's', name: 'S', version: '1' }, digest: null, settings: { batches: [1], maxFailPercent: null, concurrency: 5 }, stopReason: null });
    await saveFleetReceipt(home, receipt('run-old', '2026-01-01T00:00:00.000Z'));
    await saveFleetReceipt(home, receipt('run-new', '2026-02-01T00:00:00.000Z'));
    const r = await router.dispatch('fleet:runs', {}, sender);
    expect(r.ok && (r.data as FleetRunView[]).map((x) => x.receipt.id)).toEqual(['run-new', 'run-old']);
    expect(r.ok && (r.data as FleetRunView[])[0]).toMatchObject({ ended: 'Completed: every batch had its turn (1 batch).', cells: { a: { outcome: 'Installed', why: null } } });
  });

  it('saves a plan to a new file the person chose (never over an existing one), and cancels planning only when one is being made', async () => {
    const plan: FleetPlan = {
      kind: 'pic-store-fleet-plan', version: 1, id: 'plan-for-save', at: '2026-01-01T00:00:00.000Z', service: { id: 'web', name: 'Web', version: '1' }, image: `r.lan/web@sha256:${'a'.repeat(64)}`, digest: `sha256:${'a'.repeat(64)}`,
      cells: [{ cell: 'a', reachable: true, mode: null, current: null, action: 'install', reason: null, review: null, decision: 'allow', cellKey: null, detail: 'verified' }],
      manifest: { id: 'web', name: 'Web', version: '1', image: `r.lan/web@sha256:${'a'.repeat(64)}` }, store: { name: 'S', url: 'file:/s.json' }, listing: { signed: false, storeVersion: null, state: 'unsigned' },
    };
    await savePlan(home, plan);
    const path = join(home, 'chosen-plan.json');
    expect(await router.dispatch('fleet:save-plan', { planId: plan.id, path }, sender)).toEqual({ ok: true, data: { path, bytes: expect.any(Number) } });
    expect((await loadPlan(home, path)).cells).toEqual(plan.cells);
    expect(await router.dispatch('fleet:save-plan', { planId: plan.id, path }, sender)).toMatchObject({ ok: false, error: { code: 'EXPORT_EXISTS' } });
    expect(await router.dispatch('fleet:save-plan', { planId: plan.id, path: 'relative.json' }, sender)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    expect(await router.dispatch('fleet:cancel-plan', undefined, sender)).toEqual({ ok: true, data: { cancelled: false } });
  });

  it('imports an inventory as profiles (no host key recorded) and exports the chosen cells to a new private .yml file', async () => {
    const inv = join(home, 'hand.yml');
    writeFileSync(inv, 'all:\n  children:\n    lab:\n      hosts:\n        l1: { ansible_host: 192.0.2.7, ansible_port: 2201, ansible_user: ops }\n');
    const r = await router.dispatch('fleet:import-inventory', { path: inv }, sender);
    expect(r).toMatchObject({ ok: true, data: { added: [{ name: 'l1', destination: 'ops@192.0.2.7', port: 2201, groups: ['lab'] }] } });
    expect((await listCellProfiles(home)).map((p) => p.name)).toContain('l1');
    const out = join(home, 'out.yml');
    expect(await router.dispatch('fleet:export-inventory', { path: out, cells: ['lab'] }, sender)).toEqual({ ok: true, data: { path: out, count: 1 } });
    expect(readFileSync(out, 'utf8')).toContain('ansible_host: 192.0.2.7');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await router.dispatch('fleet:export-inventory', { path: out }, sender)).toMatchObject({ ok: false, error: { code: 'EXPORT_EXISTS' } });
    expect(await router.dispatch('fleet:export-inventory', { path: join(home, 'out.json') }, sender)).toMatchObject({ ok: false, error: { code: 'EXPORT_NAME' } });
  });
});
