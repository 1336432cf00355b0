// The install integration tests' shared setup: one install testbed per test file (a real
// registry, a real cell with sshd + dockerd, cosign keys made now), two signed images and an
// unsigned one, and the helpers that read the cell's state back. A test file calls
// useInstallSuite() once at top level; the bindings below are live (set in its beforeAll).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { closeCellConnection } from '../../electron/core/cell/ssh';
import type { InstallRequest } from '../../electron/core/install/install-flow';
import { readActivity } from '../../electron/core/receipts/activity-log';
import { RegistrySource } from '../../electron/core/registry/registry-source';
import { RegistrySourcePool } from '../../electron/core/registry/registry-pool';
import type { ServiceManifest } from '../../electron/core/store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../../electron/core/trust/trust-root';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';

export let tb: InstallTestbed;
export let appRoot: TrustRoot;
export let signedA: string;
export let signedB: string;
export let unsigned: string;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));

/** Starts the testbed before the file's tests and stops it after them, even when they fail. */
export function useInstallSuite(): void {
  beforeAll(async () => {
    tb = await startInstallTestbed();
    appRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
    signedA = await tb.image('demo/web', 'version A');
    signedB = await tb.image('demo/web', 'version B');
    unsigned = await tb.image('demo/unsigned', 'unsigned');
    await tb.sign(signedA);
    await tb.sign(signedB);
  }, 180_000);

  afterAll(async () => {
    pool.close();
    if (tb) {
      await closeCellConnection(tb.profile, tb.ssh).catch(() => undefined);
      await tb.stop();
    }
  }, 120_000);
}

export function request(manifest: ServiceManifest, extra: Partial<InstallRequest> = {}): InstallRequest {
  return { manifest, store: { name: 'test', url: 'file:test' }, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: join(tb.dataDir, 'activity.jsonl'), ...extra };
}

export const yes = async () => true;

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
