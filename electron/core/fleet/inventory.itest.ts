import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { addCellProfile, listCellProfiles } from '../cell/profiles';
import { dataPaths } from '../data-dir';

/**
 * Inventory round trip against Ansible itself (ansible-core from Debian): what `pic-store
 * inventory export` writes, `ansible-inventory --list` reads with every host, address, port, user
 * and group; a hand-written inventory imported with `pic-store inventory import` gives the same
 * profiles, and adds no host key (each is confirmed before first use).
 */
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-inventory-'));
  env = { PIC_STORE_HOME: join(dir, 'home'), PATH: process.env.PATH, HOME: dir };
  await buildCli();
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ansibleInventory(file: string): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) =>
    execFile('ansible-inventory', ['-i', file, '--list'], { env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp') }, timeout: 60_000 }, (e, out, err) => (e ? fail(new Error(`${e.message}: ${err}`)) : ok(JSON.parse(out) as Record<string, unknown>))),
  );
}

describe('Ansible inventory import and export', () => {
  it('export is read by ansible-inventory with every host and group; a hand-written inventory imports to the same profiles', async () => {
    const home = env.PIC_STORE_HOME!;
    await addCellProfile(home, { name: 'edge-1', destination: 'pic@192.0.2.1', port: 2201, groups: ['edge', 'prod'] });
    await addCellProfile(home, { name: 'edge-2', destination: '192.0.2.2', identityFile: '/keys/id_ed25519', groups: ['edge'] });
    await addCellProfile(home, { name: 'lab', destination: 'admin@lab.example', root: '/srv/pic' });
    const file = join(dir, 'exported.yml');
    const out = await runBuiltCli(['inventory', 'export', '--output', file], { env });
    expect(out.code, out.stderr).toBe(0);
    const listed = (await ansibleInventory(file)) as { _meta: { hostvars: Record<string, Record<string, unknown>> }; edge: { hosts: string[] }; prod: { hosts: string[] }; all: { children: string[] } };
    expect(Object.keys(listed._meta.hostvars).sort()).toEqual(['edge-1', 'edge-2', 'lab']);
    expect(listed._meta.hostvars['edge-1']).toMatchObject({ ansible_host: '192.0.2.1', ansible_port: 2201, ansible_user: 'pic' });
    expect(listed._meta.hostvars['edge-2']).toMatchObject({ ansible_host: '192.0.2.2', ansible_ssh_private_key_file: '/keys/id_ed25519' });
    expect(listed._meta.hostvars.lab).toMatchObject({ ansible_host: 'lab.example', ansible_user: 'admin', pic_root: '/srv/pic' });
    expect(listed.edge.hosts.sort()).toEqual(['edge-1', 'edge-2']);
    expect(listed.prod.hosts).toEqual(['edge-1']);
    expect(listed.all.children).toEqual(expect.arrayContaining(['edge', 'prod', 'ungrouped']));

    // The same cells written by hand the way admins write inventories: group vars, nesting.
    const hand = join(dir, 'hand.yml');
    await writeFile(hand, ['all:', '  children:', '    prod:', '      hosts:', '        edge-1:', '          ansible_host: 192.0.2.1', '          ansible_port: 2201', '          ansible_user: pic', '      children:', '        edge:', '          hosts:', '            edge-2:', '              ansible_host: 192.0.2.2', '              ansible_ssh_private_key_file: /keys/id_ed25519', '            edge-1:', '  hosts:', '    lab:', '      ansible_host: lab.example', '      ansible_user: admin', '      pic_root: /srv/pic', ''].join('\n'));
    await ansibleInventory(hand);
    const other = { ...env, PIC_STORE_HOME: join(dir, 'home2') };
    const imported = await runBuiltCli(['inventory', 'import', hand, '--json'], { env: other });
    expect(imported.code, imported.stderr).toBe(0);
    const strip = (ps: Awaited<ReturnType<typeof listCellProfiles>>) => ps.map(({ id: _id, ...p }) => ({ ...p, groups: p.groups ? [...p.groups].sort() : undefined })).sort((a, b) => a.name.localeCompare(b.name));
    const want = strip(await listCellProfiles(home)).map((p) => (p.name === 'edge-2' ? { ...p, groups: ['edge', 'prod'] } : p));
    // edge-2 sits in edge, a child of prod: Ansible (and the import) count it in both.
    expect(strip(await listCellProfiles(other.PIC_STORE_HOME))).toEqual(want);
    await expect(readFile(dataPaths(other.PIC_STORE_HOME).knownHosts, 'utf8')).rejects.toThrow(/ENOENT/);
    // Importing again clashes by name and changes nothing.
    const again = await runBuiltCli(['inventory', 'import', hand], { env: other });
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/already exist; nothing was imported/);
    expect(await listCellProfiles(other.PIC_STORE_HOME)).toHaveLength(3);
  }, 120_000);
});
