import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from '../../../../scripts/testbed/install-testbed';
import { addCellProfile } from '../../../core/cell/profiles';
import { closeCellConnection } from '../../../core/cell/ssh';
import { readActivity } from '../../../core/receipts/activity-log';
import type { InstallOutcome, InstallProgressEvent, InstallStage } from '../../contract/channels/installs';
import type { IpcResult } from '../../contract/domain';
import { IpcRouter, type IpcSender } from '../router';
import { createServices, type AppServices } from '../services/app-services';
import { registerInstallsHandlers } from './installs';

/**
 * The installs IPC domain against the real test cell (sshd + dockerd + registry + cosign): what
 * the install dialog sends, and what it gets back and is pushed, with nothing faked.
 */
let tb: InstallTestbed;
let appConfigDir: string;
let storeDir: string;
let cellId: string;
let router: IpcRouter;
let services: AppServices;
const events: { channel: string; payload: unknown }[] = [];
const sender: IpcSender = { transport: 'browser-shell', id: 'itest', trusted: true };
const port = 19000 + (process.pid % 500);

async function call<T>(channel: string, arg: unknown): Promise<T> {
  const r = (await router.dispatch(channel, arg, sender)) as IpcResult<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data;
}

beforeAll(async () => {
  tb = await startInstallTestbed();
  await tb.setMode('enforce');
  const signed = await tb.image('demo/web', 'ipc signed');
  await tb.sign(signed);
  const unsigned = await tb.image('demo/unsigned', 'ipc unsigned');
  appConfigDir = await mkdtemp(join(tmpdir(), 'pic-ipc-appcfg-'));
  await mkdir(join(appConfigDir, 'cosign'));
  await mkdir(join(tb.dataDir, 'trust'), { recursive: true });
  await writeFile(join(tb.dataDir, 'trust', 'test.pub'), await readFile(tb.storeKey.pub));
  storeDir = await mkdtemp(join(tmpdir(), 'pic-ipc-store-'));
  const index = {
    schemaVersion: 1,
    name: 'IPC test store',
    services: [
      { id: 'web', name: 'Web', version: '1.0', image: signed, ports: [{ host: port, container: 80, protocol: 'tcp' }], environment: { GREETING: 'hello $HOME' } },
      { id: 'shady', name: 'Shady', version: '0.1', image: unsigned },
    ],
  };
  await writeFile(join(storeDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(tb.dataDir, 'stores.json'), JSON.stringify({ stores: [{ name: 'IPC test store', url: pathToFileURL(join(storeDir, 'index.json')).href }] }));
  const { id: _id, ...input } = tb.profile;
  void _id;
  cellId = (await addCellProfile(tb.dataDir, { ...input, name: 'itest cell' })).id;
  services = createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: tb.dataDir, PIC_STORE_APP_CONFIG: appConfigDir }, startDir: appConfigDir, openExternal: async () => false });
  router = new IpcRouter(services.events);
  router.onEvent((channel, payload) => events.push({ channel, payload }));
  registerInstallsHandlers(router, services);
}, 240_000);

afterAll(async () => {
  await services?.dispose();
  if (tb) {
    await closeCellConnection(tb.profile, { dataDir: tb.dataDir }).catch(() => undefined);
    await tb.stop();
  }
  await rm(appConfigDir, { recursive: true, force: true }).catch(() => undefined);
  await rm(storeDir, { recursive: true, force: true }).catch(() => undefined);
}, 120_000);

const storeId = () => pathToFileURL(join(storeDir, 'index.json')).href;

describe('installs IPC on a real cell', () => {
  it('rejects malformed arguments before reaching core', async () => {
    const r = await router.dispatch('installs:start', { sessionId: 'not-a-uuid', storeId: 'x', serviceId: 'web', cellId }, sender);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('IPC_BAD_ARGUMENT');
  });

  it('a verified service: pre-flight, confirm, live output, installed receipt; then logs and uninstall', async () => {
    const sessionId = crypto.randomUUID();
    const stage = await call<InstallStage>('installs:start', { sessionId, storeId: storeId(), serviceId: 'web', cellId });
    expect(stage.stage).toBe('confirm');
    if (stage.stage !== 'confirm') return;
    expect(stage.summary.decision).toBe('allow');
    expect(stage.summary.verdict.verified).toBe(true);
    expect(stage.summary.listing.label).toBe('from the store listing, not signed');
    expect(stage.summary.listing.environment).toEqual({ GREETING: 'hello $HOME' });
    expect(stage.summary.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stage.verdict.title).toBe('Verified');
    expect(stage.mode.sentence).toMatch(/enforce/);
    const outcome = await call<InstallOutcome>('installs:confirm', { sessionId });
    expect(outcome.receipt.error).toBeNull();
    expect(outcome.receipt.outcome).toBe('installed');
    expect(outcome.receipt.decision).toBe('allow');
    expect(outcome.verdict?.code).toBe('VERIFIED');
    const mine = events.filter((e) => e.channel === 'installs:progress' && (e.payload as InstallProgressEvent).sessionId === sessionId).map((e) => e.payload as InstallProgressEvent);
    expect(mine.map((p) => p.phase)).toEqual(expect.arrayContaining(['status', 'verify', 'confirm', 'pull', 'up', 'done']));
    expect(mine.some((p) => p.line !== undefined)).toBe(true);
    expect(events.some((e) => e.channel === 'installs:finished' && (e.payload as InstallOutcome).receipt.id === outcome.receipt.id)).toBe(true);
    const ids = (await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim();
    expect(ids).not.toBe('');
    const state = await call<{ output: string }>('installs:service', { cellId, serviceId: 'web', op: 'state' });
    expect(state.output).toMatch(/Up/);
    const listing = await call<{ storeId: string | null; version: string | null }>('installs:find-listing', { serviceId: 'web' });
    expect(listing).toEqual({ storeId: storeId(), version: '1.0' });
    // Upgrade path: the same listing again is an upgrade in the pre-flight; declining it is no attempt and records nothing (DESIGN 2.5).
    const again = crypto.randomUUID();
    const up = await call<InstallStage>('installs:start', { sessionId: again, storeId: storeId(), serviceId: 'web', cellId });
    expect(up.stage === 'confirm' && up.summary.upgrade?.from.version).toBe('1.0');
    expect(await call('installs:cancel', { sessionId: again })).toEqual({ cancelled: true });
    await expect.poll(() => events.some((e) => e.channel === 'installs:finished' && (e.payload as InstallOutcome).sessionId === again), { timeout: 10_000 }).toBe(true);
    const cancelled = events.find((e) => e.channel === 'installs:finished' && (e.payload as InstallOutcome).sessionId === again)!.payload as InstallOutcome;
    expect(cancelled.receipt.outcome).toBe('cancelled');
    expect(cancelled.declined).toBe(true);
    expect((await readActivity(join(tb.dataDir, 'activity.jsonl'))).receipts.map((r) => r.id)).not.toContain(cancelled.receipt.id);
    const gone = await call<InstallOutcome>('installs:uninstall', { cellId, serviceId: 'web', purgeVolumes: false });
    expect(gone.receipt.outcome).toBe('uninstalled');
    expect((await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim()).toBe('');
    const log = await readActivity(join(tb.dataDir, 'activity.jsonl'));
    expect(log.receipts.map((r) => r.outcome)).toEqual(expect.arrayContaining(['installed', 'uninstalled']));
    expect(log.receipts.map((r) => r.id)).not.toContain(cancelled.receipt.id);
  }, 180_000);

  it('an unsigned service in enforce: finished at once, rejected, with the catalogue reason and the cell untouched', async () => {
    const before = await tb.snapshot();
    const stage = await call<InstallStage>('installs:start', { sessionId: crypto.randomUUID(), storeId: storeId(), serviceId: 'shady', cellId });
    expect(stage.stage).toBe('finished');
    if (stage.stage !== 'finished') return;
    expect(stage.outcome.receipt.outcome).toBe('rejected');
    expect(stage.outcome.receipt.decision).toBe('block');
    expect(stage.outcome.verdict?.code).toBe('SIGNATURE_NOT_FOUND');
    expect(stage.outcome.verdict?.sentence.length).toBeGreaterThan(10);
    expect(stage.outcome.why).toMatch(/blocked/);
    expect(await tb.snapshot()).toBe(before);
    const noSession = await router.dispatch('installs:confirm', { sessionId: stage.sessionId }, sender);
    expect(!noSession.ok && noSession.error.code).toBe('SESSION_NOT_FOUND');
  }, 120_000);

  it('Cancel while core is still planning aborts it: a cancelled receipt, nothing installed', async () => {
    const sessionId = crypto.randomUUID();
    const started = call<InstallStage>('installs:start', { sessionId, storeId: storeId(), serviceId: 'web', cellId });
    await expect.poll(() => events.some((e) => e.channel === 'installs:progress' && (e.payload as InstallProgressEvent).sessionId === sessionId), { timeout: 20_000 }).toBe(true);
    expect(await call('installs:cancel', { sessionId })).toEqual({ cancelled: true });
    const stage = await started;
    expect(stage.stage).toBe('finished');
    if (stage.stage !== 'finished') return;
    expect(stage.outcome.receipt.outcome).toBe('cancelled');
    expect((await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim()).toBe('');
    expect(await call('installs:cancel', { sessionId })).toEqual({ cancelled: false });
  }, 60_000);
});
