// Packaged-layout check (DESIGN 3, 3.1; TESTBED "Electron here"). Electron's binary cannot be had
// here, so this packages the app with electron-builder's `--linux dir` target against a stub
// Electron dist (an executable carrying Electron's fuse wire), from a staged copy of the
// project, and inspects the result: the asar, the shipped config/, and the flipped fuses.
// Offline: beforeBuild resolves to false, so electron-builder installs and downloads nothing.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of @electron/fuses V1, and what DESIGN 3.1 wants each to end up as. */
const FUSES = [
  ['RunAsNode', false],
  ['EnableCookieEncryption', true],
  ['EnableNodeOptionsEnvironmentVariable', false],
  ['EnableNodeCliInspectArguments', false],
  ['EnableEmbeddedAsarIntegrityValidation', true],
  ['OnlyLoadAppFromAsar', true],
  ['LoadBrowserProcessSpecificV8Snapshot', null],
  ['GrantFileProtocolExtraPrivileges', false],
];

/**
 * A stub Electron dist: a shell script named `electron` that carries a V1 fuse wire set to the
 * opposite of what we want, so a passing check proves electron-builder flipped every fuse.
 */
async function makeStubElectronDist(dir) {
  await mkdir(dir, { recursive: true });
  const wire = FUSES.map(([, want]) => (want === null ? '0' : want ? '0' : '1')).join('');
  const body = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stub Electron: the real binary is not available here" >&2\nexit 1\n# '),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, FUSES.length]),
    Buffer.from(`${wire}\n`),
  ]);
  await writeFile(join(dir, 'electron'), body);
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'LICENSE'), 'stub\n');
  return dir;
}

/**
 * Stages what packaging reads — package.json, electron-builder.yml, the hooks, dist/, config/ —
 * into a temp project. keyMode: 'repo' ships config/cosign as it is, 'generated' replaces its
 * keys with one fresh public key (the private half is never written), 'none' removes them.
 */
async function stageProject(repo, stageDir, keyMode) {
  await mkdir(join(stageDir, 'scripts'), { recursive: true });
  for (const f of ['package.json', 'electron-builder.yml']) await cp(join(repo, f), join(stageDir, f));
  await cp(join(repo, 'scripts/package'), join(stageDir, 'scripts/package'), { recursive: true });
  await cp(join(repo, 'dist'), join(stageDir, 'dist'), { recursive: true });
  await cp(join(repo, 'config'), join(stageDir, 'config'), { recursive: true });
  const cosignDir = join(stageDir, 'config/cosign');
  await mkdir(cosignDir, { recursive: true });
  if (keyMode !== 'repo') {
    for (const n of await readdir(cosignDir)) if (n.endsWith('.pub')) await rm(join(cosignDir, n));
  }
  if (keyMode === 'generated') {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(cosignDir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return stageDir;
}

/** Runs electron-builder `--linux dir`; resolves with its output, never throws on a failed build. */
async function runLinuxDir(repo, { projectDir, electronDist, outDir, timeoutMs = 120_000 }) {
  const electronVersion = JSON.parse(await readFile(join(repo, 'node_modules/electron/package.json'), 'utf8')).version;
  const bin = join(repo, 'node_modules/electron-builder/cli.js');
  const args = [bin, '--linux', 'dir', '--publish', 'never', '--projectDir', projectDir,
    `-c.electronDist=${electronDist}`, `-c.directories.output=${outDir}`, `-c.electronVersion=${electronVersion}`];
  try {
    const r = await run(process.execPath, args, { cwd: projectDir, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ELECTRON_BUILDER_DISABLE_BUILD_CACHE: 'true' } });
    return { ok: true, output: r.stdout + r.stderr };
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.killed ? '\n(timed out)' : ''}` };
  }
}

/** Inspects a `linux-unpacked` dir: returns what is there and a list of problems. */
async function inspectLinuxUnpacked(appOutDir, executableName) {
  const problems = [];
  const asarPath = join(appOutDir, 'resources/app.asar');
  let asarEntries = [];
  if (!existsSync(asarPath)) problems.push('resources/app.asar is missing');
  else asarEntries = require('@electron/asar').listPackage(asarPath, { isPack: false });
  for (const need of ['/package.json', '/dist/main/main.cjs']) {
    if (!asarEntries.includes(need)) problems.push(`app.asar lacks ${need}`);
  }
  for (const e of asarEntries) {
    if (e.endsWith('.map')) problems.push(`app.asar ships a source map: ${e}`);
    if (/\.(ts|tsx)$/.test(e)) problems.push(`app.asar ships a source file: ${e}`);
    if (e.startsWith('/node_modules')) problems.push(`app.asar ships node_modules: ${e}`);
    if (/\.(test|itest)\./.test(e)) problems.push(`app.asar ships a test: ${e}`);
  }
  const configDir = join(appOutDir, 'resources/config');
  const resources = existsSync(configDir) ? await listFiles(configDir, configDir) : [];
  const keys = resources.filter((f) => /^cosign\/[^/]+\.pub$/.test(f));
  if (keys.length === 0) problems.push('resources/config/cosign has no *.pub key');
  const fuses = {};
  const exe = join(appOutDir, executableName);
  if (!existsSync(exe)) problems.push(`the executable ${executableName} is missing`);
  else {
    const wire = await require('@electron/fuses').getCurrentFuseWire(exe);
    FUSES.forEach(([name, want], i) => {
      const state = wire[i] === 49 ? true : wire[i] === 48 ? false : null;
      fuses[name] = state;
      if (want !== null && state !== want) problems.push(`fuse ${name} is ${state}, DESIGN 3.1 wants ${want}`);
    });
  }
  return { asarEntries, resources, keys, fuses, problems };
}

async function listFiles(dir, base, depth = 0) {
  if (depth > 12) return [];
  const out = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await listFiles(p, base, depth + 1)));
    else out.push(relative(base, p));
  }
  return out.sort();
}

/** Makes sure dist/main/main.cjs exists, building main, preload and CLI only if it does not. */
async function ensureDist(repo) {
  const main = join(repo, 'dist/main/main.cjs');
  if (existsSync(main)) return;
  try {
    await run(process.execPath, [join(repo, 'scripts/build.mjs'), 'main', 'preload', 'cli'], { cwd: repo, timeout: 120_000 });
  } catch (e) {
    throw new Error(`dist/main/main.cjs is missing and could not be built: ${(e.stderr || e.message).toString().trim()}`);
  }
  if (!existsSync(main)) throw new Error('dist/main/main.cjs is missing after the build');
}

/** The whole check: stage, stub, package, inspect. Temp dirs are removed; outDir is the caller's. */
export async function checkPackagedLayout(repo, { keyMode = 'repo', outDir } = {}) {
  await ensureDist(repo);
  const work = await mkdtemp(join(tmpdir(), 'pic-package-'));
  try {
    const projectDir = await stageProject(repo, join(work, 'project'), keyMode);
    const electronDist = await makeStubElectronDist(join(work, 'electron-dist'));
    const out = outDir ?? join(work, 'out');
    const build = await runLinuxDir(repo, { projectDir, electronDist, outDir: out });
    if (!build.ok) {
      const refused = /Refusing to package:.*?(?=\s+failedTask=|\n|$)/.exec(build.output)?.[0] ?? null;
      return { ok: false, refused, output: build.output, problems: [refused ?? 'electron-builder failed'] };
    }
    const executableName = /executableName:\s*(\S+)/.exec(await readFile(join(repo, 'electron-builder.yml'), 'utf8'))?.[1] ?? 'electron';
    const layout = await inspectLinuxUnpacked(join(out, 'linux-unpacked'), executableName);
    // Every built file (bundles, renderer) must be in the asar; only source maps stay behind.
    const built = (await listFiles(join(projectDir, 'dist'), projectDir)).filter((f) => !f.endsWith('.map'));
    for (const f of built) if (!layout.asarEntries.includes(`/${f}`)) layout.problems.push(`app.asar lacks ${f}`);
    return { ok: layout.problems.length === 0, refused: null, appOutDir: join(out, 'linux-unpacked'), ...layout };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
