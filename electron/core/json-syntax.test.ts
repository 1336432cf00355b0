import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax';

const valid = ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', ' { "a" : [ true , false , null , { } ] } ', '{"a":1,"a":2}'];
const invalid: Array<[string, number, number, RegExp]> = [
  ['{\n  "a": 1,\n}', 3, 1, /unexpected token/],
  ['{\n"a":\n', 3, 1, /end of input/],
  ['', 1, 1, /end of input/],
  ['{"a" 1}', 1, 6, /unexpected token/],
  ["{'a': 1}", 1, 2, /unexpected token/],
  ['{"a": tru}', 1, 10, /unexpected token/],
  ['{"a": 01}', 1, 8, /unexpected token/],
  ['{"a": "x\ty"}', 1, 9, /control character/],
  ['{"a": "x', 1, 9, /unterminated string/],
  ['{} {}', 1, 4, /unexpected token/],
  ['[1,]', 1, 4, /unexpected token/],
  ['{"a": "\\x"}', 1, 9, /bad escape/],
];

describe('findJsonSyntaxError', () => {
  it.each(valid)('accepts %j exactly when JSON.parse does', (t) => {
    expect(() => JSON.parse(t)).not.toThrow();
    expect(findJsonSyntaxError(t)).toBeNull();
  });
  it.each(invalid)('locates the error in %j', (t, line, column, msg) => {
    expect(() => JSON.parse(t)).toThrow();
    const e = findJsonSyntaxError(t);
    expect(e).toMatchObject({ line, column });
    expect(e?.message).toMatch(msg);
  });
  it('survives deep nesting without a stack overflow', () => {
    expect(findJsonSyntaxError('['.repeat(100_000))?.message).toMatch(/nested too deeply/);
  });
});
