import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTufRepo, serveRepo } from '../testbed/tuf-repo';
import { saveInitialRoot } from '../../electron/core/signed-store/root-file';
import { refreshSignedStore } from '../../electron/core/signed-store/signed-refresh';
import { loadStoreIndex } from '../../electron/core/store/load-index';
import { validateIndex } from '../../electron/core/store/validate';

/**
 * DESIGN 4, signed store (2.7): a TUF refresh with nothing new (root probe, timestamp, the
 * trusted snapshot/targets, the kept index checked against its signed hashes) against reading the
 * same index unsigned, side by side in one run, over loopback http and as a file: directory.
 * Both sides end with the index parsed and validated. Target: ≤ 50 ms more.
 */
const SERVICES = Number(process.env.BENCH_SERVICES ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: module loading and the first connection are not what is compared
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'pic-bench-store-'));
  const server = await serveRepo(join(tmp, 'repo'));
  try {
    const services = Array.from({ length: SERVICES }, (_, i) => ({
      id: `svc-${i}`, name: `Service ${i}`, version: '1.0.0', tagline: 'A benchmark service',
      image: `images.example/bench/svc-${i}@sha256:${i.toString(16).padStart(64, '0')}`,
      ports: [{ container: 8080, host: 10000 + i, protocol: 'tcp' }], environment: { MODE: 'bench' },
    }));
    const repo = makeTufRepo(join(tmp, 'repo'), { thresholds: { root: 2 } });
    repo.publish({ schemaVersion: 1, name: 'Bench', services });
    const root = await readFile(join(repo.dir, 'metadata', '1.root.json'));
    const indexBytes = (await readFile(join(repo.dir, 'targets', 'index.json'))).length;
    console.log(`store bench: ${SERVICES} services (index ${indexBytes} bytes), ${RUNS} runs each, median; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
    for (const [label, url] of [['loopback http', server.url], ['file: directory', `${repo.fileUrl}/`]] as const) {
      const dataDir = join(tmp, `home-${label.replace(/\W+/g, '-')}`);
      await saveInitialRoot(dataDir, url, root);
      const first = await refreshSignedStore({ dataDir, url });
      if (first.listing.state !== 'current') throw new Error(`first refresh is ${first.listing.state}: ${first.listing.error?.message}`);
      const signed = await timeIt(async () => {
        const r = await refreshSignedStore({ dataDir, url });
        if (r.listing.state !== 'current' || !r.indexText) throw new Error(`refresh is ${r.listing.state}`);
        const v = validateIndex(JSON.parse(r.indexText));
        if (!v.ok || v.index.services.length !== SERVICES) throw new Error('signed index did not validate');
      });
      const unsignedUrl = url.startsWith('file:') ? join(repo.dir, 'targets', 'index.json') : `${url}targets/index.json`;
      const unsigned = await timeIt(async () => {
        const s = await loadStoreIndex(unsignedUrl);
        if (s.services.length !== SERVICES) throw new Error('unsigned index did not load');
      });
      const ms = median(signed);
      const base = median(unsigned);
      console.log(`  ${label.padEnd(16)} TUF refresh, nothing new ${ms.toFixed(1).padStart(7)} ms | unsigned read ${base.toFixed(1).padStart(7)} ms | +${(ms - base).toFixed(1)} ms (${(ms / base).toFixed(2)}×) — target ≤ +50 ms: ${ms - base <= 50 ? 'met' : 'NOT met'}`);
    }
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
