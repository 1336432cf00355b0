import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCellProfile, editCellProfile, listCellProfiles, removeCellProfile } from './cell/profiles';
import { writeJsonFile } from './data-dir';
import { lockPathOf, withFileLock } from './file-lock';
import { addStore, readStoresConfig, removeStore } from './store/stores-config';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-file-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
}

function outcomes(results: PromiseSettledResult<unknown>[]) {
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    codes: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code),
  };
}

describe('concurrent writers in one process (concurrent IPC calls)', () => {
  it('keeps every one of 24 store adds made at once', async () => {
    const urls = Array.from({ length: 24 }, (_, i) => `https://store${i}.example/index.json`);
    await Promise.all(urls.map((u, i) => addStore(dir, { location: u, name: `Store ${i}` })));
    expect((await readStoresConfig(dir)).map((s) => s.url).sort()).toEqual([...urls].sort());
  });

  it('refuses all but one add of the same URL, made at once', async () => {
    const r = await Promise.allSettled(Array.from({ length: 8 }, () => addStore(dir, { location: 'https://same.example/index.json' })));
    expect(outcomes(r)).toEqual({ ok: 1, codes: Array(7).fill('STORE_EXISTS') });
    expect(await readStoresConfig(dir)).toHaveLength(1);
  });

  it('loses no store when adds and removes interleave', async () => {
    await addStore(dir, { location: 'https://gone.example/index.json' });
    await Promise.all([
      addStore(dir, { location: 'https://a.example/index.json' }),
      removeStore(dir, 'https://gone.example/index.json'),
      addStore(dir, { location: 'https://b.example/index.json' }),
    ]);
    expect((await readStoresConfig(dir)).map((s) => s.url).sort()).toEqual(['https://a.example/index.json', 'https://b.example/index.json']);
  });

  it('keeps every cell added, edited and removed at once, and refuses duplicate names', async () => {
    const keep = await addCellProfile(dir, { name: 'keep', destination: 'admin@keep' });
    const drop = await addCellProfile(dir, { name: 'drop', destination: 'admin@drop' });
    const r = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) => addCellProfile(dir, { name: `cell-${i}`, destination: `admin@host${i}` })),
      ...Array.from({ length: 6 }, () => addCellProfile(dir, { name: 'twin', destination: 'admin@twin' })),
      editCellProfile(dir, keep.id, { name: 'kept', destination: 'admin@keep' }),
      removeCellProfile(dir, drop.id),
    ]);
    expect(outcomes(r)).toEqual({ ok: 12 + 1 + 2, codes: Array(5).fill('PROFILE_EXISTS') });
    const names = (await listCellProfiles(dir)).map((c) => c.name).sort();
    expect(names).toEqual([...Array.from({ length: 12 }, (_, i) => `cell-${i}`), 'kept', 'twin'].sort());
  });

  it('refuses an edit to a name another cell took at the same moment', async () => {
    const a = await addCellProfile(dir, { name: 'a', destination: 'admin@a' });
    const r = await Promise.allSettled([addCellProfile(dir, { name: 'lab', destination: 'admin@lab' }), editCellProfile(dir, a.id, { name: 'lab', destination: 'admin@a' })]);
    expect(outcomes(r)).toEqual({ ok: 1, codes: ['PROFILE_EXISTS'] });
    expect((await listCellProfiles(dir)).filter((c) => c.name === 'lab')).toHaveLength(1);
  });
});

describe('the lock file', () => {
  const stores = () => join(dir, 'stores.json');

  it('is gone after a write, and after a write that failed', async () => {
    await addStore(dir, { location: 'https://a.example/index.json' });
    await expect(addStore(dir, { location: 'https://a.example/index.json' })).rejects.toMatchObject({ code: 'STORE_EXISTS' });
    expect((await readdir(dir)).sort()).toEqual(['stores.json']);
  });

  it('left by a killed writer (its pid is dead) is broken and the write goes ahead', async () => {
    await writeFile(lockPathOf(stores()), `${deadPid()} ${hostname()} ${Date.now()} feedface\n`);
    await addStore(dir, { location: 'https://a.example/index.json' });
    expect(await readStoresConfig(dir)).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['stores.json']);
  });

  it('left empty by a writer killed right after creating it is broken once it is a few seconds old', async () => {
    await writeFile(lockPathOf(stores()), '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPathOf(stores()), old, old);
    await addStore(dir, { location: 'https://a.example/index.json' });
    expect(await readStoresConfig(dir)).toHaveLength(1);
  });

  it('held by a live process makes a writer wait, then give up with DATA_FILE_LOCKED, changing nothing', async () => {
    await writeJsonFile(stores(), { stores: [] });
    const before = await readFile(stores(), 'utf8');
    // The test runner's parent is alive for the whole test.
    await writeFile(lockPathOf(stores()), `${process.ppid} ${hostname()} ${Date.now()} cafe\n`);
    const started = Date.now();
    const err = await withFileLock(stores(), async () => 'ran', { waitMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DATA_FILE_LOCKED' });
    expect((err as Error).message).toContain(`process ${process.ppid}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await readFile(stores(), 'utf8')).toBe(before);
    expect(await readFile(lockPathOf(stores()), 'utf8')).toContain('cafe');
  });

  it('of a live owner is taken over only once it is older than the stale limit (a hung or reused pid)', async () => {
    await writeFile(lockPathOf(stores()), `${process.ppid} ${hostname()} ${Date.now() - 120_000} cafe\n`);
    expect(await withFileLock(stores(), async () => 'ran', { waitMs: 300, staleMs: 60_000 })).toBe('ran');
  });
});

describe('temp files of a killed writer', () => {
  it('are removed by the next write; a live writer’s fresh one is left alone', async () => {
    const target = join(dir, 'cells.json');
    const dead = `${target}.${deadPid()}.0123456789ab.tmp`;
    const live = `${target}.${process.ppid}.ba9876543210.tmp`;
    const other = join(dir, 'stores.json.1.00aa.tmp.keep');
    await Promise.all([writeFile(dead, '{"half'), writeFile(live, '{"half'), writeFile(other, 'not ours')]);
    await addCellProfile(dir, { name: 'lab', destination: 'admin@lab' });
    const left = await readdir(dir);
    expect(left).not.toContain(`cells.json.${dead.split('cells.json.')[1]}`);
    expect(left.sort()).toEqual(['cells.json', live.slice(dir.length + 1), 'stores.json.1.00aa.tmp.keep'].sort());
  });

  it('are removed when older than the stale limit whoever wrote them', async () => {
    const target = join(dir, 'stores.json');
    const old = `${target}.${process.ppid}.0123456789ab.tmp`;
    await writeFile(old, '{"half');
    const t = new Date(Date.now() - 10 * 60_000);
    await utimes(old, t, t);
    await addStore(dir, { location: 'https://a.example/index.json' });
    expect(await readdir(dir)).toEqual(['stores.json']);
  });
});
