// The install integration tests' shared setup (install.itest.ts, install-faults.itest.ts): one
// testbed per compose runtime the cell offers (a real registry, a real cell with sshd + dockerd,
// cosign keys made now), two signed images and an unsigned one, and helpers that read the cell's
// state back. A test file calls useInstallSuite() once at top level; the bindings are live.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';
import type { ComposeRuntime } from './cell';
import { closeCellConnection } from '../../electron/core/cell/ssh';
import { readActivity } from '../../electron/core/receipts/activity-log';
import { RegistrySource } from '../../electron/core/registry/registry-source';
import { RegistrySourcePool } from '../../electron/core/registry/registry-pool';
import type { ServiceManifest } from '../../electron/core/store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../../electron/core/trust/trust-root';
import { installService, type InstallRequest } from '../../electron/core/install/install-flow';
import { timeoutsOf } from '../../electron/core/cell/ssh-context';

export let tb: InstallTestbed;
export let appRoot: TrustRoot;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
export let signedA: string;
export let signedB: string;
export let unsigned: string;

/**
 * One testbed per compose runtime the cell offers (DESIGN 2.2: both are first-class): the main
 * install block runs on each; the fault, cancel and CLI blocks on bookworm's v1. `tb` and the
 * images are those of the testbed in use.
 */
const testbeds: Partial<Record<ComposeRuntime, { tb: InstallTestbed; appRoot: TrustRoot; signedA: string; signedB: string; unsigned: string }>> = {};

export async function useTestbed(compose: ComposeRuntime): Promise<void> {
  let t = testbeds[compose];
  if (!t) {
    const bed = await startInstallTestbed({ compose });
    testbeds[compose] = t = { tb: bed, appRoot: await loadTrustRootFromFiles([bed.storeKey.pub], 'local'), signedA: await bed.image('demo/web', 'version A'), signedB: await bed.image('demo/web', 'version B'), unsigned: await bed.image('demo/unsigned', 'unsigned') };
    await bed.sign(t.signedA);
    await bed.sign(t.signedB);
  }
  ({ tb, appRoot, signedA, signedB, unsigned } = t);
}

export async function stopTestbed(compose: ComposeRuntime): Promise<void> {
  const t = testbeds[compose];
  delete testbeds[compose];
  if (!t) return;
  await closeCellConnection(t.tb.profile, t.tb.ssh).catch(() => undefined);
  await t.tb.stop();
}

/** Starts the v1 testbed before the file's tests and stops every testbed after them, even when they fail. */
export function useInstallSuite(): void {
  beforeAll(() => useTestbed('v1'), 180_000);
  afterAll(async () => {
    pool.close();
    for (const c of Object.keys(testbeds) as ComposeRuntime[]) await stopTestbed(c);
  }, 120_000);
}

export function request(manifest: ServiceManifest, extra: Partial<InstallRequest> = {}): InstallRequest {
  return { manifest, store: { name: 'test', url: 'file:test' }, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: join(tb.dataDir, 'activity.jsonl'), ...extra };
}

export const yes = async () => true;

/** A listener of the test's own on a host port (loopback), as another program on the cell would hold it. */
export function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((c) => c.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export async function runningImage(id: string): Promise<string> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim().split('\n').filter(Boolean);
  expect(ids).toHaveLength(1);
  return (await tb.docker(['inspect', '--format', '{{.Config.Image}}|{{.State.Running}}', ids[0]!])).trim();
}

export async function cellReceipts(): Promise<{ id: string; outcome: string; digest: string | null; service: { id: string } }[]> {
  const text = await readFile(join(tb.cell.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; outcome: string; digest: string | null; service: { id: string } });
}

export const activityLog = () => join(tb.dataDir, 'activity.jsonl');

/** The local activity log's receipt with this id (the log is read whole, newest first). */
export async function localReceipt(id: string) {
  return (await readActivity(activityLog(), { limit: 100_000 })).receipts.find((r) => r.id === id);
}

/** Installs `image` as `id` unless it already runs exactly that image (each fault test sets up its own state). */
export async function ensureRunning(id: string, image: string): Promise<void> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim();
  if (ids && (await runningImage(id)) === `${image}|true`) return;
  const { receipt } = await installService(request({ id, name: 'Fault', version: 'base', image }), yes);
  expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('installed');
}

/** A signed image the cell's dockerd does not hold yet, so the pull really goes to the registry (and takes a while). */
export async function freshImage(repo: string, label: string): Promise<string> {
  const ref = await tb.image(repo, label);
  await tb.sign(ref);
  const id = (await tb.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  await tb.docker(['rmi', '-f', id]);
  return ref;
}

/**
 * How long a cut connection may take to surface as the attempt's receipt: the keepalive's
 * detection (interval × count), then one reconnect to learn how the cell ended (connect timeout),
 * plus slack for the processes involved.
 */
export const faultBoundMs = () => {
  const t = timeoutsOf(tb.ssh);
  return (t.serverAliveIntervalSec * t.serverAliveCountMax + t.connectTimeoutSec) * 1000 + 5000;
};

export async function cellState(id: string) {
  const { readdir } = await import('node:fs/promises');
  return {
    running: await runningImage(id),
    manifest: (JSON.parse(await readFile(join(tb.cell.root, `services/${id}/manifest.json`), 'utf8')) as { image: string }).image,
    receipt: (JSON.parse(await readFile(join(tb.cell.root, `services/${id}/receipt.json`), 'utf8')) as { id: string }).id,
    leftovers: (await readdir(join(tb.cell.root, 'services'))).filter((n) => n.startsWith('.')),
  };
}
