import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/**
 * `npm start` here (no Electron binary): falls back to the browser shell, prints exactly one
 * line — the URL — on stdout, and stops the shell when it is itself stopped.
 */
async function runStart(extraEnv: NodeJS.ProcessEnv, root = ROOT): Promise<{ stdout: string; stderr: string; url: string }> {
  const home = mkdtempSync(join(tmpdir(), 'pic-start-'));
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: { ...process.env, PIC_STORE_HOME: home, PIC_STORE_NO_BROWSER: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const deadline = Date.now() + 120_000;
    while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    const url = stdout.split('\n')[0] ?? '';
    // The shell answers at that URL (the page itself, without spending the token).
    const res = await fetch(new URL('/', url));
    expect(res.status).toBe(200);
    return { stdout, stderr, url };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
    rmSync(home, { recursive: true, force: true });
  }
}

test('npm start falls back to the browser shell when Electron has no binary', async () => {
  test.setTimeout(180_000);
  const { stdout, stderr, url } = await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '' });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  expect(stdout).toBe(`${url}\n`);
  expect(stderr).toContain("Electron's binary is not installed: starting the browser shell");
});

test('npm start with ELECTRON_SKIP_BINARY_DOWNLOAD=1 runs the browser shell', async () => {
  test.setTimeout(180_000);
  const { stdout, stderr, url } = await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  expect(stdout).toBe(`${url}\n`);
  expect(stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1: starting the browser shell');
});

/**
 * A copy of the project's build inputs (node_modules linked, no dist/) in a temp dir, so these
 * tests can delete and age dist/ without touching the tree other tests build into.
 */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'pic-start-project-'));
  const viteConfigs = readdirSync(ROOT).filter((n) => n.startsWith('vite.config.'));
  for (const p of ['electron', 'renderer', 'config', 'scripts/build.mjs', 'scripts/start.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', ...viteConfigs]) {
    cpSync(join(ROOT, p), join(copy, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

test('npm start builds when dist/ is missing, then serves the built shell', async () => {
  test.setTimeout(180_000);
  const copy = projectCopy();
  try {
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    const { stdout, stderr, url } = await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, copy);
    expect(stderr).toContain('npm start: building (dist/ is missing)');
    expect(stdout).toBe(`${url}\n`);
    for (const out of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/shell/shell.cjs', 'dist/renderer/index.html']) {
      expect(existsSync(join(copy, out)), out).toBe(true);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('npm start rebuilds when any build input is newer than dist/, and only then', async () => {
  test.setTimeout(240_000);
  const copy = projectCopy();
  try {
    await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, copy);
    const fresh = await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, copy);
    expect(fresh.stderr).not.toContain('building');
    const viteConfig = readdirSync(copy).find((n) => n.startsWith('vite.config.'));
    expect(viteConfig, 'the project has a Vite config').toBeTruthy();
    const inputs = [viteConfig!, 'scripts/build.mjs', 'package.json', 'tsconfig.json', 'electron/core/errors.ts', 'renderer/index.html'];
    for (const input of inputs) {
      const path = join(copy, input);
      const later = new Date(Date.now() + 60_000);
      utimesSync(path, later, later);
      const { stderr } = await runStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, copy);
      expect(stderr, `${input} changed`).toContain('npm start: building (sources changed since the last build)');
      // Back in the past so that the next input is judged on its own.
      const earlier = new Date(Date.now() - 3_600_000);
      utimesSync(path, earlier, earlier);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
