import { describe, expect, it } from 'vitest';
import { batchSize, checkConcurrency, checkThreshold, formBatches, parseBatches, stopsAfter } from './batches';

const cells = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);

describe('fleet batches (Ansible serial semantics)', () => {
  it('parses the CLI list and refuses what is not a count or a percentage', () => {
    expect(parseBatches('1,10%,100%')).toEqual([1, '10%', '100%']);
    expect(parseBatches(' 2 , 50% ')).toEqual([2, '50%']);
    for (const bad of ['', '0', '1,,2', '101%', '-1', 'x', '1.5', '0%']) expect(() => parseBatches(bad), bad).toThrow(/batch|--batches/);
  });

  it('rounds percentages down, at least one cell, and repeats the last entry', () => {
    expect(batchSize('10%', 8)).toBe(1);
    expect(batchSize('10%', 25)).toBe(2);
    expect(batchSize('33%', 10)).toBe(3);
    expect(formBatches(cells(10), [1, '10%', '100%']).map((b) => b.length)).toEqual([1, 1, 8]);
    expect(formBatches(cells(25), [1, '10%', '100%']).map((b) => b.length)).toEqual([1, 2, 22]);
    expect(formBatches(cells(7), [2])).toEqual([['c1', 'c2'], ['c3', 'c4'], ['c5', 'c6'], ['c7']]);
    expect(formBatches(cells(9), [1, '30%'])).toEqual([['c1'], ['c2', 'c3'], ['c4', 'c5'], ['c6', 'c7'], ['c8', 'c9']]);
    expect(formBatches([], [1])).toEqual([]);
  });

  it('stops when the failed share EXCEEDS the threshold, and after an all-failed batch', () => {
    expect(stopsAfter(0, 1, null)).toBe(false);
    expect(stopsAfter(1, 1, null)).toBe(true);
    expect(stopsAfter(2, 3, null)).toBe(false);
    expect(stopsAfter(1, 3, 33)).toBe(true);
    expect(stopsAfter(1, 3, 34)).toBe(false);
    expect(stopsAfter(1, 2, 50)).toBe(false);
    expect(stopsAfter(1, 10, 10)).toBe(false); // 1/10 is not more than 10 % (no floating-point drift)
    expect(stopsAfter(1, 100, 0)).toBe(true);
    expect(stopsAfter(3, 3, 100)).toBe(true);
  });

  it('checks thresholds and concurrency', () => {
    expect(checkThreshold(undefined)).toBeNull();
    expect(checkThreshold(0)).toBe(0);
    expect(() => checkThreshold(101)).toThrow(/0 to 100/);
    expect(checkConcurrency(undefined)).toBe(5);
    expect(() => checkConcurrency(0)).toThrow(/1 to 64/);
  });
});
