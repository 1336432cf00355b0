import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/testbed/built-cli';
import { listCellProfiles } from './cell/profiles';
import { readStoresConfig } from './store/stores-config';

/**
 * Several real node processes — standing in for the app and CLI runs — add to one stores.json and
 * one cells.json at the same moment (DESIGN 2.6): every add lands, a duplicate is refused in all
 * but one process, and no lock or temp file is left behind.
 */
let work: string;
let writer: string;
const PROCESSES = 4;
const EACH = 6;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pic-lock-procs-'));
  writer = join(work, 'writer.cjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'scripts', 'testbed', 'data-file-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    absWorkingDir: REPO_ROOT,
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface WriterResult {
  ok: string[];
  refused: Record<string, string>;
}

/** Starts every writer, waits until all say "ready", then lets them go at once. */
async function race(dataDir: string, kind: 'stores' | 'cells', namesOf: (p: number) => string[]): Promise<WriterResult[]> {
  const go = join(dataDir, '..', `go-${kind}`);
  const children = Array.from({ length: PROCESSES }, (_, p) => {
    const child = spawn(process.execPath, [writer, dataDir, go, kind, ...namesOf(p)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const ready = new Promise<void>((ok) => {
      const tick = () => (out.startsWith('ready\n') ? ok() : setTimeout(tick, 5));
      tick();
    });
    const exited = new Promise<WriterResult>((ok, fail) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code !== 0) fail(new Error(`writer ${p} exited ${code}: ${err}`));
        else ok(JSON.parse(out.split('\n')[1]!) as WriterResult);
      });
    });
    return { ready, exited };
  });
  await Promise.all(children.map((c) => c.ready));
  await writeFile(go, '');
  return Promise.all(children.map((c) => c.exited));
}

describe('writers in separate processes', () => {
  it('lose no store and refuse a duplicate URL in all processes but one', async () => {
    const dataDir = join(work, 'stores-home');
    const results = await race(dataDir, 'stores', (p) => [...Array.from({ length: EACH }, (_, i) => `p${p}-s${i}`), 'shared']);
    const stores = (await readStoresConfig(dataDir)).map((s) => s.name).sort();
    const expected = [...Array.from({ length: PROCESSES }, (_, p) => Array.from({ length: EACH }, (_, i) => `p${p}-s${i}`)).flat(), 'shared'].sort();
    expect(stores).toEqual(expected);
    expect(results.filter((r) => r.ok.includes('shared'))).toHaveLength(1);
    expect(results.flatMap((r) => Object.entries(r.refused))).toEqual(Array(PROCESSES - 1).fill(['shared', 'STORE_EXISTS']));
    expect(await readdir(dataDir)).toEqual(['stores.json']);
  });

  it('lose no cell profile and refuse a duplicate name in all processes but one', async () => {
    const dataDir = join(work, 'cells-home');
    const results = await race(dataDir, 'cells', (p) => [...Array.from({ length: EACH }, (_, i) => `p${p}-c${i}`), 'lab']);
    const names = (await listCellProfiles(dataDir)).map((c) => c.name).sort();
    expect(names).toEqual([...Array.from({ length: PROCESSES }, (_, p) => Array.from({ length: EACH }, (_, i) => `p${p}-c${i}`)).flat(), 'lab'].sort());
    expect(results.flatMap((r) => Object.entries(r.refused))).toEqual(Array(PROCESSES - 1).fill(['lab', 'PROFILE_EXISTS']));
    expect(await readdir(dataDir)).toEqual(['cells.json']);
  });
});
