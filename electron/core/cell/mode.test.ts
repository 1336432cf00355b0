import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, modeBanner, resolveMode, type ConfigRead } from './mode';

const bytes = (s: string | Uint8Array): ConfigRead => ({ kind: 'bytes', bytes: typeof s === 'string' ? new TextEncoder().encode(s) : s });

describe('resolveMode (DESIGN 2.2 table)', () => {
  it.each(['off', 'warn', 'enforce'])('valid %s comes from the config', (m) => {
    expect(resolveMode(bytes(JSON.stringify({ other: 1, image_verification: { mode: m } })))).toEqual({
      value: m,
      source: 'config',
      detail: 'set in cell_config.json',
    });
  });

  it.each<[string, ConfigRead, RegExp]>([
    ['absent file', { kind: 'absent' }, /no cell_config.json/],
    ['absent section', bytes('{"api": {}}'), /no image_verification/],
    ['{} section', bytes('{"image_verification": {}}'), /has no mode/],
  ])('%s → enforce by default', (_n, read, detail) => {
    const r = resolveMode(read);
    expect(r.value).toBe('enforce');
    expect(r.source).toBe('default');
    expect(r.detail).toMatch(detail);
  });

  it.each<[string, ConfigRead, RegExp]>([
    ['empty', bytes(''), /empty/],
    ['whitespace only', bytes(' \n'), /empty/],
    ['BOM', bytes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"image_verification":{"mode":"off"}}')])), /byte-order mark/],
    ['not JSON', bytes('{\n  "image_verification": {\n    "mode": "off",\n  }\n}'), /unexpected token at line 4, column 3/],
    ['truncated', bytes('{"image_verification": {"mode": "off"'), /end of input at line 1/],
    ['top-level array', bytes('[{"image_verification":{"mode":"off"}}]'), /top level is an array/],
    ['top-level string', bytes('"off"'), /top level is a string/],
    ['top-level null', bytes('null'), /top level is null/],
    ['section null', bytes('{"image_verification": null}'), /image_verification is null/],
    ['section string', bytes('{"image_verification": "off"}'), /image_verification is a string/],
    ['section array', bytes('{"image_verification": ["off"]}'), /image_verification is an array/],
    ['mode number', bytes('{"image_verification": {"mode": 0}}'), /mode is a number/],
    ['mode null', bytes('{"image_verification": {"mode": null}}'), /mode is null/],
    ['mode bool', bytes('{"image_verification": {"mode": false}}'), /mode is a boolean/],
    ['"Enforce"', bytes('{"image_verification": {"mode": "Enforce"}}'), /unknown mode "Enforce"/],
    ['"disabled"', bytes('{"image_verification": {"mode": "disabled"}}'), /unknown mode "disabled"/],
    ['" off"', bytes('{"image_verification": {"mode": " off"}}'), /unknown mode/],
    ['invalid UTF-8', bytes(new Uint8Array([0x7b, 0xff, 0x7d])), /UTF-8/],
    ['directory', { kind: 'not-regular', fileType: 'directory' }, /is a directory/],
    ['unreadable', { kind: 'unreadable', reason: 'Permission denied' }, /Permission denied/],
    ['too large (reported)', { kind: 'too-large' }, /larger than 1048576/],
    ['too large (bytes)', bytes(new Uint8Array(MAX_CONFIG_BYTES + 1).fill(0x20)), /larger than/],
  ])('%s → enforce, fail-closed', (_n, read, detail) => {
    const r = resolveMode(read);
    expect(r).toMatchObject({ value: 'enforce', source: 'fail-closed' });
    expect(r.detail).toMatch(detail);
  });

  it('duplicate keys: the last one wins, as the cell parser does', () => {
    expect(resolveMode(bytes('{"image_verification":{"mode":"enforce","mode":"off"}}'))).toMatchObject({ value: 'off', source: 'config' });
    expect(resolveMode(bytes('{"image_verification":{"mode":"off"},"image_verification":null}'))).toMatchObject({ source: 'fail-closed' });
  });

  it('exactly 1 MiB of valid JSON is still read', () => {
    const doc = '{"image_verification":{"mode":"warn"},"pad":"';
    const s = doc + 'x'.repeat(MAX_CONFIG_BYTES - doc.length - 2) + '"}';
    expect(s.length).toBe(MAX_CONFIG_BYTES);
    expect(resolveMode(bytes(s))).toMatchObject({ value: 'warn', source: 'config' });
  });

  it('banners say why', () => {
    expect(modeBanner(resolveMode(bytes('{\n"a": 1,\n}')))).toBe('enforce — config unreadable: unexpected token at line 3, column 1 (failing closed)');
    expect(modeBanner(resolveMode({ kind: 'absent' }))).toBe('enforce — default (no cell_config.json on the cell)');
    expect(modeBanner(resolveMode(bytes('{"image_verification":{"mode":"warn"}}')))).toBe("warn — set in the cell's config");
  });
});
