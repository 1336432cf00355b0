// Runs a TypeScript benchmark (`node scripts/bench/run-ts.mjs verify-bench.ts …`): the testbed
// helpers are TypeScript and Node 20 cannot run them directly, so the benchmark is bundled with
// esbuild into a temporary file first. Benchmarks print figures, not pass/fail (DESIGN 4).
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const [entry, ...args] = process.argv.slice(2);
if (!entry || !/^[a-z0-9-]+\.ts$/.test(entry)) {
  console.error('usage: node scripts/bench/run-ts.mjs NAME.ts [ARGS…]  (a benchmark in scripts/bench/)');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = await mkdtemp(join(tmpdir(), 'pic-bench-build-'));
try {
  const out = join(dir, basename(entry, '.ts') + '.cjs');
  await build({ entryPoints: [join(root, 'scripts/bench', entry)], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root, external: ['electron'], define: { __BENCH_ROOT__: JSON.stringify(root) } });
  process.exitCode = await new Promise((resolve) => {
    const child = spawn(process.execPath, [out, ...args], { stdio: 'inherit', cwd: root });
    child.on('exit', (c) => resolve(c ?? 1));
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
