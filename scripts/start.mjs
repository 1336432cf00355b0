// `npm start` (DESIGN 3.2): builds when dist/ is missing or older than the sources, then runs
// Electron when its binary is installed, else — or with ELECTRON_SKIP_BINARY_DOWNLOAD=1 — the
// loopback browser shell. It never tries to download anything. Its own messages go to stderr so
// that stdout carries only what the app prints (the shell's one URL line).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`npm start: ${msg}\n`);

const outputs = ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/shell/shell.cjs', 'dist/renderer/index.html'].map((p) => join(root, p));
/**
 * Every input of scripts/build.mjs: the code it bundles, its own script, the configs esbuild and
 * Vite read (whatever the Vite config's extension is today), and the dependency manifests.
 */
function buildInputs() {
  const viteConfigs = readdirSync(root).filter((name) => /^vite\.config\.[cm]?[jt]s$/.test(name));
  return ['electron', 'renderer', 'config', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', ...viteConfigs].map((p) => join(root, p));
}

/** Newest modification time under a path (bounded walk; skips node_modules and tests' output). */
function newestMtime(path, budget = { left: 20000 }) {
  if (!existsSync(path) || budget.left-- <= 0) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name), budget));
  }
  return newest;
}

function needsBuild() {
  if (!outputs.every((o) => existsSync(o))) return 'dist/ is missing';
  const oldestOutput = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  const newestSource = Math.max(...buildInputs().map((s) => newestMtime(s)));
  return newestSource > oldestOutput ? 'sources changed since the last build' : null;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, ...opts });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
    child.on('error', (e) => {
      say(`could not run ${cmd}: ${e.message}`);
      resolve(1);
    });
  });
}

/** The Electron binary's path when it is really installed; null otherwise (never downloads). */
function electronBinary() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') return null;
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const why = needsBuild();
if (why) {
  say(`building (${why})`);
  const code = await run(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: ['ignore', process.stderr, 'inherit'] });
  if (code !== 0) {
    say('the build failed');
    process.exit(code);
  }
}

const electron = electronBinary();
if (electron) {
  process.exitCode = await run(electron, [root], { stdio: 'inherit' });
} else {
  say(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1'
    ? 'ELECTRON_SKIP_BINARY_DOWNLOAD=1: starting the browser shell'
    : "Electron's binary is not installed: starting the browser shell instead (open the URL below)");
  process.exitCode = await run(process.execPath, [join(root, 'dist/shell/shell.cjs')], { stdio: 'inherit' });
}
