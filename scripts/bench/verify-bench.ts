import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startRegistry } from '../testbed/registry';
import { pushImage, type PushedImage } from '../testbed/images';
import { cosignHome, cosignPayload, cosignVerifies, makeTestKey, pushClassicSignatures, signPayload } from '../testbed/cosign';
import { hashedrekordEntry, makeTestLog, mockClassicEntry, writeTrustedRoot } from '../testbed/tlog';
import { loadTrustedLogsFile, publicGoodLogs } from '../../electron/core/tlog/trusted-logs';
import { loadStoreIndex } from '../../electron/core/store/load-index';
import { loadTrustRootFromFiles } from '../../electron/core/trust/trust-root';
import { openFileCache } from '../../electron/core/verification/verification-cache';
import { verifyStore } from '../../electron/core/verification/verify-store';

/**
 * DESIGN 4: a 200-service store in the local registry, measured in one run —
 *   cold: the whole CLI process (`pic-store verify index.json`) with an empty cache,
 *   warm: in-process verifyStore with the cache filled, and the warm CLI process,
 *   cosign: `cosign verify` once per image (sequential, as a script would),
 *   floor: a bare keep-alive client making only the needed requests (image manifest, .sig
 *          manifest, payload blob), 16 in flight.
 * Printed as ratios to the floor. BENCH_TLOG=1 (default) gives every signature a transparency-log
 * entry from a test log, trusts that log and makes the index require entries (DESIGN 2.8), so
 * every SET and entry body is checked; BENCH_TLOG=0 measures without log data, for comparison.
 */
declare const __BENCH_ROOT__: string;
const ROOT = __BENCH_ROOT__;
const N = Number(process.env.BENCH_IMAGES ?? 200);
const COSIGN_SAMPLE = Number(process.env.BENCH_COSIGN_SAMPLE ?? N);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TLOG = process.env.BENCH_TLOG !== '0';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runCli(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const prof = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
    execFile(process.execPath, [...prof, join(ROOT, 'dist/cli/pic-store.cjs'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      resolve({ ms: performance.now() - t0, code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout });
    });
  });
}

function get(agent: http.Agent, url: string, accept?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: accept ? { Accept: accept } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** The floor: only the requests verification needs, keep-alive, 16 in flight. */
async function bareClient(host: string, images: PushedImage[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < images.length) {
      const img = images[next++]!;
      await get(agent, `http://${host}/v2/${img.repo}/manifests/${img.digest}`, accept);
      const sig = JSON.parse((await get(agent, `http://${host}/v2/${img.repo}/manifests/${img.digest.replace(':', '-')}.sig`, accept)).toString()) as { layers: { digest: string }[] };
      await get(agent, `http://${host}/v2/${img.repo}/blobs/${sig.layers[0]!.digest}`);
    }
  }));
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}

async function main(): Promise<void> {
  await new Promise<void>((res, rej) => execFile(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'cli'], { cwd: ROOT }, (e) => (e ? rej(e) : res())));
  const tmp = await mkdtemp(join(tmpdir(), 'pic-bench-'));
  const reg = await startRegistry();
  const home = await cosignHome();
  try {
    const key = await makeTestKey(tmp, 'p256');
    const log = await makeTestLog(tmp);
    const rootFile = await writeTrustedRoot(join(tmp, 'trusted_root.json'), [{ log }]);
    process.stdout.write(`bench:verify — pushing and signing ${N} distinct images to ${reg.host}${TLOG ? ', each with a transparency-log entry' : ''}…\n`);
    const images: PushedImage[] = [];
    for (let start = 0; start < N; start += 25) {
      images.push(...(await Promise.all(Array.from({ length: Math.min(25, N - start) }, async (_, j) => {
        const repo = `bench/svc-${start + j}`;
        const img = await pushImage(reg.host, repo);
        const payload = cosignPayload(`${reg.host}/${repo}`, img.digest);
        const signature = signPayload(key, payload);
        const annotations: Record<string, string> = TLOG ? { 'dev.sigstore.cosign/bundle': JSON.stringify(await mockClassicEntry(log, hashedrekordEntry(signature, key.pem, payload))) } : {};
        await pushClassicSignatures(reg.host, repo, img.digest, [{ payload, signature, annotations }]);
        return img;
      }))));
    }
    const indexPath = join(tmp, 'index.json');
    await writeFile(indexPath, JSON.stringify({ schemaVersion: 1, name: 'Bench', ...(TLOG ? { policy: { transparencyLog: 'required' } } : {}), services: images.map((img, i) => ({ id: `svc-${i}`, name: `Service ${i}`, version: '1', image: img.ref })) }));
    const appConfig = join(tmp, 'appconfig');

    // Alternate floor and cold runs so both see the same machine state.
    const floor: number[] = [];
    const cold: number[] = [];
    const inproc: number[] = [];
    const benchStore = await loadStoreIndex(indexPath);
    // Without --trusted-root the CLI trusts the public-good logs; in-process runs do the same so both share cache keys.
    const logs = TLOG ? await loadTrustedLogsFile(rootFile) : publicGoodLogs();
    const tlogArgs = TLOG ? ['--trusted-root', rootFile] : [];
    const benchRoot = { ...(await loadTrustRootFromFiles([key.pubPath], 'command-line')), logs };
    const floorCpu: number[] = [];
    const inprocCpu: number[] = [];
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    for (let r = 0; r < RUNS; r++) {
      let cpu0 = process.cpuUsage();
      floor.push(await bareClient(reg.host, images));
      floorCpu.push(cpuMs(process.cpuUsage(cpu0)));
      const ti = performance.now();
      cpu0 = process.cpuUsage();
      const inRes = await verifyStore(benchStore, { trustRoot: benchRoot });
      inprocCpu.push(cpuMs(process.cpuUsage(cpu0)));
      inproc.push(performance.now() - ti);
      if (!inRes.every((x) => x.verified)) throw new Error('in-process cold run: not all verified');
      if (TLOG && !inRes.every((x) => x.checks.some((c) => c.id === 'transparency-log' && c.status === 'pass'))) throw new Error('in-process cold run: a log entry was not verified');
      const dataDir = await mkdtemp(join(tmp, 'data-'));
      const c = await runCli(['verify', indexPath, '--trust-key', key.pubPath, ...tlogArgs, '--json'], { PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: appConfig, HOME: tmp });
      const verified = (JSON.parse(c.stdout) as { results: { verified: boolean }[] }).results.filter((x) => x.verified).length;
      if (c.code !== 0 || verified !== N) throw new Error(`cold CLI run: exit ${c.code}, ${verified}/${N} verified`);
      cold.push(c.ms);
      if (r === RUNS - 1) {
        const warmCli = await runCli(['verify', indexPath, '--trust-key', key.pubPath, ...tlogArgs, '--json'], { PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: appConfig, HOME: tmp });
        process.stdout.write(`warm CLI process (cache filled):       ${warmCli.ms.toFixed(0)} ms\n`);
        // Warm in-process: index loaded and trust root read, cache opened from disk, as the app does.
        const store = await loadStoreIndex(indexPath);
        const trustRoot = { ...(await loadTrustRootFromFiles([key.pubPath], 'command-line')), logs: TLOG ? await loadTrustedLogsFile(rootFile) : publicGoodLogs() };
        const warm: number[] = [];
        for (let w = 0; w < 5; w++) {
          const t0 = performance.now();
          const cache = await openFileCache(join(dataDir, 'cache'));
          const res = await verifyStore(store, { trustRoot, cache });
          warm.push(performance.now() - t0);
          if (!res.every((x) => x.cached && x.verified)) throw new Error('warm run not served from cache');
        }
        process.stdout.write(`warm in-process verifyStore (median): ${median(warm).toFixed(1)} ms   (target < 50 ms)\n`);
      }
    }

    const sample = images.slice(0, COSIGN_SAMPLE);
    const tc = performance.now();
    for (const img of sample) {
      if (!(await cosignVerifies(home, key.pubPath, img.ref))) throw new Error(`cosign refused ${img.ref}`);
    }
    const cosignPer = (performance.now() - tc) / sample.length;
    const cosignTotal = cosignPer * N;

    const f = median(floor);
    const c = median(cold);
    process.stdout.write([
      `load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (figures are noisy when other work runs)`,
      `images: ${N}; runs: ${RUNS} (medians); transparency-log checks: ${TLOG ? 'on (every signature carries an entry from a trusted test log; policy "required")' : 'off (no entries)'}`,
      `floor  bare keep-alive client, 16 in flight:  ${f.toFixed(0)} ms   (client CPU ${median(floorCpu).toFixed(0)} ms; ${3 * N} requests)`,
      `ours   cold, in-process verifyStore:          ${median(inproc).toFixed(0)} ms   ratio to floor ${(median(inproc) / f).toFixed(2)}×   (client CPU ${median(inprocCpu).toFixed(0)} ms)`,
      `ours   cold, whole CLI process:               ${c.toFixed(0)} ms   ratio to floor ${(c / f).toFixed(2)}×  (target ≤ 1.5×)`,
      `cosign verify once per image${sample.length < N ? ` (${sample.length} measured, scaled)` : ''}:  ${cosignTotal.toFixed(0)} ms   (${cosignPer.toFixed(0)} ms/image)   ratio to floor ${(cosignTotal / f).toFixed(1)}×; ours is ${(cosignTotal / c).toFixed(1)}× faster`,
      '',
    ].join('\n'));
  } finally {
    await home.cleanup();
    await reg.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:verify failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
