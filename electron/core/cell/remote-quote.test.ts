import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertRemoteRoot, assertServiceId, isValidServiceId, quoteRemoteArg, remoteCommand } from './remote-quote';

/** Runs `printf '%s\0' WORDS` through a real POSIX shell and splits its output back into words. */
function shellWords(cmd: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${cmd}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const hostile = [
  '',
  ' ',
  "'",
  "''",
  "a'b",
  "'; touch /tmp/pwned; '",
  '$(touch /tmp/pwned)',
  '`id`',
  '${HOME}',
  '"double" \\back\\slash',
  'line1\nline2',
  '\t\r',
  '*',
  '~',
  '!event',
  '-n',
  '--',
  '& | ; < > ( ) { }',
  'unicode ✓ ümlaut',
  "\\'",
  'a\u0001b\u007f',
];

describe('quoteRemoteArg', () => {
  it.each(hostile)('keeps %j one literal word in a real shell', (s) => {
    expect(shellWords(quoteRemoteArg(s))).toEqual([s]);
  });

  it('keeps many hostile words apart and literal', () => {
    expect(shellWords(remoteCommand(hostile))).toEqual(hostile);
  });

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
