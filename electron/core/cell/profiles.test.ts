import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCellProfile,
  adHocProfile,
  destinationProblem,
  editCellProfile,
  getCellProfile,
  isDefaultRoot,
  listCellProfiles,
  removeCellProfile,
} from './profiles';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cell profiles', () => {
  it('adds, edits, lists and removes, persisting to cells.json', async () => {
    expect(await listCellProfiles(dir)).toEqual([]);
    const a = await addCellProfile(dir, { name: 'home', destination: 'admin@cell.lan' });
    expect(a.root).toBe('/opt/pic');
    expect(isDefaultRoot(a)).toBe(true);
    const b = await addCellProfile(dir, { name: 'lab', destination: 'lab', port: 2222, root: '/srv/pic', identityFile: '/k/id' });
    expect(isDefaultRoot(b)).toBe(false);
    const onDisk = JSON.parse(await readFile(join(dir, 'cells.json'), 'utf8'));
    expect(onDisk.cells.map((c: { name: string }) => c.name)).toEqual(['home', 'lab']);

    const edited = await editCellProfile(dir, b.id, { name: 'lab2', destination: 'lab', port: 22 });
    expect(edited).toMatchObject({ id: b.id, name: 'lab2', port: 22, root: '/opt/pic' });
    expect((await getCellProfile(dir, 'lab2'))?.id).toBe(b.id);

    await removeCellProfile(dir, a.id);
    expect((await listCellProfiles(dir)).map((c) => c.name)).toEqual(['lab2']);
  });

  it('refuses duplicates and invalid input with the field named', async () => {
    await addCellProfile(dir, { name: 'home', destination: 'h' });
    await expect(addCellProfile(dir, { name: 'home', destination: 'x' })).rejects.toThrow(/already exists/);
    await expect(addCellProfile(dir, { name: 'x', destination: '-oProxyCommand=touch /tmp/p' })).rejects.toThrow(/destination: .*starts with "-"/);
    await expect(addCellProfile(dir, { name: 'x', destination: 'h', root: 'relative' })).rejects.toThrow(/root: .*absolute/);
    await expect(addCellProfile(dir, { name: 'x', destination: 'h', port: 70000 })).rejects.toThrow(/port/);
    await expect(editCellProfile(dir, 'nope', { name: 'x', destination: 'h' })).rejects.toThrow(/no cell profile/);
  });

  it('reports a corrupt cells.json and never replaces it', async () => {
    const path = join(dir, 'cells.json');
    await writeFile(path, '{ not json');
    await expect(listCellProfiles(dir)).rejects.toMatchObject({ code: 'DATA_FILE_CORRUPT' });
    await expect(addCellProfile(dir, { name: 'a', destination: 'h' })).rejects.toMatchObject({ code: 'DATA_FILE_CORRUPT' });
    expect(await readFile(path, 'utf8')).toBe('{ not json');
    await writeFile(path, '{"cells":[{"name":"a"}]}');
    await expect(listCellProfiles(dir)).rejects.toThrow(/left as it is/);
  });

  it('refuses option-like and whitespace destinations', () => {
    expect(destinationProblem('-oProxyCommand=x')).toMatch(/starts with "-"/);
    expect(destinationProblem('host -oProxyCommand=x')).toMatch(/whitespace/);
    expect(destinationProblem('a\nb')).toMatch(/control/);
    expect(destinationProblem('')).toMatch(/empty/);
    expect(destinationProblem('root@[::1]')).toBeNull();
    expect(adHocProfile({ destination: 'cell' })).toMatchObject({ name: 'cell', root: '/opt/pic' });
  });
});

describe('cell profile groups', () => {
  it('keeps valid groups and refuses names Ansible would not take', async () => {
    const a = await addCellProfile(dir, { name: 'g1', destination: 'g1.lan', groups: ['edge', 'prod_eu'] });
    expect(a.groups).toEqual(['edge', 'prod_eu']);
    await expect(addCellProfile(dir, { name: 'g2', destination: 'g2.lan', groups: ['web-servers'] })).rejects.toThrow(/group name "web-servers"/);
    await expect(addCellProfile(dir, { name: 'g3', destination: 'g3.lan', groups: ['all'] })).rejects.toThrow(/implicit group/);
    await expect(addCellProfile(dir, { name: 'g4', destination: 'g4.lan', groups: ['a', 'a'] })).rejects.toThrow(/listed twice/);
    expect((await listCellProfiles(dir)).map((c) => c.name)).toEqual(['g1']);
  });

  it('adds an imported batch in one write, or nothing when a name clashes', async () => {
    const { addCellProfiles } = await import('./profiles');
    await addCellProfile(dir, { name: 'x', destination: 'x.lan' });
    await expect(addCellProfiles(dir, [{ name: 'y', destination: 'y.lan' }, { name: 'x', destination: 'x2.lan' }])).rejects.toThrow(/"x" already exist/);
    expect((await listCellProfiles(dir)).map((c) => c.name)).toEqual(['x']);
    await addCellProfiles(dir, [{ name: 'y', destination: 'y.lan' }, { name: 'z', destination: 'z.lan', groups: ['lab'] }]);
    expect((await listCellProfiles(dir)).map((c) => c.name)).toEqual(['x', 'y', 'z']);
  });
});
