/*
 * The slices against a fake transport (the real contract's API builder over a scripted
 * invoke/on), for what views used to do themselves: installed-service actions, the installed
 * badge's verification, and events subscribed once at app level.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildPicStoreApi, type RendererTransport } from '../../../electron/ipc/contract/api-builder';
import type { PicStoreApi } from '../../../electron/ipc/contract/channels';
import type { IpcResult } from '../../../electron/ipc/contract/domain';
import { initApi } from '../api/api';
import { useCellsSlice } from './cells-slice';
import { batchList, useFleetSlice } from './fleet-slice';
import { useInstallsSlice } from './installs-slice';
import { settled } from './load-status';
import { subscribeToEvents } from './subscriptions';
import { installedKey, useVerificationSlice } from './verification-slice';
import { useUpdatesSlice } from './updates-slice';

/** Invokes wait for the test to answer them, in any order; events are pushed by the test. */
class FakeTransport implements RendererTransport {
  calls: { channel: string; arg: unknown; answer: (r: IpcResult<unknown>) => void }[] = [];
  listeners = new Map<string, Set<(p: unknown) => void>>();
  invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>> {
    return new Promise((answer) => this.calls.push({ channel, arg, answer }));
  }
  on(channel: string, listener: (p: unknown) => void) {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener);
  }
  take(channel: string) {
    const i = this.calls.findIndex((c) => c.channel === channel);
    if (i < 0) throw new Error(`no pending ${channel} (pending: ${this.calls.map((c) => c.channel).join(', ')})`);
    return this.calls.splice(i, 1)[0]!;
  }
  emit(channel: string, payload: unknown) {
    this.listeners.get(channel)?.forEach((l) => l(payload));
  }
}

const transport = new FakeTransport();
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeAll(async () => {
  const picStore: PicStoreApi = buildPicStoreApi(transport);
  (globalThis as { window?: unknown }).window = { picStore };
  await initApi(() => undefined);
});
beforeEach(() => {
  transport.calls = [];
});

describe('settled', () => {
  it('turns an answer into a finished op', () => {
    expect(settled({ ok: true, data: 3 })).toEqual({ status: 'ready', result: 3, error: null });
    expect(settled({ ok: false, error: { code: 'CELL_NOT_FOUND', message: 'no such cell' } })).toEqual({ status: 'error', result: null, error: { code: 'CELL_NOT_FOUND', message: 'no such cell' } });
  });
});

describe('installed-service actions (installs slice)', () => {
  const key = 'c1 wiki';
  it('keeps a Logs output with the row and an uninstall receipt with the cell, until dismissed', async () => {
    const s = useInstallsSlice.getState();
    const logs = s.serviceOp('c1', 'wiki', 'logs');
    expect(useInstallsSlice.getState().installed[key]?.op).toMatchObject({ status: 'loading', action: 'logs' });
    const call = transport.take('installs:service');
    expect(call.arg).toEqual({ cellId: 'c1', serviceId: 'wiki', op: 'logs' });
    call.answer({ ok: true, data: { output: '' } });
    await logs;
    expect(useInstallsSlice.getState().installed[key]).toMatchObject({ output: '(no output)', op: { status: 'ready', error: null } });

    const un = s.uninstall('c1', 'wiki', true);
    const u = transport.take('installs:uninstall');
    expect(u.arg).toEqual({ cellId: 'c1', serviceId: 'wiki', purgeVolumes: true });
    const outcome = { sessionId: 'x', receipt: { id: 'r1' } };
    u.answer({ ok: true, data: outcome });
    expect(await un).toBe(true);
    // The receipt is the cell's (the row goes at once), kept until the person is done with it.
    expect(useInstallsSlice.getState().installed[key]).toMatchObject({ output: '(no output)', op: { status: 'ready', action: 'uninstall' } });
    expect(useInstallsSlice.getState().removed.c1).toEqual(outcome);
    s.forgetInstalled('c1', 'wiki');
    expect(useInstallsSlice.getState().removed.c1).toEqual(outcome);
    s.dismissRemoved('c1');
    expect(useInstallsSlice.getState().removed.c1).toBeUndefined();
    expect(useInstallsSlice.getState().installed[key]).toBeUndefined();
  });

  it('drops the answer of an action whose row was forgotten meanwhile', async () => {
    const s = useInstallsSlice.getState();
    const restart = s.serviceOp('c1', 'wiki', 'restart');
    s.forgetInstalled('c1', 'wiki');
    transport.take('installs:service').answer({ ok: false, error: { code: 'CELL_UNREACHABLE', message: 'gone' } });
    await restart;
    expect(useInstallsSlice.getState().installed[key]).toBeUndefined();
  });

  it('upgrade opens the dialog on the listing found, or says no store lists the service', async () => {
    const s = useInstallsSlice.getState();
    let up = s.upgradeInstalled('c1', 'wiki', 'Open Wiki');
    transport.take('installs:find-listing').answer({ ok: true, data: { storeId: null, version: null } });
    await up;
    expect(useInstallsSlice.getState().installed[key]?.op).toMatchObject({ status: 'error', action: 'upgrade', error: { code: 'NOT_LISTED' } });
    expect(useInstallsSlice.getState().dialog).toBeNull();

    up = s.upgradeInstalled('c1', 'wiki', 'Open Wiki');
    expect(useInstallsSlice.getState().installed[key]?.op.error).toBeNull();
    transport.take('installs:find-listing').answer({ ok: true, data: { storeId: 'store-a', version: '2' } });
    await up;
    expect(useInstallsSlice.getState().dialog).toMatchObject({ storeId: 'store-a', serviceId: 'wiki', serviceName: 'Open Wiki', cellId: 'c1', step: 'choose' });
    s.close();
    s.forgetInstalled('c1', 'wiki');
  });
});

describe('installed badge (verification slice)', () => {
  it('keeps only the newest answer for an image', async () => {
    const image = `r/wiki@sha256:${'a'.repeat(64)}`;
    const verdict = (reason: string) => ({ serviceId: 'wiki', report: { reason }, explanation: { sentence: reason } });
    const first = useVerificationSlice.getState().verifyInstalled(image, 'wiki');
    const second = useVerificationSlice.getState().verifyInstalled(image, 'wiki');
    const [a, b] = [transport.take('verification:verify-image'), transport.take('verification:verify-image')];
    expect(a.arg).toEqual({ image, serviceId: 'wiki' });
    b.answer({ ok: true, data: verdict('SIGNATURE_INVALID') });
    await second;
    a.answer({ ok: true, data: verdict('VERIFIED') });
    await first;
    expect(useVerificationSlice.getState().installed[installedKey(image, 'wiki')]).toMatchObject({ status: 'ready', result: { report: { reason: 'SIGNATURE_INVALID' } } });
  });
});

describe('subscribeToEvents', () => {
  it('subscribes every pushed event once, reaches slices with no view mounted, and unsubscribes', async () => {
    const off = subscribeToEvents();
    const channels = [...transport.listeners].filter(([, set]) => set.size > 0).map(([c]) => c).sort();
    expect(channels).toEqual(['activity:changed', 'cells:changed', 'cells:status-read', 'cells:updated', 'fleet:failed', 'fleet:finished', 'fleet:plan-progress', 'fleet:progress', 'installs:finished', 'installs:progress', 'preview:changed', 'store:changed', 'trust:changed', 'verification:finished', 'verification:progress']);
    for (const c of channels) expect(transport.listeners.get(c)?.size).toBe(1);

    const profile = { id: 'c1', name: 'Lab', destination: 'admin@lab', root: '/opt/pic' };
    transport.emit('cells:changed', [profile]);
    expect(useCellsSlice.getState()).toMatchObject({ status: 'ready', profiles: [profile] });
    // A status main read (a check at start, or in another view) becomes the cell's last status here.
    const status = { checkedAt: '2026-12-04T11:00:00Z', installed: [] };
    transport.emit('cells:status-read', { id: 'c1', status, at: status.checkedAt });
    expect(useCellsSlice.getState().checks.c1).toMatchObject({ status: 'ready', result: { kind: 'status', status } });
    const updates = { checking: false, checkedAt: status.checkedAt, cells: [], stores: [], notices: [] };
    transport.emit('cells:updated', updates);
    expect(useUpdatesSlice.getState()).toMatchObject({ status: 'ready', view: updates });
    // The activity list was never shown: a new receipt loads nothing until it is.
    transport.emit('activity:changed', {});
    await tick();
    expect(transport.calls.map((c) => c.channel)).not.toContain('activity:list');
    // A store refreshed elsewhere: the store rows are listed again; a store not shown is not loaded.
    transport.emit('store:changed', { storeId: 'https://other.example/' });
    await tick();
    expect(transport.calls.map((c) => c.channel)).toContain('store:list');
    expect(transport.calls.map((c) => c.channel)).not.toContain('store:load');

    off();
    for (const c of channels) expect(transport.listeners.get(c)?.size).toBe(0);
  });
});

describe('fleet slice', () => {
  const words = (outcome: string) => ({ outcome, why: null });
  it('plans with progress, applies with the typed settings, follows a run to its receipt, and retries that run', async () => {
    const off = subscribeToEvents();
    const f = useFleetSlice.getState();
    f.choose({ storeId: 's1', service: { id: 'web', version: '2' }, selection: [] });
    f.toggle('east');
    f.toggle('c3');
    const planned = useFleetSlice.getState().makePlan();
    const call = transport.take('fleet:plan');
    expect(call.arg).toEqual({ storeId: 's1', serviceId: 'web', version: '2', cells: ['east', 'c3'] });
    transport.emit('fleet:plan-progress', { total: 3, done: 1, row: { cell: 'c1' } });
    expect(useFleetSlice.getState().planning).toEqual({ total: 3, rows: [{ cell: 'c1' }] });
    const view = { plan: { id: 'p1', cells: [] }, rows: {} };
    call.answer({ ok: true, data: view });
    await planned;
    expect(useFleetSlice.getState()).toMatchObject({ status: 'ready', plan: view, planning: null });

    f.setSettings({ batches: '1, 10%,100%', concurrency: 3, maxFailPercent: '34' });
    const applied = useFleetSlice.getState().apply();
    const a = transport.take('fleet:apply');
    expect(a.arg).toEqual({ planId: 'p1', batches: [1, '10%', '100%'], concurrency: 3, maxFailPercent: 34 });
    a.answer({ ok: true, data: { runId: 'r1' } });
    await applied;
    transport.emit('fleet:progress', { runId: 'r1', event: { kind: 'batch-start', batch: 1, cells: ['c1'] } });
    transport.emit('fleet:progress', { runId: 'r1', event: { kind: 'cell-start', batch: 1, cell: 'c1' } });
    transport.emit('fleet:progress', { runId: 'r1', cell: 'c1', phase: 'pull' });
    expect(useFleetSlice.getState().run?.cells.c1).toMatchObject({ batch: 1, state: 'running', phase: 'pull' });
    transport.emit('fleet:progress', { runId: 'other', event: { kind: 'cell-start', batch: 1, cell: 'zz' } });
    expect(useFleetSlice.getState().run?.cells.zz).toBeUndefined();
    transport.emit('fleet:progress', { runId: 'r1', event: { kind: 'cell-end', batch: 1, cell: 'c1', outcome: 'failed', error: { code: 'X', message: 'm' } }, words: words('Failed') });
    transport.emit('fleet:progress', { runId: 'r1', event: { kind: 'batch-end', batch: 1, failed: 1, size: 1, stops: true } });
    expect(useFleetSlice.getState().run?.batches).toEqual([{ batch: 1, cells: ['c1'], failed: 1, stops: true }]);
    const receipt = { id: 'r1', cells: [{ cell: 'c1', batch: 1, outcome: 'failed' }, { cell: 'c2', batch: 2, outcome: 'not-tried' }, { cell: 'c3', batch: null, outcome: 'skipped' }] };
    transport.emit('fleet:finished', { receipt, ended: 'Stopped after batch 1 of 2', cells: { c1: words('Failed'), c2: words('Not tried'), c3: words('Not part of the run') } });
    expect(useFleetSlice.getState().run).toMatchObject({ status: 'finished', cells: { c1: { state: 'ended', kind: 'failed' }, c2: { state: 'ended', kind: 'not-tried', outcome: 'Not tried' } } });
    expect(useFleetSlice.getState().run?.cells.c3).toBeUndefined();

    const retried = useFleetSlice.getState().apply(true);
    expect(transport.take('fleet:apply').arg).toMatchObject({ planId: 'p1', retryRunId: 'r1' });
    off();
    void retried;
  });
  it('sends the batch list as typed (main checks it) and a new choice drops the old plan', () => {
    expect(batchList(' 1, 10% ,,100%')).toEqual([1, '10%', '100%']);
    expect(batchList('ten')).toEqual(['ten']);
    useFleetSlice.getState().choose({ selection: ['c9'] });
    expect(useFleetSlice.getState()).toMatchObject({ plan: null, run: null, selection: ['c9'] });
  });
});
