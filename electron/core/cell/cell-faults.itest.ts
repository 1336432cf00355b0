// Faults on the real test cell: a killed, frozen or refusing sshd gives a clear error within the
// timeout (cell.itest.ts covers host keys and status).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCell, type TestCell } from '../../../scripts/testbed/cell';
import { confirmHostKey } from './host-keys';
import { adHocProfile } from './profiles';
import { runRemote } from './ssh';
import { getCellStatus } from './status';
import { noTrust, profileFor, trustedCtx, track, useCellCleanup } from '../../../scripts/testbed/cell-suite';

useCellCleanup();

describe('faults: a clear error within the timeout', () => {
  let cell: TestCell;
  const fast = { connectTimeoutSec: 2, serverAliveIntervalSec: 1, serverAliveCountMax: 2, controlPersistSec: 30 };
  beforeAll(async () => {
    cell = await startTestCell();
  });
  afterAll(async () => {
    await cell?.thaw();
    await cell?.stop();
  });

  it('sshd session killed mid-command (host crash) → CONNECTION_LOST at once', async () => {
    const ctx = await trustedCtx(cell, fast);
    const p = profileFor(cell, ctx);
    await getCellStatus(p, ctx, { trustRoot: noTrust });
    const t0 = performance.now();
    const pending = runRemote(p, 'sleep 30', ctx).catch((e) => e);
    await new Promise((r) => setTimeout(r, 500));
    await cell.killSessions();
    const err = await pending;
    const ms = performance.now() - t0;
    expect(err.message, JSON.stringify(err.details)).toMatch(/connection to .* was lost/);
    expect(err.code).toBe('CONNECTION_LOST');
    expect(ms).toBeLessThan(5000);
  });

  it('sshd frozen (SIGSTOP) with a live connection → CELL_TIMEOUT within the keepalive window', async () => {
    const ctx = await trustedCtx(cell, fast);
    const p = profileFor(cell, ctx);
    await getCellStatus(p, ctx, { trustRoot: noTrust });
    await cell.freeze();
    try {
      const t0 = performance.now();
      const err = await getCellStatus(p, ctx, { trustRoot: noTrust, timeoutMs: 20_000 }).catch((e) => e);
      const ms = performance.now() - t0;
      console.log(`frozen cell (live master) detected after ${ms.toFixed(0)} ms: ${err.code}: ${err.message}`);
      expect(['CELL_TIMEOUT', 'CONNECTION_LOST']).toContain(err.code);
      expect(ms).toBeLessThan(10_000);
    } finally {
      await cell.thaw();
      await cell.killSessions();
    }
  });

  it('sshd frozen (SIGSTOP) with no connection → CELL_TIMEOUT within ConnectTimeout', async () => {
    const ctx = await trustedCtx(cell, fast);
    const p = profileFor(cell, ctx);
    await cell.freeze();
    try {
      const t0 = performance.now();
      const err = await getCellStatus(p, ctx, { trustRoot: noTrust, timeoutMs: 20_000 }).catch((e) => e);
      const ms = performance.now() - t0;
      console.log(`frozen sshd (new connection) detected after ${ms.toFixed(0)} ms: ${err.code}: ${err.message}`);
      expect(err.code).toBe('CELL_TIMEOUT');
      expect(ms).toBeLessThan(8000);
    } finally {
      await cell.thaw();
    }
  });

  it('auth failure → AUTH_FAILED; a passphrase key not in an agent → KEY_NEEDS_PASSPHRASE', async () => {
    const ctx = await trustedCtx(cell, fast);
    const p = profileFor(cell, ctx);
    await cell.removeAuthorizedKey();
    const err = await getCellStatus(p, ctx, { trustRoot: noTrust }).catch((e) => e);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/refused the login .*Permission denied/);

    const { execFileSync } = await import('node:child_process');
    const locked = join(ctx.dataDir, 'id_locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', locked]);
    const lp = track(adHocProfile({ destination: cell.userAtHost, port: cell.port, identityFile: locked, root: cell.root }), ctx);
    const env = { ...process.env };
    delete env.SSH_AUTH_SOCK;
    const err2 = await getCellStatus(lp, { ...ctx, env }, { trustRoot: noTrust }).catch((e) => e);
    expect(err2.code).toBe('KEY_NEEDS_PASSPHRASE');
    expect(err2.message).toContain(locked);
    expect(err2.message).toMatch(/ssh-add/);
  });

  it('sshd killed (listener gone) → CELL_UNREACHABLE; changed host key → refused, plainly', async () => {
    const ctx = await trustedCtx(cell, fast);
    const p = profileFor(cell, ctx);
    await cell.restartWithNewHostKey();
    const err = await getCellStatus(p, ctx, { trustRoot: noTrust }).catch((e) => e);
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED.*man-in-the-middle/);
    const { fingerprint } = await cell.hostKey();
    await expect(confirmHostKey(p, fingerprint, ctx)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });

    process.kill(cell.sshdPid(), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const err2 = await getCellStatus(p, ctx, { trustRoot: noTrust }).catch((e) => e);
    expect(err2.code).toBe('CELL_UNREACHABLE');
    expect(err2.message).toMatch(/Connection refused/);
  });
});
