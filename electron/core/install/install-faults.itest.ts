// Faults and cancellation mid-install on a real cell (the same testbed as install.itest.ts):
// sshd killed or frozen mid-pull, and a cancel at each phase, each leaving the cell as it was.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { timeoutsOf } from '../cell/ssh-context';
import { readActivity } from '../receipts/activity-log';
import { installService } from './install-flow';
import { cellReceipts, localReceipt, request, runningImage, signedA, signedB, tb, useInstallSuite, yes } from '../../../scripts/testbed/install-suite';

useInstallSuite();

/** Installs `image` as `id` unless it already runs exactly that image (each fault test sets up its own state). */
async function ensureRunning(id: string, image: string): Promise<void> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim();
  if (ids && (await runningImage(id)) === `${image}|true`) return;
  const { receipt } = await installService(request({ id, name: 'Fault', version: 'base', image }), yes);
  expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('installed');
}

/** A signed image the cell's dockerd does not hold yet, so the pull really goes to the registry (and takes a while). */
async function freshImage(repo: string, label: string): Promise<string> {
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
const faultBoundMs = () => {
  const t = timeoutsOf(tb.ssh);
  return (t.serverAliveIntervalSec * t.serverAliveCountMax + t.connectTimeoutSec) * 1000 + 5000;
};

async function cellState(id: string) {
  const { readdir } = await import('node:fs/promises');
  return {
    running: await runningImage(id),
    manifest: (JSON.parse(await readFile(join(tb.cell.root, `services/${id}/manifest.json`), 'utf8')) as { image: string }).image,
    receipt: (JSON.parse(await readFile(join(tb.cell.root, `services/${id}/receipt.json`), 'utf8')) as { id: string }).id,
    leftovers: (await readdir(join(tb.cell.root, 'services'))).filter((n) => n.startsWith('.')),
  };
}

describe('faults mid-install', () => {
  beforeAll(async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
  }, 120_000);

  it('sshd killed mid-pull: connection-lost error at once, the previous version keeps running, the next install succeeds', async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
    const prior = await cellState('fault');
    const target = await freshImage('demo/fault', 'killed mid-pull');
    let killedAt = 0;
    const { receipt } = await installService(request({ id: 'fault', name: 'Fault', version: 'k', image: target }, {
      onProgress: (p) => {
        if (p.phase === 'pull' && !p.line && !killedAt) {
          killedAt = Date.now();
          void tb.cell.killSessions();
        }
      },
    }), yes);
    const elapsed = Date.now() - killedAt;
    expect(killedAt).toBeGreaterThan(0);
    expect(elapsed, `${elapsed} ms`).toBeLessThan(faultBoundMs());
    expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('failed');
    expect(receipt.error?.code).toBe('CONNECTION_LOST');
    // The reconnect found the cell had not completed (the swap never happened) and says so.
    expect(receipt.error?.message).toMatch(/interrupted during "pull"/);
    expect(receipt.error?.message).toMatch(/did not complete the upgrade and keeps its previous state/);
    expect(await cellState('fault')).toEqual({ ...prior, leftovers: [] });
    expect(prior.running).toBe(`${signedA}|true`);
    expect(await localReceipt(receipt.id)).toMatchObject({ outcome: 'failed', error: { code: 'CONNECTION_LOST' } });
    expect((await cellReceipts()).find((r) => r.id === receipt.id)).toMatchObject({ outcome: 'failed' });
    const next = await installService(request({ id: 'fault', name: 'Fault', version: 'n', image: target }), yes);
    expect(next.receipt.outcome, JSON.stringify(next.receipt.error)).toBe('installed');
    expect(await runningImage('fault')).toBe(`${target}|true`);
  }, 180_000);

  it('sshd frozen mid-pull: timeout error within the keepalive bound; after the thaw the cell has not swapped, and the next install succeeds', async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
    const prior = await cellState('fault');
    const before = await tb.snapshot();
    const target = await freshImage('demo/fault', 'frozen mid-pull');
    let frozeAt = 0;
    let receipt;
    try {
      ({ receipt } = await installService(request({ id: 'fault', name: 'Fault', version: 'f', image: target }, {
        onProgress: (p) => {
          if (p.phase === 'pull' && !p.line && !frozeAt) {
            frozeAt = Date.now();
            void tb.cell.freeze();
          }
        },
      }), yes));
    } finally {
      await tb.cell.thaw();
    }
    const elapsed = Date.now() - frozeAt;
    expect(frozeAt).toBeGreaterThan(0);
    expect(elapsed, `${elapsed} ms`).toBeLessThan(faultBoundMs());
    expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('failed');
    // A hang, not a refusal: the keepalive gave up, and so did the reconnect to the frozen sshd.
    expect(['CELL_TIMEOUT', 'CONNECTION_LOST'], JSON.stringify(receipt.error)).toContain(receipt.error?.code);
    expect(receipt.error?.message).toMatch(/interrupted during "pull"/);
    expect(receipt.error?.message).toMatch(/could not be reached afterwards \(.*(timed out|not responding)/);
    // The script on the cell resumes with the thaw; once it has ended (the lock is free), the cell
    // has not swapped to the new version: nothing under the PIC root changed and the old container runs.
    await tb.waitCellLockFree(60);
    expect(await tb.snapshot()).toBe(before);
    expect(await cellState('fault')).toEqual(prior);
    expect(prior.running).toBe(`${signedA}|true`);
    expect((await cellReceipts()).map((r) => r.id)).not.toContain(receipt.id);
    expect(await localReceipt(receipt.id)).toMatchObject({ outcome: 'failed' });
    const next = await installService(request({ id: 'fault', name: 'Fault', version: 'n2', image: target }), yes);
    expect(next.receipt.outcome, JSON.stringify(next.receipt.error)).toBe('installed');
    expect(await runningImage('fault')).toBe(`${target}|true`);
  }, 180_000);
});

describe('cancel', () => {
  beforeAll(async () => {
    await tb.setMode('enforce');
    await ensureRunning('cancel', signedA);
  }, 120_000);

  it('during the pull: a cancelled receipt, the cell keeps its previous state, the next install succeeds', async () => {
    await tb.setMode('enforce');
    await ensureRunning('cancel', signedA);
    const target = await freshImage('demo/cancel', 'cancel during pull');
    const ac = new AbortController();
    const { receipt } = await installService(request({ id: 'cancel', name: 'Cancel', version: 'c1', image: target }, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'pull' && !p.line) ac.abort();
      },
    }), yes);
    expect(receipt.outcome).toBe('cancelled');
    expect(receipt.error?.code).toBe('CANCELLED');
    expect(receipt.error?.message).toMatch(/did not complete the (install|upgrade) and keeps its previous state/);
    expect(await runningImage('cancel')).toBe(`${signedA}|true`);
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/cancel/manifest.json'), 'utf8'))).toMatchObject({ image: signedA });
    expect((await readActivity(join(tb.dataDir, 'activity.jsonl'))).receipts[0]).toMatchObject({ id: receipt.id, outcome: 'cancelled' });
    const next = await installService(request({ id: 'cancel', name: 'Cancel', version: 'c2', image: target }), yes);
    expect(next.receipt.outcome).toBe('installed');
    expect(await runningImage('cancel')).toBe(`${target}|true`);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(tb.cell.root, 'services'))).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);

  it('after the swap: the receipt says what the cell actually did (completed, or rolled back to the previous state)', async () => {
    await tb.setMode('enforce');
    await ensureRunning('cancel', signedA);
    const target = await freshImage('demo/cancel', 'cancel after swap');
    const ac = new AbortController();
    const { receipt } = await installService(request({ id: 'cancel', name: 'Cancel', version: 'c3', image: target }, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'up' && !p.line) ac.abort();
      },
    }), yes);
    const running = await runningImage('cancel');
    const onCell = JSON.parse(await readFile(join(tb.cell.root, 'services/cancel/receipt.json'), 'utf8')) as { id: string };
    if (receipt.outcome === 'installed') {
      expect(running).toBe(`${target}|true`);
      expect(onCell.id).toBe(receipt.id);
      expect((await cellReceipts()).filter((r) => (r as unknown as { id: string }).id === receipt.id)).toHaveLength(1);
    } else {
      expect(receipt.outcome).toBe('cancelled');
      expect(receipt.error?.message).toMatch(/previous state/);
      expect(running).toBe(`${signedA}|true`);
      expect(onCell.id).not.toBe(receipt.id);
    }
    const next = await installService(request({ id: 'cancel', name: 'Cancel', version: 'c4', image: signedB }), yes);
    expect(next.receipt.outcome).toBe('installed');
    expect(await runningImage('cancel')).toBe(`${signedB}|true`);
  }, 180_000);
});
