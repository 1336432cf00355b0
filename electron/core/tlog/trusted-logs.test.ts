import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findLog, logValidAt, parseTrustedRoot, publicGoodLogs, trustedLogsId } from './trusted-logs';

// The trusted-root reader (DESIGN 2.8): the public-good root comes from the @sigstore/tuf
// package itself; each unusable log is left out with its reason.
function rootWith(tlogs: unknown[]): string {
  return JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs });
}

function log(extra: Record<string, unknown> = {}, validFor: Record<string, string> = { start: '2024-01-01T00:00:00Z' }) {
  const der = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' });
  return { baseUrl: 'https://log.example', logId: { keyId: createHash('sha256').update(der).digest('base64') }, publicKey: { rawBytes: der.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor }, ...extra };
}

describe('trusted logs', () => {
  it("reads the public-good root from @sigstore/tuf's seeds: Rekor's log with its key and validity", () => {
    const pg = publicGoodLogs();
    expect(pg.origin).toBe('public-good');
    expect(pg.problems).toEqual([]);
    const rekor = pg.logs.find((l) => l.baseUrl === 'https://rekor.sigstore.dev')!;
    expect(rekor.origin).toBe('rekor.sigstore.dev');
    // Rekor's log id is the SHA-256 of its key's DER SPKI, i.e. the key's fingerprint.
    expect(rekor.logId).toBe(rekor.key.fingerprint);
    expect(rekor.validFrom.getUTCFullYear()).toBe(2021);
    expect(findLog(pg, rekor.logId.toUpperCase())).toBe(rekor);
  });

  it('leaves out a log without validFor.start, a PKCS1 key, an unreadable key and a duplicate, saying why', () => {
    const good = log();
    const t = parseTrustedRoot(rootWith([good, log({}, {}), log({ publicKey: { rawBytes: 'AAAA', validFor: { start: '2024-01-01T00:00:00Z' } } }), { ...log(), publicKey: { ...log().publicKey, keyDetails: 'PKCS1_RSA_PKCS1V5' } }, good]), 'local', 'f');
    expect(t.logs).toHaveLength(1);
    expect(t.problems.map((p) => p.message).join(' | ')).toMatch(/validFor\.start.*cannot be used.*PKCS1.*listed twice/);
  });

  it('refuses documents that are not trusted roots, and applies validFor', () => {
    expect(parseTrustedRoot('nope', 'local', 'f').problems[0]!.message).toBe('not JSON');
    expect(parseTrustedRoot('{"tlogs":[]}', 'local', 'f').problems[0]!.message).toMatch(/not a sigstore trusted root/);
    const t = parseTrustedRoot(rootWith([log({}, { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' })]), 'local', 'f');
    const l = t.logs[0]!;
    expect([logValidAt(l, new Date('2023-12-31T23:59:59Z')), logValidAt(l, new Date('2024-06-01T00:00:00Z')), logValidAt(l, new Date('2025-01-01T00:00:01Z'))]).toEqual([false, true, false]);
    expect(trustedLogsId(t)).not.toBe(trustedLogsId(parseTrustedRoot(rootWith([log()]), 'local', 'f')));
  });
});
