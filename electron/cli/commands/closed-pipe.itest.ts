// `pic-store verify … | head -1`: the reader closes the pipe after the first line. The built CLI
// must finish quietly with its own exit code instead of crashing on EPIPE with a stack trace.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT } from '../../../scripts/testbed/built-cli';

let tmp: string;

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-pipe-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the CLI writing into a pipe whose reader has gone', () => {
  it('verify of the demo store, reader gone before the first line: same exit code as a full run, no EPIPE, no stack trace', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: join(tmp, 'home'), PIC_STORE_APP_CONFIG: join(REPO_ROOT, 'config') };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'pic-store.cjs'), 'verify', join(REPO_ROOT, 'config', 'demo-store', 'index.json')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // What `head -1` does once it has its line; closing before any output makes every write hit
    // the closed pipe, so the case does not depend on how fast the CLI writes.
    child.stdout.destroy();
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    clearTimeout(killer);
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|at .*\.cjs/);
    // The demo store holds services that are meant to fail verification (expected.json): exit 1.
    expect(code).toBe(1);
  });
});
