import { describe, expect, it } from 'vitest';
import { assertRemoteRoot, assertServiceId, isValidServiceId, quoteRemoteArg } from './remote-quote';

describe('quoteRemoteArg', () => {
  it('refuses NUL, which no shell word can carry', () => {
    expect(() => quoteRemoteArg('a\0b')).toThrow(/NUL/);
  });

  it('quotes with single quotes only', () => {
    expect(quoteRemoteArg("it's")).toBe(`'it'\\''s'`);
  });
});

describe('service ids', () => {
  it('accepts store ids and refuses everything else', () => {
    expect(isValidServiceId('nextcloud')).toBe(true);
    expect(isValidServiceId('a'.repeat(63))).toBe(true);
    for (const bad of ['', '-x', 'A', 'a'.repeat(64), 'a/b', '../x', 'a b', 'a;b', 'a\n', 'é']) {
      expect(isValidServiceId(bad), bad).toBe(false);
      expect(() => assertServiceId(bad)).toThrow(/not a valid service id/);
    }
  });
});

describe('assertRemoteRoot', () => {
  it('accepts absolute roots and refuses relative, traversal and newlines', () => {
    expect(assertRemoteRoot('/opt/pic')).toBe('/opt/pic');
    expect(assertRemoteRoot("/srv/pic's root")).toBe("/srv/pic's root");
    expect(() => assertRemoteRoot('opt/pic')).toThrow(/absolute/);
    expect(() => assertRemoteRoot('/opt/../etc')).toThrow(/\.\./);
    expect(() => assertRemoteRoot('/opt/pic\n')).toThrow(/newline/);
  });
});
