import { describe, expect, it } from 'vitest';
import { STORE_CODES } from '../signed-store/tuf-errors';
import { explainStoreError, isStoreCode, ROLES, STORE_CATALOGUE_CODES } from './reason-catalogue';

describe('store catalogue', () => {
  it('has a sentence and a next step per role for every store code, naming the store and the kept listing', () => {
    expect([...STORE_CATALOGUE_CODES].sort()).toEqual([...STORE_CODES].sort());
    for (const code of STORE_CODES) {
      const x = explainStoreError(code, { store: 'Acme', version: 4, expires: '2027-01-01T00:00:00Z', detail: 'why it failed' });
      expect(x.sentence).toContain('Acme');
      expect(x.sentence).toContain('version 4');
      // The library's message is a separate detail for the helpdesk, never in the sentence.
      expect(x.sentence).not.toContain('why it failed');
      expect(x.detail).toBe('why it failed');
      for (const role of ROLES) expect(x.next[role].length).toBeGreaterThan(20);
    }
    expect(explainStoreError('STORE_ROLLBACK', { store: 'A', version: null, expires: null, detail: 'd' }).sentence).toContain('No listing from it was ever accepted');
    expect(isStoreCode('STORE_EXPIRED')).toBe(true);
    expect(isStoreCode('VERIFIED')).toBe(false);
  });
});
