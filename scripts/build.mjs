// Builds everything `npm start`, the CLI and the e2e tests run: the renderer with Vite, and the
// main process, preload, browser shell and CLI bundled with esbuild for Node/Electron.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rm, mkdir, chmod, readFile, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

await mkdir(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['electron'],
  absWorkingDir: root,
};

/** V8's compiled form of a CommonJS bundle, as electron/cli/launcher.ts loads it (same wrapper, same file name). */
async function writeCodeCache(file) {
  const script = new Script(Module.wrap(await readFile(file, 'utf8')), { filename: file });
  await writeFile(`${file}.v8cache`, script.createCachedData());
}

const bundles = [
  { name: 'main', entry: 'electron/main/index.ts', out: 'main/main.cjs' },
  { name: 'preload', entry: 'electron/preload/index.ts', out: 'preload/preload.cjs' },
  { name: 'shell', entry: 'electron/shell/index.ts', out: 'shell/shell.cjs' },
  // The CLI is started once per command (scripts, CI, benchmarks): minified, and loaded by a tiny
  // launcher with a V8 code cache written below, it starts ≈ 2× faster.
  { name: 'cli', entry: 'electron/cli/pic-store.ts', out: 'cli/pic-store-main.cjs', minify: true, codeCache: true },
  { name: 'cli', entry: 'electron/cli/launcher.ts', out: 'cli/pic-store.cjs', banner: '#!/usr/bin/env node' },
];

for (const b of bundles) {
  if (!want(b.name)) continue;
  await esbuild({
    ...common,
    entryPoints: [join(root, b.entry)],
    outfile: join(dist, b.out),
    banner: b.banner ? { js: b.banner } : undefined,
    minify: Boolean(b.minify),
    keepNames: true,
  });
  if (b.banner) await chmod(join(dist, b.out), 0o755);
  if (b.codeCache) await writeCodeCache(join(dist, b.out));
}

if (want('renderer')) {
  await rm(join(dist, 'renderer'), { recursive: true, force: true });
  await viteBuild({ configFile: join(root, 'vite.config.mts'), logLevel: 'warn' });
}
console.log('build: done');
