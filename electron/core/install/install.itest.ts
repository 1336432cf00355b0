// Installs, upgrades and uninstalls on a real cell (sshd + dockerd + registry + cosign), on both
// compose runtimes (DESIGN 2.2). Faults, cancellation and the built CLI: install-faults.itest.ts.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/testbed/registry';
import { readActivity } from '../receipts/activity-log';
import type { ServiceManifest } from '../store/manifest-schema';
import { installService } from './install-flow';
import { uninstallService, serviceOperation } from './uninstall';
import { activityLog, appRoot, cellReceipts, cellState, ensureRunning, listenOn, localReceipt, request, runningImage, signedA, signedB, stopTestbed, tb, unsigned, useInstallSuite, useTestbed, yes } from '../../../scripts/testbed/install-suite';

useInstallSuite();

describe.each(['v1', 'v2'] as const)('install on a real cell (compose %s)', (compose) => {
  const expectedRuntime = compose === 'v2' ? 'docker compose' : 'docker-compose';
  beforeAll(() => useTestbed(compose), 180_000);
  // The later blocks run on v1: a v2 testbed is stopped once its block is done.
  afterAll(async () => {
    if (compose !== 'v1') await stopTestbed(compose);
    await useTestbed('v1');
  }, 180_000);

  it('enforce: a verified service installs and runs with exactly the verified digest', async () => {
    await tb.setMode('enforce');
    const phases: string[] = [];
    const { receipt, plan } = await installService(request({ id: 'web', name: 'Web', version: '1', image: signedA, ports: [{ host: 18080 + (process.pid % 1000) + (compose === 'v2' ? 1000 : 0), container: 80, protocol: 'tcp' }] }, { onProgress: (p) => phases.push(p.phase) }), yes);
    expect(receipt.error).toBeNull();
    expect(receipt.outcome).toBe('installed');
    expect(plan?.status.runtime).toBe(expectedRuntime);
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
      // Recorded locally (DESIGN 2.5), and not in the cell's log: the attempt did not change the cell.
      expect(await localReceipt(receipt.id), label).toMatchObject({ outcome: 'rejected', decision: 'block', verification: { reason } });
      expect((await cellReceipts()).map((r) => r.id), label).not.toContain(receipt.id);
    }
    await tb.setCellKey(null);
    try {
      const before = await tb.snapshot();
      const { receipt } = await installService(request({ id: 'blocked', name: 'no key', version: '1', image: signedA }), yes);
      expect(receipt.outcome).toBe('rejected');
      expect(receipt.verification?.reason).toBe('TRUST_ROOT_INVALID');
      expect(await tb.snapshot()).toBe(before);
      expect(await localReceipt(receipt.id)).toMatchObject({ outcome: 'rejected', verification: { reason: 'TRUST_ROOT_INVALID' } });
      expect((await cellReceipts()).map((r) => r.id)).not.toContain(receipt.id);
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
    const r2 = await installService(request({ id: 'free', name: 'Free', version: '1', image: unsigned }), yes);
    expect(r2.receipt.outcome).toBe('installed');
    expect(r2.receipt.decision).toBe('allow');
    for (const id of ['loose', 'free']) expect((await uninstallService({ serviceId: id, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: join(tb.dataDir, 'activity.jsonl') })).outcome).toBe('uninstalled');
  }, 120_000);

  it('warn: a tag-only listing installs pinned to the digest the tag had when it was verified, the warning in the receipt', async () => {
    await tb.setMode('warn');
    const checked = await tb.taggedImage('demo/tagonly', 'tag-only, as verified');
    await tb.sign(checked.ref);
    const moved = await tb.taggedImage('demo/tagonly', 'tag-only, pushed after the check');
    const digest = checked.ref.split('@')[1]!;
    const { receipt, plan } = await installService(request({ id: 'tagonly', name: 'Tag only', version: '1', image: checked.tag }), async (summary) => {
      // Between the check and the install the tag is moved to another image: the cell must still run what was checked.
      await tb.docker(['tag', moved.tag, checked.tag]);
      await tb.docker(['push', checked.tag], 120_000);
      expect(summary.digest).toBe(digest);
      return true;
    });
    expect(receipt.error).toBeNull();
    expect(receipt.outcome).toBe('installed');
    expect(receipt.decision).toBe('warn');
    expect(receipt.image).toBe(checked.tag);
    expect(receipt.digest).toBe(digest);
    expect(receipt.verification).toMatchObject({ verified: false, reason: 'DIGEST_MISSING' });
    expect(receipt.verification?.checks.find((c) => c.status === 'fail')?.id).toBeTruthy();
    expect(plan?.summary?.warnings.join(' ')).toMatch(/NOT verified \(DIGEST_MISSING\).*warning is recorded in the receipt/);
    expect(await runningImage('tagonly')).toBe(`${checked.ref}|true`);
    const compose = await readFile(join(tb.cell.root, 'services/tagonly/docker-compose.yml'), 'utf8');
    expect(compose).toContain(checked.ref);
    expect(compose).not.toContain(checked.tag);
    for (const recorded of [
      JSON.parse(await readFile(join(tb.cell.root, 'services/tagonly/receipt.json'), 'utf8')),
      (await cellReceipts()).find((r) => r.id === receipt.id),
      await localReceipt(receipt.id),
    ]) expect(recorded).toMatchObject({ id: receipt.id, outcome: 'installed', decision: 'warn', digest, verification: { verified: false, reason: 'DIGEST_MISSING' } });
    expect((await uninstallService({ serviceId: 'tagonly', profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: activityLog() })).outcome).toBe('uninstalled');
    await tb.setMode('enforce');
  }, 180_000);

  it('uninstall keeps named volumes unless asked; restart really restarts; logs are the container output', async () => {
    await tb.setMode('enforce');
    const manifest: ServiceManifest = { id: 'vol', name: 'Volumes', version: '1', image: signedA, volumes: [{ name: 'data', path: '/data' }] };
    const op = (runtime: Parameters<typeof serviceOperation>[2], what: 'logs' | 'restart') => serviceOperation(tb.profile, tb.ssh, runtime, 'vol', what);
    const containerId = async () => (await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-vol'])).trim();
    const volumes = async () => (await tb.docker(['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=pic-vol'])).trim().split('\n').filter(Boolean);
    const first = await installService(request(manifest), yes);
    expect(first.receipt.outcome, JSON.stringify(first.receipt.error)).toBe('installed');
    const runtime = first.plan!.status.runtime!;
    const cid = await containerId();
    const volume = (JSON.parse((await tb.docker(['inspect', '--format', '{{json .Mounts}}', cid])).trim()) as { Name: string; Destination: string }[]).find((m) => m.Destination === '/data')!.Name;
    expect(await volumes()).toEqual([volume]);

    // logs: the container's own output (the image prints one line per start).
    const started = 'pic-testbed started: version A';
    expect((await op(runtime, 'logs')).split('\n').filter((l) => l.includes(started))).toHaveLength(1);
    // restart: the same container, started again.
    const startedAt = async () => (await tb.docker(['inspect', '--format', '{{.State.StartedAt}}|{{.State.Running}}', cid])).trim();
    const before = await startedAt();
    await op(runtime, 'restart');
    const after = await startedAt();
    expect(after).toMatch(/\|true$/);
    expect(after).not.toBe(before);
    expect(await containerId()).toBe(cid);
    expect((await op(runtime, 'logs')).split('\n').filter((l) => l.includes(started))).toHaveLength(2);

    // A file written into the named volume survives an uninstall without purge…
    await tb.docker(['exec', cid, '/bin/busybox', 'sh', '-c', 'echo kept-across-uninstall > /data/marker']);
    const un = await uninstallService({ serviceId: 'vol', profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: activityLog() });
    expect(un.outcome, JSON.stringify(un.error)).toBe('uninstalled');
    expect(await containerId()).toBe('');
    expect(await volumes()).toEqual([volume]);
    expect((await tb.docker(['run', '--rm', '-v', `${volume}:/d`, signedA, '/bin/busybox', 'cat', '/d/marker'])).trim()).toBe('kept-across-uninstall');
    // …is there again for a reinstall…
    expect((await installService(request({ ...manifest, version: '2' }), yes)).receipt.outcome).toBe('installed');
    expect((await tb.docker(['exec', await containerId(), '/bin/busybox', 'cat', '/data/marker'])).trim()).toBe('kept-across-uninstall');
    // …and is gone when the uninstall is asked to purge volumes.
    const purge = await uninstallService({ serviceId: 'vol', profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: activityLog(), purgeVolumes: true });
    expect(purge.outcome, JSON.stringify(purge.error)).toBe('uninstalled');
    expect(await volumes()).toEqual([]);
    await expect(tb.docker(['volume', 'inspect', volume])).rejects.toThrow(/no such volume/i);
  }, 180_000);

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

  it('rollback: when `up` fails after the swap (a host port taken after the pre-flight), the previous version is restored and runs', async () => {
    await tb.setMode('enforce');
    await ensureRunning('rollback', signedA);
    const prior = await cellState('rollback');
    const port = await freePort();
    let squatter: Server | null = null;
    try {
      const { receipt } = await installService(request({ id: 'rollback', name: 'Rollback', version: 'r2', image: signedB, ports: [{ host: port, container: 80, protocol: 'tcp' }] }), async (summary) => {
        // Free at the pre-flight; taken between the confirmation and `up`, so compose itself fails.
        expect(summary.portConflicts).toEqual([]);
        squatter = await listenOn(port);
        return true;
      });
      expect(receipt.outcome, JSON.stringify(receipt.error)).toBe('failed');
      expect(receipt.error?.code).toBe('UP_FAILED');
      expect(receipt.error?.message).toMatch(/^up failed on the cell; the previous version was restored and restarted/);
      expect(receipt.error?.message).not.toContain('@@PIC');
    } finally {
      await new Promise((r) => (squatter ? (squatter as Server).close(r) : r(undefined)));
    }
    expect(await cellState('rollback')).toEqual(prior);
    expect(prior.running).toBe(`${signedA}|true`);
    expect((await cellReceipts()).at(-1)).toMatchObject({ outcome: 'failed', service: { id: 'rollback' } });
    expect((await uninstallService({ serviceId: 'rollback', profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, activityLog: activityLog() })).outcome).toBe('uninstalled');
  }, 180_000);

  it('two installs started at once never interleave: the second waits for the lock and works only after the first is done', async () => {
    await tb.setMode('enforce');
    interface Ev { phase: string; line: boolean; seq: number; at: number }
    let seq = 0;
    const events: Record<'a' | 'b', Ev[]> = { a: [], b: [] };
    let atLock = 0;
    let bothAtLock: () => void = () => undefined;
    const bothWaiting = new Promise<void>((ok) => (bothAtLock = ok));
    const track = (k: 'a' | 'b') => (p: { phase: string; line?: string }) => {
      events[k].push({ phase: p.phase, line: p.line !== undefined, seq: seq++, at: performance.now() });
      if (p.phase === 'lock' && p.line === undefined && ++atLock === 2) bothAtLock();
    };
    // Another holder keeps the cell lock until both apply scripts are running on the cell and
    // waiting for it, so the two really contend (not merely start close together).
    const holder = await tb.holdCellLock();
    const both = Promise.all([
      installService(request({ id: 'web', name: 'Web', version: '1', image: signedA }, { onProgress: track('a') }), yes),
      installService(request({ id: 'web', name: 'Web', version: '2', image: signedB }, { onProgress: track('b') }), yes),
    ]);
    try {
      await Promise.race([bothWaiting, new Promise((_, fail) => setTimeout(() => fail(new Error('both installs did not reach the cell lock within 60 s')), 60_000))]);
    } finally {
      await holder.release();
    }
    const [a, b] = await both;
    expect([a.receipt.outcome, b.receipt.outcome]).toEqual(['installed', 'installed']);
    const step = (k: 'a' | 'b', phase: string) => events[k].find((e) => e.phase === phase && !e.line)!;
    const [first, second] = step('a', 'stage').seq < step('b', 'stage').seq ? (['a', 'b'] as const) : (['b', 'a'] as const);
    const trace = JSON.stringify(events);
    // Both were waiting at the lock before either began.
    expect(Math.max(step('a', 'lock').seq, step('b', 'lock').seq), trace).toBeLessThan(step(first, 'stage').seq);
    // The first's exclusive window (stage … its last output from the cell) ends before the second's starts,
    expect(events[first].filter((e) => e.phase !== 'done').at(-1)!.seq, trace).toBeLessThan(step(second, 'stage').seq);
    // and the second changes nothing on the cell (its swap) before the first is done.
    expect(step(first, 'done').seq, trace).toBeLessThan(step(second, 'swap').seq);
    expect(step(first, 'done').at, trace).toBeLessThanOrEqual(step(second, 'swap').at);
    for (const k of ['a', 'b'] as const) expect(events[k].map((e) => e.phase).filter((p, i, all) => all.indexOf(p) === i), trace).toEqual(expect.arrayContaining(['lock', 'stage', 'pull', 'swap', 'up', 'done']));
    // The end state is the second's, whole: running image, manifest and receipt agree, in the cell's log after the first's.
    const last = { a, b }[second];
    const lastImage = second === 'a' ? signedA : signedB;
    expect(await runningImage('web')).toBe(`${lastImage}|true`);
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/web/manifest.json'), 'utf8'))).toMatchObject({ image: lastImage });
    expect(JSON.parse(await readFile(join(tb.cell.root, 'services/web/receipt.json'), 'utf8'))).toMatchObject({ id: last.receipt.id });
    const ids = (await cellReceipts()).map((r) => r.id);
    expect(ids.indexOf({ a, b }[first].receipt.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf({ a, b }[first].receipt.id)).toBeLessThan(ids.indexOf(last.receipt.id));
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(tb.cell.root, 'services'))).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});

