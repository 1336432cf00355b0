import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from '../../../scripts/testbed/install-testbed';
import { freePort } from '../../../scripts/testbed/registry';
import { closeCellConnection } from '../cell/ssh';
import { timeoutsOf } from '../cell/ssh-context';
import { readActivity } from '../receipts/activity-log';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import type { ServiceManifest } from '../store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { installService, type InstallProgress, type InstallRequest } from './install-flow';
import { uninstallService, type UninstallRequest } from './uninstall';

/**
 * Races and predictable failures on a real cell (sshd + dockerd, compose v2 only), DESIGN 2.2 and
 * 2.5: the mode or key changing while a confirmation or the lock waits (CELL_CHANGED), a listed
 * host port already taken (PORT_IN_USE), a declined pre-flight (no receipt), a cell frozen while
 * an install waits for the lock, and the apply script's "is the app still there" check before
 * the swap. Every refusal leaves the PIC root byte-for-byte as it was and is recorded only in the
 * local activity log; no internal marker ever reaches the progress lines or a message.
 */
let tb: InstallTestbed;
let appRoot: TrustRoot;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
let signedA: string;
let signedB: string;
let unsigned: string;

beforeAll(async () => {
  tb = await startInstallTestbed({ compose: 'v2' });
  appRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
  signedA = await tb.image('demo/races', 'races A');
  signedB = await tb.image('demo/races', 'races B');
  unsigned = await tb.image('demo/races-unsigned', 'races unsigned');
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

const activityLog = () => join(tb.dataDir, 'activity.jsonl');
/** Every progress line a person would see, across the file: checked for markers at the end. */
const shown: string[] = [];

function request(manifest: ServiceManifest, extra: Partial<InstallRequest> = {}): InstallRequest {
  const onProgress = extra.onProgress;
  return {
    manifest, store: null, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: activityLog(), ...extra,
    onProgress: (p: InstallProgress) => {
      if (p.line !== undefined) shown.push(p.line);
      onProgress?.(p);
    },
  };
}

function uninstall(serviceId: string, extra: Partial<UninstallRequest> = {}) {
  return uninstallService({ serviceId, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: activityLog(), onProgress: (l) => shown.push(l), ...extra });
}

async function running(id: string): Promise<string> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim().split('\n').filter(Boolean);
  if (ids.length === 0) return 'none';
  return (await tb.docker(['inspect', '--format', '{{.Config.Image}}|{{.State.Running}}', ids[0]!])).trim();
}

async function cellReceiptIds(): Promise<string[]> {
  const text = await readFile(join(tb.cell.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
}

async function localReceipt(id: string) {
  return (await readActivity(activityLog(), { limit: 100_000 })).receipts.find((r) => r.id === id);
}

async function installed(id: string, image: string, extra: Partial<ServiceManifest> = {}): Promise<void> {
  const { receipt } = await installService(request({ id, name: id, version: 'base', image, ...extra }), async () => true);
  expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('installed');
}

/** A refusal (CELL_CHANGED, PORT_IN_USE): exit-1 class, outcome rejected, in the local log only. */
async function expectRefusal(receipt: { id: string; outcome: string; error: { code: string; message: string } | null }, code: string) {
  expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('rejected');
  expect(receipt.error?.code).toBe(code);
  expect(receipt.error?.message).not.toMatch(/@@|PIC-/);
  expect(await localReceipt(receipt.id)).toMatchObject({ outcome: 'rejected', error: { code } });
  expect(await cellReceiptIds()).not.toContain(receipt.id);
}

/** The PIC root's contents; the empty `store/lock` that taking the lock creates the first time is the lock itself, not a change. */
async function snapshot(): Promise<string> {
  return (await tb.snapshot()).split('\n').filter((l) => !l.startsWith('f store/lock ')).join('\n');
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((c) => c.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('the cell changes while a decision waits (CELL_CHANGED)', () => {
  it('mode tightened (warn → enforce) while the confirmation waits: refused, nothing touched', async () => {
    await tb.setMode('warn');
    let before = '';
    const { receipt, plan } = await installService(request({ id: 'tightened', name: 'T', version: '1', image: unsigned }), async (summary) => {
      expect(summary.decision).toBe('warn');
      await tb.setMode('enforce');
      before = await snapshot();
      return true;
    });
    expect(plan?.status.runtime).toBe('docker compose');
    await expectRefusal(receipt, 'CELL_CHANGED');
    expect(receipt.error?.message).toMatch(/its mode is now enforce \(config\), it was warn \(config\); nothing on the cell was touched/);
    // The receipt records what the admin confirmed and was refused: the mode and decision of the pre-flight.
    expect(receipt).toMatchObject({ mode: { value: 'warn' }, decision: 'warn' });
    expect(await snapshot()).toBe(before);
    expect(await running('tightened')).toBe('none');
  }, 120_000);

  it('cell key replaced while the confirmation waits: refused, nothing touched', async () => {
    await tb.setMode('enforce');
    let before = '';
    try {
      const { receipt } = await installService(request({ id: 'rekeyed', name: 'K', version: '1', image: signedA }), async (summary) => {
        expect(summary.cellKey?.matchesTrustRoot).toBe(true);
        await tb.setCellKey(tb.otherKey.pub);
        before = await snapshot();
        return true;
      });
      await expectRefusal(receipt, 'CELL_CHANGED');
      expect(receipt.error?.message).toMatch(/it now has key [0-9a-f]{64}, it had key [0-9a-f]{64}; nothing on the cell was touched/);
      expect(await snapshot()).toBe(before);
      expect(await running('rekeyed')).toBe('none');
    } finally {
      await tb.setCellKey(tb.storeKey.pub);
    }
  }, 120_000);

  it('the same mode rewritten in other bytes while it waits is no change: the install goes ahead', async () => {
    await tb.setMode('enforce');
    const { receipt } = await installService(request({ id: 'rewritten', name: 'R', version: '1', image: signedA }), async () => {
      await tb.cell.writeFile('config/api/cell_config.json', '{\n  "image_verification": { "mode": "enforce" },\n  "note": "reformatted"\n}\n');
      return true;
    });
    expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('installed');
    expect(await running('rewritten')).toBe(`${signedA}|true`);
    expect((await uninstall('rewritten')).outcome).toBe('uninstalled');
  }, 120_000);

  it('uninstall: the mode changes while it waits for the cell lock: refused, the service still runs', async () => {
    await tb.setMode('enforce');
    await installed('keepme', signedA);
    const holder = await tb.holdCellLock();
    let before = '';
    let atLock!: () => void;
    const waiting = new Promise<void>((r) => (atLock = r));
    const pending = uninstall('keepme', { onStep: (s) => s === 'lock' && atLock() });
    try {
      await waiting;
      await tb.setMode('off');
      before = await snapshot();
    } finally {
      await holder.release();
    }
    const receipt = await pending;
    await expectRefusal(receipt, 'CELL_CHANGED');
    expect(receipt.action).toBe('uninstall');
    expect(receipt.error?.message).toMatch(/its mode is now off \(config\), it was enforce \(config\)/);
    expect(await snapshot()).toBe(before);
    expect(await running('keepme')).toBe(`${signedA}|true`);
    await tb.setMode('enforce');
    expect((await uninstall('keepme')).outcome).toBe('uninstalled');
  }, 180_000);
});

describe('refused or dropped before the cell is touched', () => {
  it('a listed host port already bound on the cell: PORT_IN_USE at pre-flight, never confirmed; its own running port is no conflict', async () => {
    await tb.setMode('enforce');
    const port = await freePort();
    const squatter = await listenOn(port);
    try {
      const before = await snapshot();
      const { receipt, plan } = await installService(request({ id: 'porty', name: 'P', version: '1', image: signedA, ports: [{ host: port, container: 80, protocol: 'tcp' }] }), async () => {
        throw new Error('a refused pre-flight must never ask for confirmation');
      });
      await expectRefusal(receipt, 'PORT_IN_USE');
      expect(receipt.error?.message).toContain(`host port ${port}/tcp is already in use on the cell`);
      expect(plan?.summary?.portConflicts).toEqual([{ host: port, protocol: 'tcp' }]);
      expect(await snapshot()).toBe(before);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    // Once free it installs; an upgrade keeping the port its own running version holds is allowed.
    await installed('porty', signedA, { ports: [{ host: port, container: 80, protocol: 'tcp' }] });
    const up = await installService(request({ id: 'porty', name: 'P', version: '2', image: signedB, ports: [{ host: port, container: 80, protocol: 'tcp' }] }), async (s) => s.portConflicts.length === 0);
    expect(up.receipt.outcome, JSON.stringify(up.receipt.error)).toBe('installed');
    expect(await running('porty')).toBe(`${signedB}|true`);
    expect((await uninstall('porty')).outcome).toBe('uninstalled');
  }, 180_000);

  it('a declined pre-flight writes no receipt, locally or on the cell', async () => {
    await tb.setMode('enforce');
    const local = (await readActivity(activityLog(), { limit: 100_000 })).receipts.length;
    const before = await snapshot();
    const result = await installService(request({ id: 'declined', name: 'D', version: '1', image: signedA }), async () => false);
    expect(result.declined).toBe(true);
    expect(result.receipt.error?.code).toBe('NOT_CONFIRMED');
    expect((await readActivity(activityLog(), { limit: 100_000 })).receipts).toHaveLength(local);
    expect(await localReceipt(result.receipt.id)).toBeUndefined();
    expect(await snapshot()).toBe(before);
  }, 120_000);
});

describe('a cell frozen while an install waits for the lock', () => {
  it('fails within the keepalive bound; after the thaw the script reaches the swap, sees the app gone and stops: the cell is unchanged', async () => {
    await tb.setMode('enforce');
    await installed('frozen', signedA);
    // signedB is in the cell's dockerd by digest: no pull, so after the thaw the script reaches the swap check at once.
    const before = await snapshot();
    const holder = await tb.holdCellLock();
    const seen: string[] = [];
    let watcher: FSWatcher | null = null;
    let frozeAt = 0;
    let receipt;
    try {
      ({ receipt } = await installService(request({ id: 'frozen', name: 'F', version: '2', image: signedB }, {
        onProgress: (p) => {
          if (p.phase === 'lock' && !p.line && !frozeAt) {
            frozeAt = Date.now();
            void tb.cell.freeze();
          }
        },
      }), async () => true));
      const t = timeoutsOf(tb.ssh);
      // Keepalive detection (interval × (count + 1) at most) and one reconnect attempt (connect timeout), plus slack for a
      // loaded 2-core machine: bounded by the ssh timeouts, far below the lock wait (300 s) an unbounded failure would take.
      const bound = (t.serverAliveIntervalSec * (t.serverAliveCountMax + 1) + t.connectTimeoutSec) * 1000 + 15_000;
      expect(frozeAt).toBeGreaterThan(0);
      expect(Date.now() - frozeAt, 'bounded failure').toBeLessThan(bound);
    } finally {
      await tb.cell.thaw();
    }
    expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('failed');
    expect(['CELL_TIMEOUT', 'CONNECTION_LOST']).toContain(receipt.error?.code);
    expect(receipt.error?.message).toMatch(/interrupted during "lock"/);
    // Let sshd notice the dead connections: the script's session is gone before the lock frees.
    for (let i = 0; i < 100 && (await tb.cell.sessionPids()).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await tb.cell.sessionPids()).toEqual([]);
    watcher = watch(join(tb.cell.root, 'services'), (_e, name) => seen.push(String(name)));
    try {
      await holder.release();
      await tb.waitCellLockFree(60);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      watcher.close();
    }
    // The orphaned script took the lock and staged (so it really ran on), then stopped before the swap.
    expect(seen.some((n) => n.startsWith('.staging-frozen-')), seen.join(',')).toBe(true);
    expect(seen.some((n) => n.startsWith('.previous-frozen-') || n === 'frozen'), seen.join(',')).toBe(false);
    expect(await snapshot()).toBe(before);
    expect(await running('frozen')).toBe(`${signedA}|true`);
    expect(await cellReceiptIds()).not.toContain(receipt.id);
    const next = await installService(request({ id: 'frozen', name: 'F', version: '3', image: signedB }), async () => true);
    expect(next.receipt.outcome, JSON.stringify(next.receipt.error)).toBe('installed');
    expect((await uninstall('frozen')).outcome).toBe('uninstalled');
  }, 180_000);
});

describe('what a person sees', () => {
  it('no progress line of this file carried an internal marker or a status-report line', () => {
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((l) => /@@|PIC-STATUS|PIC-FAIL/.test(l))).toEqual([]);
  });
});
