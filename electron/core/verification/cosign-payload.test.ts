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
  it('like Go, the last key that folds to the field wins', () => {
    const r = parseCosignPayload(enc('{"critical":{"image":{"DOCKER-MANIFEST-DIGEST":"sha256:x","docker-manifest-digest":"' + D + '"}}}'));
    expect(r).toMatchObject({ ok: true, payload: { digest: D } });
    const r2 = parseCosignPayload(enc('{"critical":{"image":{"docker-manifest-digest":"' + D + '","Docker-Manifest-Digest":"sha256:x"}}}'));
    expect(r2).toMatchObject({ ok: true, payload: { digest: 'sha256:x' } });
  });
  it('refuses what is not a cosign payload, saying why', () => {
    expect(parseCosignPayload(enc('nope'))).toEqual({ ok: false, reason: 'the signed payload is not JSON' });
    expect(parseCosignPayload(enc([1]))).toMatchObject({ ok: false });
    expect(parseCosignPayload(enc({ critical: {} }))).toMatchObject({ ok: false, reason: expect.stringMatching(/docker-manifest-digest/) });
    expect(parseCosignPayload(enc({ critical: { image: { 'docker-manifest-digest': 5 } } }))).toMatchObject({ ok: false });
  });
});
