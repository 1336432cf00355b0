import { describe, expect, it } from 'vitest';
import { lineSplitter } from './line-splitter';

describe('lineSplitter', () => {
  it('a marker split across chunks arrives whole, even with the other stream in between', () => {
    const seen: [string, string][] = [];
    const s = lineSplitter((stream, line) => seen.push([stream, line]));
    s.push('stdout', 'Removing web ... done\n@@PIC-');
    s.push('stderr', 'warning: something\nhalf of a');
    s.push('stdout', 'O');
    s.push('stdout', 'K\n');
    s.push('stderr', 'n error\n');
    expect(seen).toEqual([
      ['stdout', 'Removing web ... done'],
      ['stderr', 'warning: something'],
      ['stdout', '@@PIC-OK'],
      ['stderr', 'half of an error'],
    ]);
  });

  it('flush delivers a last line without a newline, once; CRLF endings are trimmed', () => {
    const seen: string[] = [];
    const s = lineSplitter((_stream, line) => seen.push(line));
    s.push('stdout', 'a\r\nb');
    s.flush();
    s.flush();
    expect(seen).toEqual(['a', 'b']);
  });

  it('a line longer than the bound is delivered in pieces rather than held without limit', () => {
    const seen: string[] = [];
    const s = lineSplitter((_stream, line) => seen.push(line), 10);
    s.push('stdout', 'x'.repeat(25));
    s.push('stdout', '\n');
    expect(seen.join('')).toBe('x'.repeat(25));
    expect(seen.every((l) => l.length <= 10)).toBe(true);
  });
});
