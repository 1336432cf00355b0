import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from '../../../scripts/bench/install-testbed';
import { closeCellConnection } from '../cell/ssh';
import { readActivity } from '../receipts/activity-log';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import type { ServiceManifest } from '../store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { installService, type InstallRequest } from './install-flow';
import { uninstallService, serviceOperation } from './uninstall';

let tb: InstallTestbed;
let appRoot: TrustRoot;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
let signedA: string;
let signedB: string;
let unsigned: string;

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

function request(manifest: ServiceManifest, extra: Partial<InstallRequest> = {}): InstallRequest {
  return { manifest, store: { name: 'test', url: 'file:test' }, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: join(tb.dataDir, 'activity.jsonl'), ...extra };
}

const yes = async () => true;

async function runningImage(id: string): Promise<string> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim().split('\n').filter(Boolean);
  expect(ids).toHaveLength(1);
  return (await tb.docker(['inspect', '--format', '{{.Config.Image}}|{{.State.Running}}', ids[0]!])).trim();
}

async function cellReceipts(): Promise<{ outcome: string; service: { id: string } }[]> {
  const text = await readFile(join(tb.cell.root, 'store', 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { outcome: string; service: { id: string } });
}

describe('install on a real cell', () => {
  it('enforce: a verified service installs and runs with exactly the verified digest', async () => {
    await tb.setMode('enforce');
    const phases: string[] = [];
    const { receipt, plan } = await installService(request({ id: 'web', name: 'Web', version: '1', image: signedA, ports: [{ host: 18080 + (process.pid % 1000), container: 80, protocol: 'tcp' }] }, { onProgress: (p) => phases.push(p.phase) }), yes);
    expect(receipt.error).toBeNull();
    expect(receipt.outcome).toBe('installed');
    expect(receipt.decision).toBe('allow');
    expect(receipt.verification?.verified).toBe(true);
    expect(receipt.verification?.trustedKeys[0]?.origin).toBe('cell');
    expect(plan?.summary?.listing.label).toBe('from the store listing, not signed');
    expect(phases).toEqual(expect.arrayContaining(['status', 'verify', 'confirm', 'lock', 'stage', 'pull', 'swap', 'up', 'done']));
    expect(await runningImage('web')).toBe(`${signedA}|true`);
    const onCell = JSON.parse(await readFile(join(tb.cell.root, 'services/web/receipt.json'), 'utf8')) as { id: string };
    expect(onCell.id).toBe(receipt.id);
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/web/manifest.json'), 'utf8'))).toMatchObject({ id: 'web', image: signedA });
    expect((await cellReceipts()).at(-1)).toMatchObject({ outcome: 'installed', service: { id: 'web' } });
    const local = await readActivity(join(tb.dataDir, 'activity.jsonl'));
    expect(local.receipts[0]?.id).toBe(receipt.id);
    expect(await serviceOperation(tb.profile, tb.ssh, plan!.status.runtime!, 'web', 'state')).toMatch(/Up/);
  }, 120_000);

  it('enforce: unsigned, wrong key, tag-only, registry unreachable and cell key absent are blocked, the cell untouched', async () => {
    await tb.setMode('enforce');
    const wrongKey = await tb.image('demo/wrongkey', 'wrong key');
    await tb.sign(wrongKey, tb.otherKey.key);
    const tagOnly = signedA.replace(/@sha256:.*/, ':latest');
    const cases: [string, string, string][] = [
      ['unsigned', unsigned, 'SIGNATURE_NOT_FOUND'],
      ['wrong key', wrongKey, 'SIGNATURE_INVALID'],
      ['tag-only', tagOnly, 'DIGEST_MISSING'],
      ['unreachable', signedA.replace(tb.reg.host, '127.0.0.1:1'), 'REGISTRY_UNREACHABLE'],
    ];
    for (const [label, image, reason] of cases) {
      const before = await tb.snapshot();
      const { receipt } = await installService(request({ id: 'blocked', name: label, version: '1', image }), async () => {
        throw new Error('a blocked install must never reach confirmation');
      });
      expect(receipt.outcome, label).toBe('rejected');
      expect(receipt.decision).toBe('block');
      expect(receipt.verification?.reason, label).toBe(reason);
      expect(await tb.snapshot(), label).toBe(before);
    }
    await tb.setCellKey(null);
    try {
      const before = await tb.snapshot();
      const { receipt } = await installService(request({ id: 'blocked', name: 'no key', version: '1', image: signedA }), yes);
      expect(receipt.outcome).toBe('rejected');
      expect(receipt.verification?.reason).toBe('TRUST_ROOT_INVALID');
      expect(await tb.snapshot()).toBe(before);
    } finally {
      await tb.setCellKey(tb.storeKey.pub);
    }
  }, 120_000);

  it('warn installs an unsigned image by digest with the warning recorded; off installs', async () => {
    await tb.setMode('warn');
    const { receipt, plan } = await installService(request({ id: 'loose', name: 'Loose', version: '1', image: unsigned }), yes);
    expect(receipt.outcome).toBe('installed');
    expect(receipt.decision).toBe('warn');
    expect(receipt.verification?.verified).toBe(false);
    expect(plan?.summary?.warnings.join(' ')).toMatch(/NOT verified/);
    expect(await runningImage('loose')).toBe(`${unsigned}|true`);
    await tb.setMode('off');
    const tagOnly = unsigned.replace(/@sha256:.*/, ':' + 'x');
    void tagOnly;
    const r2 = await installService(request({ id: 'free', name: 'Free', version: '1', image: unsigned }), yes);
    expect(r2.receipt.outcome).toBe('installed');
    expect(r2.receipt.decision).toBe('allow');
    for (const id of ['loose', 'free']) expect((await uninstallService({ serviceId: id, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: join(tb.dataDir, 'activity.jsonl') })).outcome).toBe('uninstalled');
  }, 120_000);

  it('hostile strings never execute, never interpolate, never alter the compose structure', async () => {
    await tb.setMode('enforce');
    const canary = join(tb.cell.dir, 'canary');
    const H = `'"; touch ${canary}; echo "$(touch ${canary})" \`touch ${canary}\` \${HOME} $HOME\nx: y\n- z\n---\n{a: b} # c`;
    const { receipt } = await installService(request({
      id: 'hostile', name: H.slice(0, 80), version: H.slice(0, 64), image: signedA,
      environment: { EVIL: H, HOME_REF: '${HOME}' }, volumes: [{ name: 'data', path: '/data/$(touch x)${HOME}`id`' }],
    }), yes);
    expect(receipt.error).toBeNull();
    expect(receipt.outcome).toBe('installed');
    await expect(readFile(canary)).rejects.toThrow();
    const ids = (await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-hostile'])).trim();
    const env = (await tb.docker(['inspect', '--format', '{{json .Config.Env}}', ids])).trim();
    const vars = JSON.parse(env) as string[];
    expect(vars).toContain(`EVIL=${H}`);
    expect(vars).toContain('HOME_REF=${HOME}');
    const mounts = JSON.parse((await tb.docker(['inspect', '--format', '{{json .Mounts}}', ids])).trim()) as { Destination: string; Type: string }[];
    expect(mounts).toEqual([expect.objectContaining({ Type: 'volume', Destination: '/data/$(touch x)${HOME}`id`' })]);
    expect((await uninstallService({ serviceId: 'hostile', profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: join(tb.dataDir, 'activity.jsonl') })).outcome).toBe('uninstalled');
    await expect(readFile(canary)).rejects.toThrow();
  }, 120_000);

  it('upgrade swaps versions; a failed upgrade leaves the old version running', async () => {
    await tb.setMode('enforce');
    expect((await installService(request({ id: 'web', name: 'Web', version: '1', image: signedA }), yes)).receipt.outcome).toBe('installed');
    const up = await installService(request({ id: 'web', name: 'Web', version: '2', image: signedB }), yes);
    expect(up.receipt.outcome).toBe('installed');
    expect(up.receipt.action).toBe('upgrade');
    expect(up.plan?.summary?.upgrade?.from.digest).toBe(signedA.split('@')[1]);
    expect(await runningImage('web')).toBe(`${signedB}|true`);
    // Verification is off on this cell and the digest does not exist: allowed, and the pull fails.
    await tb.setMode('off');
    const broken = signedA.replace(/@sha256:.*/, `@sha256:${'0'.repeat(64)}`);
    const bad = await installService(request({ id: 'web', name: 'Web', version: '3', image: broken }), yes);
    expect(bad.receipt.outcome).toBe('failed');
    expect(await runningImage('web')).toBe(`${signedB}|true`);
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/web/manifest.json'), 'utf8'))).toMatchObject({ version: '2' });
    expect((await cellReceipts()).at(-1)).toMatchObject({ outcome: 'failed' });
    expect(bad.receipt.error?.code).toBe('PULL_FAILED');
    await tb.setMode('enforce');
  }, 180_000);

  it('two installs started at once never interleave', async () => {
    await tb.setMode('enforce');
    const [a, b] = await Promise.all([
      installService(request({ id: 'web', name: 'Web', version: '1', image: signedA }), yes),
      installService(request({ id: 'web', name: 'Web', version: '2', image: signedB }), yes),
    ]);
    expect([a.receipt.outcome, b.receipt.outcome]).toEqual(['installed', 'installed']);
    const running = await runningImage('web');
    const manifest = JSON.parse(await readFile(join(tb.cell.root, 'services/web/manifest.json'), 'utf8')) as { image: string };
    expect(running).toBe(`${manifest.image}|true`);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(tb.cell.root, 'services'))).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});

/** Installs `image` as `id` unless it already runs exactly that image (each fault test sets up its own state). */
async function ensureRunning(id: string, image: string): Promise<void> {
  const ids = (await tb.docker(['ps', '-q', '--filter', `label=com.docker.compose.project=pic-${id}`])).trim();
  if (ids && (await runningImage(id)) === `${image}|true`) return;
  const { receipt } = await installService(request({ id, name: 'Fault', version: 'base', image }), yes);
  expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('installed');
}

describe('faults mid-install', () => {
  beforeAll(async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
  }, 120_000);

  it('sshd killed mid-install: clear error, previous state kept or install completed, next install succeeds', async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
    const killed = installService(request({ id: 'fault', name: 'Fault', version: 'k', image: signedB }, {
      onProgress: (p) => {
        if (p.phase === 'pull' && !p.line) void tb.cell.killSessions();
      },
    }), yes);
    const t0 = Date.now();
    const { receipt } = await killed;
    expect(Date.now() - t0).toBeLessThan(30_000);
    const running = await runningImage('fault');
    if (receipt.outcome === 'installed') expect(running).toBe(`${signedB}|true`);
    else {
      expect(receipt.outcome).toBe('failed');
      expect(receipt.error?.message).toMatch(/interrupted|closed|connection|lost/i);
      expect(running).toBe(`${signedA}|true`);
    }
    const next = await installService(request({ id: 'fault', name: 'Fault', version: 'n', image: signedB }), yes);
    expect(next.receipt.outcome).toBe('installed');
    expect(await runningImage('fault')).toBe(`${signedB}|true`);
  }, 180_000);

  it('sshd frozen mid-install: error within the keepalive timeout, next install succeeds after thaw', async () => {
    await tb.setMode('enforce');
    await ensureRunning('fault', signedA);
    let froze = false;
    const t0 = Date.now();
    try {
      const { receipt } = await installService(request({ id: 'fault', name: 'Fault', version: 'f', image: signedB }, {
        onProgress: (p) => {
          if (p.phase === 'lock' && !froze) {
            froze = true;
            void tb.cell.freeze();
          }
        },
      }), yes);
      expect(receipt.outcome).toBe('failed');
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      await tb.cell.thaw();
    }
    const next = await installService(request({ id: 'fault', name: 'Fault', version: 'n2', image: signedB }), yes);
    expect(next.receipt.outcome).toBe('installed');
    expect(await runningImage('fault')).toBe(`${signedB}|true`);
  }, 180_000);
});

describe('cancel', () => {
  beforeAll(async () => {
    await tb.setMode('enforce');
    await ensureRunning('cancel', signedA);
  }, 120_000);

  /** A signed image the cell's dockerd does not hold yet, so the pull really goes to the registry. */
  async function freshImage(label: string): Promise<string> {
    const ref = await tb.image('demo/cancel', label);
    await tb.sign(ref);
    const id = (await tb.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
    await tb.docker(['rmi', '-f', id]);
    return ref;
  }

  it('during the pull: a cancelled receipt, the cell keeps its previous state, the next install succeeds', async () => {
    await tb.setMode('enforce');
    await ensureRunning('cancel', signedA);
    const target = await freshImage('cancel during pull');
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
    const target = await freshImage('cancel after swap');
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
  const repo = resolve(__dirname, '../../..');
  const cli = join(repo, 'dist/cli/pic-store.cjs');
  let home: string;

  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [cli, ...args], { cwd: repo, env: { ...process.env, PIC_STORE_HOME: home }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  const cellArgs = () => ['--cell', tb.cell.alias, '--ssh-config', tb.cell.sshConfig, '--root', tb.cell.root];
  const manifestFile = async (m: ServiceManifest) => {
    const f = join(home, `${m.id}.json`);
    await writeFile(f, JSON.stringify(m));
    return f;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'pic-cli-home-'));
    await new Promise<void>((ok, fail) => execFile(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: repo, timeout: 120_000 }, (e, _o, se) => (e ? fail(new Error(se)) : ok())));
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
});
