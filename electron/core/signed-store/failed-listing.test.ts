import { describe, expect, it } from 'vitest';
import { RuntimeError } from 'tuf-js/dist/error';
import { failedListing } from './signed-refresh';
import { classifyTufError } from './tuf-errors';
import { UNREACHABLE_MARK } from './tuf-fetcher';

// DESIGN 2.7's state table for a failed update, given what was trusted before it (pure logic;
// the real tuf-js behaviour is covered by signed-refresh.itest.ts).
const NOW = Date.parse('2027-01-01T00:00:00Z');
const valid = { version: 3, expires: '2027-02-01T00:00:00Z', at: '' };
const past = { version: 3, expires: '2026-12-01T00:00:00Z', at: '' };

describe('failedListing', () => {
  it('maps each code to its state, keeping the trusted version and expiry', () => {
    expect(failedListing(valid, 'STORE_UNREACHABLE', 'x', NOW)).toMatchObject({ version: 3, state: 'stale', error: { code: 'STORE_UNREACHABLE' } });
    expect(failedListing(past, 'STORE_UNREACHABLE', 'x', NOW)).toMatchObject({ version: 3, state: 'expired', error: { code: 'STORE_EXPIRED' } });
    expect(failedListing(valid, 'STORE_EXPIRED', 'x', NOW)).toMatchObject({ state: 'refused', error: { code: 'STORE_EXPIRED' } });
    expect(failedListing(past, 'STORE_EXPIRED', 'x', NOW)).toMatchObject({ state: 'expired', error: { code: 'STORE_EXPIRED' } });
    for (const code of ['STORE_ROLLBACK', 'STORE_METADATA_INVALID', 'STORE_TARGET_MISMATCH'] as const) {
      expect(failedListing(valid, code, 'x', NOW)).toMatchObject({ version: 3, expires: valid.expires, state: 'refused', error: { code } });
    }
    expect(failedListing(null, 'STORE_UNREACHABLE', 'x', NOW)).toMatchObject({ version: null, state: 'unreadable' });
    expect(failedListing(null, 'STORE_ROLLBACK', 'x', NOW)).toMatchObject({ version: null, state: 'refused' });
  });
});

describe('classifyTufError on wrapped snapshot/targets failures (TESTBED traps)', () => {
  it('reads the inner message of tuf-js RuntimeErrors', () => {
    expect(classifyTufError(new RuntimeError('Unable to load targets error Error: Version 1 of targets does not match snapshot version 2'), 'metadata')).toBe('STORE_ROLLBACK');
    expect(classifyTufError(new RuntimeError('Unable to load snapshot metadata error Error: Final timestamp.json is expired'), 'metadata')).toBe('STORE_EXPIRED');
    expect(classifyTufError(new RuntimeError(`Unable to load snapshot metadata error Error: ${UNREACHABLE_MARK} x`), 'metadata')).toBe('STORE_UNREACHABLE');
    expect(classifyTufError(new RuntimeError('Unable to load targets error Error: targets was signed by 1/2 keys'), 'metadata')).toBe('STORE_METADATA_INVALID');
    expect(classifyTufError(new Error('anything else'), 'metadata')).toBe('STORE_METADATA_INVALID');
  });
});
