import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/**
 * `npm start` here (no Electron binary): falls back to the browser shell, prints exactly one
 * line — the URL — on stdout, and stops the shell when it is itself stopped.
 */
async function runStart(extraEnv: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; url: string }> {
  const home = mkdtempSync(join(tmpdir(), 'pic-start-'));
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
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
