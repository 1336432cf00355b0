import { describe, expect, it } from 'vitest';
import { parseCosignPayload } from './cosign-payload';

const D = `sha256:${'a'.repeat(64)}`;
const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseCosignPayload', () => {
  it('reads the simple-signing payload', () => {
    const r = parseCosignPayload(enc({ critical: { identity: { 'docker-reference': 'r/x' }, image: { 'docker-manifest-digest': D }, type: 'cosign container image signature' }, optional: null }));
    expect(r).toEqual({ ok: true, payload: { digest: D, identity: 'r/x', type: 'cosign container image signature' } });
  });
  it('matches keys case-insensitively, like cosign (Go encoding/json)', () => {
    const r = parseCosignPayload(enc({ Critical: { IMAGE: { 'Docker-Manifest-Digest': D } } }));
    expect(r).toMatchObject({ ok: true, payload: { digest: D, identity: null } });
  });
  it('refuses a payload two JSON readers would read differently (duplicate or case-variant keys)', () => {
    // JSON.parse keeps the first key's position with the last value, Go the last key in order:
    // with OTHER, REAL, OTHER JS would read REAL and cosign OTHER. Fail closed instead.
    const other = `sha256:${'b'.repeat(64)}`;
    const tri = parseCosignPayload(enc(`{"critical":{"image":{"Docker-Manifest-Digest":"${other}","docker-manifest-digest":"${D}","Docker-Manifest-Digest":"${other}"}}}`));
    expect(tri).toEqual({ ok: false, reason: 'critical.image names "docker-manifest-digest" more than once' });
    const caseVariants = parseCosignPayload(enc(`{"critical":{"image":{"DOCKER-MANIFEST-DIGEST":"${other}","docker-manifest-digest":"${D}"}}}`));
    expect(caseVariants).toMatchObject({ ok: false });
    const exactDup = parseCosignPayload(enc(`{"critical":{"image":{"docker-manifest-digest":"${D}"},"image":{"docker-manifest-digest":"${D}"}}}`));
    expect(exactDup).toEqual({ ok: false, reason: 'critical names "image" more than once' });
    expect(parseCosignPayload(enc(`{"critical":{"image":{"docker-manifest-digest":"${D}"}},"CRITICAL":{}}`))).toMatchObject({ ok: false });
    expect(parseCosignPayload(enc(`{"critical":{"identity":{"docker-reference":"a","Docker-Reference":"b"},"image":{"docker-manifest-digest":"${D}"}}}`))).toMatchObject({ ok: false });
  });
  it('refuses keys that reach a field only through Unicode folding (Go folds ſ to s, K to k)', () => {
    const other = `sha256:${'b'.repeat(64)}`;
    const r = parseCosignPayload(enc(`{"critical":{"image":{"docker-manifest-digest":"${D}","docker-manife\u017ft-dige\u017ft":"${other}"}}}`));
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/Unicode case folding/) });
    expect(parseCosignPayload(enc(`{"critical":{"image":{"docker-manifeſt-digeſt":"${D}"}}}`))).toMatchObject({ ok: false });
    expect(parseCosignPayload(enc(`{"critical":{"image":{"docker-manifest-digest":"${D}"},"type":"t","\u212aind":1}}`))).toMatchObject({ ok: true });
    // Non-ASCII keys that fold to no field, and unrelated duplicates, are left alone (cosign ignores them).
    expect(parseCosignPayload(enc(`{"critical":{"image":{"docker-manifest-digest":"${D}","é":1,"é":2}},"optional":{"a":1,"a":2}}`))).toMatchObject({ ok: true, payload: { digest: D } });
  });
  it('refuses what is not a cosign payload, saying why', () => {
    expect(parseCosignPayload(enc('nope'))).toEqual({ ok: false, reason: 'the signed payload is not JSON' });
    expect(parseCosignPayload(enc([1]))).toMatchObject({ ok: false });
    expect(parseCosignPayload(enc({ critical: {} }))).toMatchObject({ ok: false, reason: expect.stringMatching(/docker-manifest-digest/) });
    expect(parseCosignPayload(enc({ critical: { image: { 'docker-manifest-digest': 5 } } }))).toMatchObject({ ok: false });
  });
});
