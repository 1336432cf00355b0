// `npm run bench:install`: bundles the TypeScript benchmark with esbuild (the testbed helpers are
// TypeScript; Node 20 cannot run them directly) and runs it. Figures, not pass/fail: DESIGN 4.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = await mkdtemp(join(tmpdir(), 'pic-bench-build-'));
try {
  const out = join(dir, 'install-bench.cjs');
  await build({ entryPoints: [join(root, 'scripts/bench/install-bench.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root, external: ['electron'], define: { __BENCH_ROOT__: JSON.stringify(root) } });
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  process.exitCode = code;
} finally {
  await rm(dir, { recursive: true, force: true });
}
