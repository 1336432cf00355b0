import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The checkout's root and the built `pic-store` the CLI tests run (DESIGN 2.4: tests run the built CLI). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
const BUILT_CLI = join(REPO_ROOT, 'dist', 'cli', 'pic-store.cjs');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Builds just the CLI bundle (a few seconds), so a test runs what users run. `npm test` builds
 * everything first and sets PIC_STORE_CLI_PREBUILT=1: then nothing is rebuilt, because test files
 * run in parallel and one file rewriting dist/cli (bundle and V8 code cache) while another file's
 * CLI is starting made that CLI exit 1 with no output.
 */
export function buildCli(): Promise<void> {
  if (process.env.PIC_STORE_CLI_PREBUILT === '1') return Promise.resolve();
  return new Promise((ok, fail) =>
    execFile(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), 'cli'], { cwd: REPO_ROOT, timeout: 120_000 }, (e, _out, err) => (e ? fail(new Error(`building the CLI failed: ${err || e.message}`)) : ok())),
  );
}

/**
 * Runs the built CLI and resolves with its exit code and output — a non-zero exit is a result,
 * not an error (exit codes are the contract under test). `env` is the whole environment: callers
 * decide what the CLI sees (PIC_STORE_HOME always, usually PATH and HOME).
 */
export function runBuiltCli(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: opts.cwd ?? REPO_ROOT, env: opts.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
