import { describe, expect, it } from 'vitest';
import { parseStatement, SIGN_PREDICATE_TYPE } from './bundle-statement';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const T = 'https://in-toto.io/Statement/v1';
const st = (text: string) => parseStatement(Buffer.from(text));

describe('parseStatement: duplicate and case-variant keys are refused (JSON.parse keeps the last, protojson refuses)', () => {
  it('reads a plain statement', () => {
    expect(st(`{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","subject":[{"name":"r/x","digest":{"sha256":"${A}"}}],"predicate":{}}`)).toEqual({
      ok: true, predicateType: SIGN_PREDICATE_TYPE, subjects: [{ name: 'r/x', digest: `sha256:${A}` }],
    });
  });
  it.each([
    ['duplicate subject', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","subject":[{"digest":{"sha256":"${B}"}}],"subject":[{"digest":{"sha256":"${A}"}}]}`, /"subject" more than once/],
    ['duplicate subject digest', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","subject":[{"digest":{"sha256":"${B}","sha256":"${A}"}}]}`, /"sha256" more than once/],
    ['subject digest named twice', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","subject":[{"digest":{"sha256":"${B}"},"digest":{"sha256":"${A}"}}]}`, /"digest" more than once/],
    ['protojson alias', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","predicate_type":"x","subject":[{"digest":{"sha256":"${A}"}}]}`, /"predicateType" more than once/],
    ['case variant', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","Subject":[{"digest":{"sha256":"${B}"}}],"subject":[{"digest":{"sha256":"${A}"}}]}`, /only in case/],
    ['case variant of the digest algorithm', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","subject":[{"digest":{"SHA256":"${B}","sha256":"${A}"}}]}`, /only in case/],
    ['Unicode folding', `{"_type":"${T}","predicateType":"${SIGN_PREDICATE_TYPE}","ſubject":[{"digest":{"sha256":"${B}"}}],"subject":[{"digest":{"sha256":"${A}"}}]}`, /Unicode case folding/],
  ])('%s → not a statement', (_name, text, why) => {
    const r = st(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });
});
