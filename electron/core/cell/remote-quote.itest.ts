import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteRemoteArg, remoteCommand } from './remote-quote';

// The one audited quoting function, checked against a real POSIX shell: every hostile word comes
// back as one literal word. The refusals are unit-tested in remote-quote.test.ts.

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
});
