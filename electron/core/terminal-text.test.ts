import { describe, expect, it } from 'vitest';
import { terminalLines, terminalSafe } from './terminal-text';

describe('terminalSafe', () => {
  it('shows control characters, DEL, C1 and bidi overrides as visible escapes', () => {
    expect(terminalSafe('v2.5\x1b]0;owned\x07\x1b[2J')).toBe('v2.5\\x1b]0;owned\\x07\\x1b[2J');
    expect(terminalSafe('a\nb\tc\r\x7f\x9b')).toBe('a\\x0ab\\x09c\\x0d\\x7f\\x9b');
    expect(terminalSafe('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
  });
  it('leaves ordinary text, including non-ASCII, as it is', () => {
    expect(terminalSafe('enforce — config unreadable (Permission denied) → block · ü')).toBe('enforce — config unreadable (Permission denied) → block · ü');
  });
});

describe('terminalSafe: invisible and line-breaking characters', () => {
  it('escapes zero-width characters, isolates, line separators and the BOM', () => {
    expect(terminalSafe('ev\u200bil\u2066x\u2069\u2028\u2029\ufeff\u061c')).toBe('ev\\u200bil\\u2066x\\u2069\\u2028\\u2029\\ufeff\\u061c');
  });
});

describe('terminalLines', () => {
  it('ends each given line with a newline and escapes any newline inside one', () => {
    expect(terminalLines('a', 'b\nOK VERIFIED', '')).toBe('a\nb\\x0aOK VERIFIED\n\n');
    expect(terminalLines()).toBe('');
  });
});
