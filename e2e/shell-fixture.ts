import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..');

export interface ShellOptions {
  /** Files to create before start, relative to the data dir (PIC_STORE_HOME). */
  seed?: (dirs: { home: string; appConfig: string }) => void;
  /**
   * true (the default): the app config is a temp dir with an empty cosign/. false: a copy of the
   * checkout's config/ (its keys and the demo store) at the same temp path, so paths the app
   * shows from it read `~/config/…` wherever the checkout is.
   */
  emptyAppConfig?: boolean;
  /** Extra environment for the shell; an undefined value removes that variable. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningShell {
  url: string;
  origin: string;
  home: string;
  appConfig: string;
  pid: number;
  stderr: () => string;
}

/**
 * Starts the built browser shell (`node dist/shell/shell.cjs`) with a temp HOME, a PIC_STORE_HOME
 * (`~/.config/pic-store-manager`) and an app config (`~/config`) in it, reads the one URL line
 * from stdout, and afterwards stops that PID (only it) and removes the temp dirs.
 */
export async function startShell(opts: ShellOptions = {}): Promise<{ shell: RunningShell; stop: () => Promise<void> }> {
  const tmp = mkdtempSync(join(tmpdir(), 'pic-e2e-'));
  // The temp dir is the shell's HOME and the data dir sits where the app puts it by default, so
  // the paths the app shows (as ~/…) are the same on every run and in every screenshot.
  const home = join(tmp, '.config', 'pic-store-manager');
  const appConfig = join(tmp, 'config');
  mkdirSync(home, { recursive: true });
  if (opts.emptyAppConfig === false) cpSync(join(ROOT, 'config'), appConfig, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(appConfig, 'cosign'), { recursive: true });
  opts.seed?.({ home, appConfig });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tmp, PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: appConfig, PIC_STORE_NO_BROWSER: '1' };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'shell', 'shell.cjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`shell printed no URL in 15 s; stderr: ${stderr}`)), 15_000);
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolveUrl(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`shell exited with ${code}; stderr: ${stderr}`));
      });
    });
    return { shell: { url, origin: new URL(url).origin, home, appConfig, pid: child.pid!, stderr: () => stderr }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Console errors and CSP violations seen by a page, collected from the first navigation. */
export interface PageProblems {
  consoleErrors: string[];
  cspViolations: string[];
}

export const test = base.extend<{ problems: PageProblems }>({
  problems: async ({ page }, use) => {
    const problems: PageProblems = { consoleErrors: [], cspViolations: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') problems.consoleErrors.push(m.text());
      if (/Content Security Policy/i.test(m.text())) problems.cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => problems.consoleErrors.push(String(e)));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await use(problems);
  },
});

export { expect } from '@playwright/test';
