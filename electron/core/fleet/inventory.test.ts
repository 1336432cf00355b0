import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CellProfile } from '../cell/profiles';
import { exportInventory, importInventory } from './inventory';
import { selectCells } from './selection';

const profile = (p: Partial<CellProfile> & { name: string; destination: string }): CellProfile => ({ id: p.name, root: '/opt/pic', ...p });

describe('Ansible inventory', () => {
  const cells = [
    profile({ name: 'edge-1', destination: 'pic@10.0.0.1', port: 2201, groups: ['edge', 'prod'] }),
    profile({ name: 'edge-2', destination: '10.0.0.2', identityFile: '/k/id', groups: ['edge'] }),
    profile({ name: 'lab', destination: 'ssh://admin@lab.lan:2222', root: '/srv/pic', sshConfig: '/c/ssh' }),
  ];

  it('exports hosts with ansible_host/port/user and groups, and imports them back to the same profiles', () => {
    const text = exportInventory(cells);
    const doc = parse(text) as { all: { hosts: Record<string, Record<string, unknown>>; children: Record<string, { hosts: Record<string, null> }> } };
    expect(doc.all.hosts['edge-1']).toEqual({ ansible_host: '10.0.0.1', ansible_port: 2201, ansible_user: 'pic' });
    expect(doc.all.hosts.lab).toEqual({ ansible_host: 'lab.lan', ansible_port: 2222, ansible_user: 'admin', pic_root: '/srv/pic', pic_ssh_config: '/c/ssh' });
    expect(Object.keys(doc.all.children.edge!.hosts)).toEqual(['edge-1', 'edge-2']);
    const back = importInventory(text);
    expect(back.find((p) => p.name === 'edge-1')).toEqual({ name: 'edge-1', destination: 'pic@10.0.0.1', port: 2201, root: '/opt/pic', groups: ['edge', 'prod'] });
    expect(back.find((p) => p.name === 'edge-2')).toEqual({ name: 'edge-2', destination: '10.0.0.2', identityFile: '/k/id', root: '/opt/pic', groups: ['edge'] });
    expect(back.find((p) => p.name === 'lab')).toEqual({ name: 'lab', destination: 'admin@lab.lan', port: 2222, root: '/srv/pic', sshConfig: '/c/ssh' });
  });

  it('reads a hand-written inventory: group vars inherited, host vars win, nested children give every group', () => {
    const got = importInventory(`
all:
  vars: { ansible_user: ops }
  children:
    prod:
      vars: { ansible_port: 2200 }
      children:
        web:
          hosts:
            w1: { ansible_host: 192.0.2.10 }
            w2: { ansible_host: 192.0.2.11, ansible_port: "2222", ansible_user: root }
    db:
      hosts:
        w1:
dmz:
  hosts:
    gate: { ansible_host: gate.example }
`);
    expect(got).toEqual([
      { name: 'w1', destination: 'ops@192.0.2.10', port: 2200, root: '/opt/pic', groups: ['db', 'prod', 'web'] },
      { name: 'w2', destination: 'root@192.0.2.11', port: 2222, root: '/opt/pic', groups: ['prod', 'web'] },
      { name: 'gate', destination: 'gate.example', root: '/opt/pic', groups: ['dmz'] },
    ]);
  });

  it('refuses ranges, bad group names, bad ports, and names an inventory cannot hold', () => {
    expect(() => importInventory('all:\n  hosts:\n    web[01:10]:\n')).toThrow(/ranges/);
    expect(() => importInventory('all:\n  children:\n    web-servers:\n      hosts: { a: }\n')).toThrow(/group name "web-servers"/);
    expect(() => importInventory('all:\n  hosts:\n    a: { ansible_port: 70000 }\n')).toThrow(/ansible_port of host "a"/);
    expect(() => importInventory('- a\n- b\n')).toThrow(/mapping of groups/);
    expect(() => importInventory('all:\n  hosts:\n    a: { ansible_ssh_host: 10.0.0.9 }\n')).toThrow(/host "a" sets ansible_ssh_host.*use ansible_host/);
    expect(() => importInventory('all:\n  vars: { ansible_ssh_common_args: "-o ProxyJump=bastion" }\n  hosts:\n    b:\n')).toThrow(/host "b" sets ansible_ssh_common_args.*pic_ssh_config/);
    expect(() => importInventory('all: [\n')).toThrow(/not valid YAML/);
    expect(() => exportInventory([profile({ name: 'home lab', destination: 'x' })])).toThrow(/"home lab"/);
  });

  it('selects by names and groups in cells.json order, refusing unknown and ambiguous words', () => {
    expect(selectCells(cells, ['lab,edge']).map((c) => c.name)).toEqual(['edge-1', 'edge-2', 'lab']);
    expect(selectCells(cells, ['prod']).map((c) => c.name)).toEqual(['edge-1']);
    expect(selectCells(cells, ['all']).map((c) => c.name)).toEqual(cells.map((c) => c.name));
    expect(selectCells([...cells, profile({ name: 'all', destination: 'a' })], ['all']).map((c) => c.name)).toEqual(['all']);
    expect(() => selectCells(cells, ['nope'])).toThrow(/no cell or group named "nope"/);
    expect(() => selectCells([...cells, profile({ name: 'edge', destination: 'e' })], ['edge'])).toThrow(/both a cell and a group/);
    expect(() => selectCells(cells, [' , '])).toThrow(/no cells were selected/);
  });
});
