// Faults and cancellation mid-install on a real cell, and the built CLI against it (the same
// testbed as install.itest.ts, compose v1): each fault leaves the cell as it was.
import { join } from 'node:path';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { readActivity } from '../receipts/activity-log';
import type { ServiceManifest } from '../store/manifest-schema';
import { installService } from './install-flow';
import { cellReceipts, cellState, ensureRunning, faultBoundMs, freshImage, localReceipt, request, runningImage, signedA, signedB, tb, unsigned, useInstallSuite, yes } from '../../../scripts/testbed/install-suite';

useInstallSuite();

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

describe('the built CLI against the real cell', () => {
  let home: string;

  const run = (args: string[]) => runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: home }, timeoutMs: 120_000 });
  const cellArgs = () => ['--cell', tb.cell.alias, '--ssh-config', tb.cell.sshConfig, '--root', tb.cell.root];
  const manifestFile = async (m: ServiceManifest) => {
    const f = join(home, `${m.id}.json`);
    await writeFile(f, JSON.stringify(m));
    return f;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'pic-cli-home-'));
    await buildCli();
  }, 180_000);
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('install --yes --json installs (exit 0), an unsigned image is rejected (exit 1), uninstall removes it (exit 0)', async () => {
    await tb.setMode('enforce');
    const ok = await run(['install', await manifestFile({ id: 'clisvc', name: 'CLI', version: '1', image: signedA }), ...cellArgs(), '--yes', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const receipt = JSON.parse(ok.stdout) as { outcome: string; decision: string; digest: string; verification: { verified: boolean } };
    expect(receipt).toMatchObject({ outcome: 'installed', decision: 'allow', digest: signedA.split('@')[1], verification: { verified: true } });
    expect(await runningImage('clisvc')).toBe(`${signedA}|true`);

    const before = await tb.snapshot();
    const bad = await run(['install', await manifestFile({ id: 'cliunsigned', name: 'CLI unsigned', version: '1', image: unsigned }), ...cellArgs(), '--yes', '--json']);
    expect(bad.code, bad.stderr).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ outcome: 'rejected', decision: 'block', verification: { verified: false, reason: 'SIGNATURE_NOT_FOUND' } });
    expect(await tb.snapshot()).toBe(before);

    const noTty = await run(['install', await manifestFile({ id: 'clisvc', name: 'CLI', version: '2', image: signedB }), ...cellArgs()]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);

    const un = await run(['uninstall', 'clisvc', ...cellArgs(), '--json']);
    expect(un.code, un.stderr).toBe(0);
    expect(JSON.parse(un.stdout)).toMatchObject({ outcome: 'uninstalled', action: 'uninstall', service: { id: 'clisvc' } });
    expect((await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-clisvc'])).trim()).toBe('');
    const log = await readActivity(join(home, 'activity.jsonl'));
    expect(log.receipts.map((r) => r.outcome).sort()).toEqual(['installed', 'rejected', 'uninstalled']);
  }, 180_000);

  it('--cell NAME (and cell status NAME) use the app\'s cell profile of that name; an unreadable cells.json is an error, not a guess', async () => {
    await tb.setMode('enforce');
    const cells = join(home, 'cells.json');
    // Only the profile knows how to reach this cell: its destination is the Host alias of its own ssh config, and its root is not /opt/pic.
    await writeFile(cells, JSON.stringify({ version: 1, cells: [{ id: 'c0ffee00-0000-4000-8000-000000000001', name: 'lab cell', destination: tb.cell.alias, sshConfig: tb.cell.sshConfig, root: tb.cell.root }] }));
    try {
      const st = await run(['cell', 'status', 'lab cell', '--json']);
      expect(st.code, st.stderr).toBe(0);
      expect(JSON.parse(st.stdout)).toMatchObject({ mode: { value: 'enforce', source: 'config' }, cellKey: { fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }, runtime: 'docker-compose' });
      const ok = await run(['install', await manifestFile({ id: 'cliprofile', name: 'CLI profile', version: '1', image: signedA }), '--cell', 'lab cell', '--yes', '--json']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'installed', cell: { name: 'lab cell', destination: tb.cell.alias, root: tb.cell.root } });
      expect(await runningImage('cliprofile')).toBe(`${signedA}|true`);
      const un = await run(['uninstall', 'cliprofile', '--cell', 'lab cell', '--json']);
      expect(un.code, un.stderr).toBe(0);
      expect(JSON.parse(un.stdout)).toMatchObject({ outcome: 'uninstalled', cell: { name: 'lab cell', root: tb.cell.root } });
      // A DEST that names no profile is an OpenSSH destination, with the defaults: a name with a space is none.
      const none = await run(['cell', 'status', 'no such cell', '--json']);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/whitespace/);
      await writeFile(cells, '{"version": 1, "cells": [');
      const corrupt = await run(['cell', 'status', 'lab cell', '--json']);
      expect(corrupt.code).toBe(3);
      expect(corrupt.stdout + corrupt.stderr).toContain('cells.json');
    } finally {
      await rm(cells, { force: true });
    }
  }, 180_000);
});
