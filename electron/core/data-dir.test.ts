import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile, resolveDataDir, writeFileAtomic, writeJsonFile } from './data-dir';
import { CoreError } from './errors';

describe('resolveDataDir', () => {
  it('uses PIC_STORE_HOME over everything else', () => {
    expect(resolveDataDir({ PIC_STORE_HOME: '/srv/pic-home', XDG_CONFIG_HOME: '/x/config', HOME: '/home/ana', APPDATA: 'C:\\AppData' })).toBe('/srv/pic-home');
  });

  it.runIf(platform() === 'linux')('uses XDG_CONFIG_HOME on Linux when PIC_STORE_HOME is unset', () => {
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/ana' })).toBe('/x/config/pic-store-manager');
  });

  it.runIf(platform() === 'linux')('falls back to $HOME/.config on Linux', () => {
    expect(resolveDataDir({ HOME: '/home/ana' })).toBe('/home/ana/.config/pic-store-manager');
    // An empty variable counts as unset, as the shell spells "unset" in .env files.
    expect(resolveDataDir({ PIC_STORE_HOME: '', XDG_CONFIG_HOME: '', HOME: '/home/ana' })).toBe('/home/ana/.config/pic-store-manager');
  });
});

describe('writeFileAtomic / readJsonFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pic-data-dir-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the content whole, leaves no temporary file and writes mode 0600', async () => {
    const target = join(dir, 'nested', 'stores.json');
    await writeFileAtomic(target, 'x'.repeat(10_000));
    await writeFile(join(dir, 'nested', 'other'), 'unrelated');
    await writeFileAtomic(target, 'short');
    expect(await readFile(target, 'utf8')).toBe('short');
    expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['other', 'stores.json']);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
  });

  it('makes a replaced 0644 file 0600 (the new inode carries the mode)', async () => {
    const target = join(dir, 'cells.json');
    await writeFile(target, 'old', { mode: 0o644 });
    await writeFileAtomic(target, Buffer.from('new'));
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('removes its temporary file when the write fails (a directory in the way)', async () => {
    const target = join(dir, 'stores.json');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'kept');
    await expect(writeFileAtomic(target, '{}')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['stores.json']);
    expect(await readFile(join(target, 'inside'), 'utf8')).toBe('kept');
  });

  it('reads back what writeJsonFile wrote; a missing file is undefined', async () => {
    const target = join(dir, 'cells.json');
    expect(await readJsonFile(target)).toBeUndefined();
    await writeJsonFile(target, { cells: [{ name: 'lab' }] });
    expect(await readJsonFile(target)).toEqual({ cells: [{ name: 'lab' }] });
    expect(await readFile(target, 'utf8')).toBe('{\n  "cells": [\n    {\n      "name": "lab"\n    }\n  ]\n}\n');
  });

  it('names a corrupt file DATA_FILE_CORRUPT with line and column, never quoting its content', async () => {
    const target = join(dir, 'stores.json');
    const secret = 'sk-live-THIS-MUST-NOT-LEAK';
    await writeFile(target, `{\n  "a": 1,\n  ${secret}\n}\n`);
    const err = await readJsonFile(target).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CoreError);
    const core = err as CoreError;
    expect(core.code).toBe('DATA_FILE_CORRUPT');
    expect(core.message).toContain(target);
    expect(core.message).toContain('line 3, column 3');
    expect(core.message).not.toContain(secret);
    expect(core.message).not.toContain('sk-live');
    // Left as it was: nothing replaced it with a default.
    expect(await readFile(target, 'utf8')).toContain(secret);
  });

  it('reports a directory where a data file should be as DATA_FILE_UNREADABLE', async () => {
    const target = join(dir, 'cells.json');
    await mkdir(target);
    await expect(readJsonFile(target)).rejects.toMatchObject({ code: 'DATA_FILE_UNREADABLE' });
    await expect(readJsonFile(target)).rejects.toBeInstanceOf(CoreError);
  });
});
