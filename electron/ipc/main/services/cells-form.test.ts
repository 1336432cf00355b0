import { describe, expect, it } from 'vitest';
import { formOfProfile, parseCellForm } from './cells-form';

const blank = { name: '', destination: '', port: '', identityFile: '', root: '', sshConfig: '' };

describe('parseCellForm', () => {
  it('turns a typed form into core input, with empty optional fields left out', () => {
    const r = parseCellForm({ ...blank, name: ' lab ', destination: 'admin@cell.example ', port: '2222' });
    expect(r).toEqual({ ok: true, input: { name: 'lab', destination: 'admin@cell.example', port: 2222 } });
  });

  it('keeps a non-default root and the identity and config files', () => {
    const r = parseCellForm({ ...blank, name: 'a', destination: 'cell', root: '/srv/pic', identityFile: '/k/id', sshConfig: '/k/cfg' });
    expect(r).toEqual({ ok: true, input: { name: 'a', destination: 'cell', root: '/srv/pic', identityFile: '/k/id', sshConfig: '/k/cfg' } });
  });

  it('reports one message per field: empty name, option-like destination, bad port, relative root', () => {
    const r = parseCellForm({ ...blank, destination: '-oProxyCommand=touch /tmp/x', port: '70000', root: 'relative/pic' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors).sort()).toEqual(['destination', 'name', 'port', 'root']);
    expect(r.fieldErrors.destination).toMatch(/starts with "-"/);
    expect(r.fieldErrors.port).toMatch(/1 to 65535/);
  });

  it('refuses whitespace inside a destination rather than removing it', () => {
    const r = parseCellForm({ ...blank, name: 'x', destination: 'user@host extra' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors.destination).toMatch(/whitespace/);
  });

  it('round-trips a stored profile through the form', () => {
    const form = formOfProfile({ name: 'c', destination: 'u@h', port: 22, root: '/opt/pic' });
    expect(form).toEqual({ name: 'c', destination: 'u@h', port: '22', identityFile: '', root: '/opt/pic', sshConfig: '', groups: '' });
    expect(parseCellForm(form)).toEqual({ ok: true, input: { name: 'c', destination: 'u@h', port: 22, root: '/opt/pic' } });
  });

  it('takes groups separated by commas or spaces, keeps them through an edit, and reports a bad group name on the groups field', () => {
    expect(parseCellForm({ ...blank, name: 'g', destination: 'cell', groups: ' east, web  lab ' })).toEqual({ ok: true, input: { name: 'g', destination: 'cell', groups: ['east', 'web', 'lab'] } });
    const form = formOfProfile({ name: 'g', destination: 'cell', root: '/opt/pic', groups: ['east', 'web'] });
    expect(form.groups).toBe('east, web');
    expect(parseCellForm(form)).toMatchObject({ ok: true, input: { groups: ['east', 'web'] } });
    const bad = parseCellForm({ ...blank, name: 'g', destination: 'cell', groups: 'all' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors)).toEqual(['groups']);
  });
});
