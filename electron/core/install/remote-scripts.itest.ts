import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendReceiptScript, applyScript, probeScript, reconcileScript, serviceOpScript, uninstallScript } from './remote-scripts';

// The generated remote scripts run through the local sh (no ssh): they parse, and the reconcile
// script's clean-up of interrupted operations behaves on a temp PIC root. The pure parts (markers,
// refused ids) are unit-tested in install-pure.test.ts.
const HOSTILE = `a'b"c $(touch /tmp/x) \${HOME} \`id\` $$ \nkey: injected\n- list\n---\n{x: y} # c`;

describe('remote scripts', () => {
  const receiptLine = JSON.stringify({ note: HOSTILE });
  const scripts = [
    applyScript({ root: "/opt/pic'$(x)", serviceId: 'web', runtime: 'docker-compose', nonce: 'abc123', files: [{ name: 'docker-compose.yml', content: HOSTILE }], receiptLine, expectedCellState: 'ab12' }),
    uninstallScript({ root: '/opt/pic', serviceId: 'web', runtime: 'docker compose', purgeVolumes: true, receiptLine, expectedCellState: 'ab12' }),
    appendReceiptScript('/opt/pic', receiptLine),
    serviceOpScript('/opt/pic', 'web', 'docker compose', 'logs', 50),
    probeScript('/opt/pic', 'web'),
    reconcileScript({ root: '/opt/pic', serviceId: 'web', runtime: 'docker-compose', nonce: 'abc123', receiptId: '0b5e7c1e-1111-4222-8333-944445555666', receiptLine, lockWaitSeconds: 20 }),
  ];
  it('are valid sh, quote the root, and carry no manifest text outside base64', () => {
    for (const s of scripts) {
      execFileSync('sh', ['-n'], { input: s });
      expect(s).not.toContain('$(touch');
      expect(s).not.toContain('injected');
      expect(s.trimEnd().endsWith('main </dev/null')).toBe(true);
    }
    expect(scripts[0]).toContain(`R='/opt/pic'\\''$(x)'`);
    expect(scripts[1]).toContain('down --volumes');
  });
});

describe('clean-up of interrupted operations, run with sh against a temp PIC root', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pic-cleanup-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The reconcile script (lock, check, clean-up) with a no-op docker-compose on PATH. */
  function runReconcile(root: string): string {
    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'docker-compose'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const script = reconcileScript({ root, serviceId: 'web', runtime: 'docker-compose', nonce: 'abc123', receiptId: 'r1', receiptLine: '{}', lockWaitSeconds: 5 });
    return execFileSync('sh', ['-s'], { input: script, env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8', timeout: 20_000 });
  }

  it('hostile directory names never reach rm or mv; the app\'s own .previous-<id>-<nonce> is still restored', () => {
    const R = join(tmp, 'pic');
    const S = join(R, 'services');
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep'), 'x');
    mkdirSync(join(S, 'foo'), { recursive: true });
    writeFileSync(join(S, 'foo', 'docker-compose.yml'), 'live');
    for (const name of ['.previous-..', '.previous-', '.previous-foo', '.previous-foo-', '.previous--abc123', '.previous-foo-ABC123', '.previous-foo-abc', '.previous-Foo-abc123', '.previous-a b-abc123', '.previous-.-abc123']) {
      mkdirSync(join(S, name));
      writeFileSync(join(S, name, 'docker-compose.yml'), 'hostile');
    }
    symlinkSync(outside, join(S, '.previous-baz-abc123'));
    mkdirSync(join(S, '.previous-bar-def456'));
    writeFileSync(join(S, '.previous-bar-def456', 'docker-compose.yml'), 'previous bar');

    const out = runReconcile(R);
    expect(out).toContain('@@PIC-OK');
    // The PIC root, the live service and whatever a symlink points at are untouched.
    expect(existsSync(join(S, 'foo', 'docker-compose.yml'))).toBe(true);
    expect(readFileSync(join(S, 'foo', 'docker-compose.yml'), 'utf8')).toBe('live');
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('x');
    expect(existsSync(join(S, 'baz'))).toBe(false);
    expect(existsSync(join(R, 'store', 'lock'))).toBe(true);
    // Names the app never makes are left alone.
    for (const name of ['.previous-..', '.previous-', '.previous-foo', '.previous-foo-', '.previous--abc123', '.previous-foo-ABC123', '.previous-foo-abc', '.previous-Foo-abc123', '.previous-a b-abc123', '.previous-.-abc123']) {
      expect(existsSync(join(S, name, 'docker-compose.yml')), name).toBe(true);
    }
    expect(existsSync(join(S, '.previous-baz-abc123'))).toBe(true);
    // The app's own interrupted swap is put back.
    expect(readFileSync(join(S, 'bar', 'docker-compose.yml'), 'utf8')).toBe('previous bar');
    expect(existsSync(join(S, '.previous-bar-def456'))).toBe(false);
    expect(out).toContain('restored the previous bar');
  });
});
