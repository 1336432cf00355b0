import { describe, expect, it } from 'vitest';
import type { InstalledService } from '../cell/installed-inventory';
import type { CellStatus } from '../cell/status';
import type { VerificationReport } from '../verification/types';
import { explainUpdateCode } from '../catalogue/update-catalogue';
import { ROLES } from '../catalogue/reason-catalogue';
import { buildReview, listingChanges, signersChanged } from './review';
import { pickListing, updateStateOf, UPDATE_CODES, type ListedService } from './update-state';
import { revocationRefusal, reviewUpgrade } from './upgrade-gate';
import { updatesExitCode } from './detect-updates';

// Pure rules of DESIGN 2.9 (the real-cell runs are in updates.itest.ts).
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const K1 = '1'.repeat(64);
const K2 = '2'.repeat(64);
const store = { name: 'S', url: 'file:/s.json' };

const inst: InstalledService = {
  id: 'web', name: 'Web', version: '1', digest: A, image: `r.lan/web@${A}`, signers: [K1], store,
  listing: { ports: [{ host: 8080, container: 80, protocol: 'tcp' }], volumes: [{ name: 'data', path: '/d' }], environment: { MODE: 'a', OLD: 'x' } },
  container: { state: 'running', health: null, status: 'Up' },
};
const manifest = (digest: string, extra: object = {}) => ({ id: 'web', name: 'Web', version: digest === A ? '1' : '2', image: `r.lan/web@${digest}`, ports: [{ host: 8080, container: 80, protocol: 'tcp' as const }, { host: 8443, container: 443, protocol: 'tcp' as const }], environment: { MODE: 'b' }, ...extra });
const listed = (digest: string, extra: object = {}): ListedService => ({ store, manifest: manifest(digest, extra), listingSigned: false });
const report = (digest: string, signers: string[], verified = true): VerificationReport => ({
  image: `r.lan/web@${digest}`, digest, verified, reason: verified ? 'VERIFIED' : 'SIGNATURE_INVALID', checks: [], trustedKeys: [],
  signatures: signers.map((k) => ({ format: 'classic' as const, keyFingerprint: k, identity: null })),
});

describe('review (typed diff)', () => {
  it('lists added, removed and changed ports, volumes and environment, values shown, unchanged left out', () => {
    expect(listingChanges(inst.listing!, { ports: manifest(B).ports, volumes: [{ name: 'data', path: '/d' }], environment: { MODE: 'b' } })).toEqual([
      { field: 'ports', change: 'added', name: '8443/tcp', to: '8443→443/tcp' },
      { field: 'environment', change: 'changed', name: 'MODE', from: 'a', to: 'b' },
      { field: 'environment', change: 'removed', name: 'OLD', from: 'x' },
    ]);
  });
  it('signer continuity: any shared key keeps it; two signed sides with no key in common change it; an unsigned side is the mode\'s business', () => {
    expect(signersChanged([K1], [K1, K2])).toBe(false);
    expect(signersChanged([K1], [K2])).toBe(true);
    expect(signersChanged([K1], [])).toBe(false);
    expect(signersChanged([], [K2])).toBe(false);
  });
  it('an unreadable installed manifest makes everything the listing asks for "added" (fail closed)', () => {
    const r = buildReview({ version: '1', digest: A, signers: [K1], listing: null }, { manifest: manifest(B), digest: B, signers: [K1], cellKeyVerifies: true, listingSigned: false });
    expect(r.changes.filter((c) => c.change === 'added').map((c) => c.name)).toEqual(['8080/tcp', '8443/tcp', 'MODE']);
  });
});

describe('update states and precedence', () => {
  it('current for the same digest (never an upgrade to it), update for another digest by the same signer', () => {
    expect(updateStateOf(inst, listed(A), report(A, [K1]))).toMatchObject({ state: 'current', review: null, reason: null });
    const u = updateStateOf(inst, listed(B), report(B, [K1]));
    expect(u).toMatchObject({ state: 'update', reason: 'UPDATE_NEEDS_REVIEW', listed: { store: 'S', version: '2', digest: B } });
    expect(u.review).toMatchObject({ version: { from: '1', to: '2' }, digest: { from: A, to: B }, signers: { from: [K1], to: [K1], changed: false } });
  });
  it('held for a new signer or an unverified listing; revoked > end-of-life > held', () => {
    expect(updateStateOf(inst, listed(B), report(B, [K2]))).toMatchObject({ state: 'held', reason: 'SIGNER_CHANGED' });
    expect(updateStateOf(inst, listed(B), report(B, [], false))).toMatchObject({ state: 'held', reason: 'SIGNATURE_INVALID' });
    const eol = { endOfLife: { reason: 'old', replacedBy: 'web2' } };
    expect(updateStateOf(inst, listed(B, eol), report(B, [K2]))).toMatchObject({ state: 'end-of-life', endOfLife: { reason: 'old', replacedBy: 'web2' } });
    const rev = { revoked: { reason: 'key stolen', at: '2026-12-01T00:00:00Z' }, ...eol };
    expect(updateStateOf(inst, listed(A, rev), report(A, [K1]))).toMatchObject({ state: 'revoked', reason: 'SERVICE_REVOKED', revoked: { reason: 'key stolen' } });
  });
  it('unlisted when no store lists it, with a note when several do and the receipt names none', () => {
    expect(updateStateOf(inst, null, null)).toMatchObject({ state: 'unlisted', listed: null, note: 'no configured store lists this service' });
    const other = { ...listed(B), store: { name: 'T', url: 'file:/t.json' } };
    expect(pickListing(inst, [other, listed(A)]).listed?.store.name).toBe('S');
    expect(pickListing({ ...inst, store: null }, [other, listed(A)])).toMatchObject({ listed: null, note: expect.stringMatching(/several stores/) });
    expect(pickListing({ ...inst, store: null }, [other]).listed?.store.name).toBe('T');
  });
  it('updates exits 1 when a service is revoked, 3 when no cell answered', () => {
    const cell = (services: ReturnType<typeof updateStateOf>[], reachable = true) => ({ cell: 'c', destination: 'd', reachable, error: null, checkedAt: '', services });
    expect(updatesExitCode({ cells: [cell([updateStateOf(inst, listed(B), report(B, [K1]))])], stores: [] })).toBe(0);
    expect(updatesExitCode({ cells: [cell([updateStateOf(inst, listed(A, { revoked: { reason: 'r', at: '2026-12-01T00:00:00Z' } }), null)])], stores: [] })).toBe(1);
    expect(updatesExitCode({ cells: [cell([], false)], stores: [] })).toBe(3);
  });
});

describe('upgrade gate', () => {
  const status = { installed: [inst] } as unknown as CellStatus;
  const gate = (signers: string[], consent: { acceptChanges?: boolean; acceptSigner?: string }) =>
    reviewUpgrade({ manifest: manifest(B), status, digest: B, report: report(B, signers), appReport: null, listingSigned: false, consent });
  it('refuses added or changed things without consent, and records them as accepted with it', () => {
    expect(gate([K1], {}).refusal?.code).toBe('UPDATE_NEEDS_REVIEW');
    const ok = gate([K1], { acceptChanges: true });
    expect(ok.refusal).toBeNull();
    expect(ok.review?.accepted.map((c) => `${c.field}:${c.change}:${c.name}`)).toEqual(['ports:added:8443/tcp', 'environment:changed:MODE']);
    expect(ok.review?.from).toEqual({ version: '1', digest: A, signers: [K1] });
  });
  it('a changed signer needs its exact new fingerprint; a wrong one is refused too', () => {
    expect(gate([K2], { acceptChanges: true }).refusal?.code).toBe('SIGNER_CHANGED');
    expect(gate([K2], { acceptChanges: true, acceptSigner: K1 }).refusal).toMatchObject({ code: 'SIGNER_CHANGED', message: expect.stringMatching(/is not the new signer/) });
    const ok = gate([K2], { acceptChanges: true, acceptSigner: K2.toUpperCase() });
    expect(ok.refusal).toBeNull();
    expect(ok.review?.accepted[0]).toEqual({ field: 'signer', change: 'changed', name: K2 });
  });
  it('no consent given (the app: confirming the pre-flight that shows the review consents to changes), but a new signer still needs its fingerprint', () => {
    const run = (signers: string[]) => reviewUpgrade({ manifest: manifest(B), status, digest: B, report: report(B, signers), appReport: null, listingSigned: false });
    expect(run([K1])).toMatchObject({ refusal: null, review: { accepted: [{ name: '8443/tcp' }, { name: 'MODE' }] } });
    expect(run([K2]).refusal?.code).toBe('SIGNER_CHANGED');
  });
  it('a fresh install has no review; a revoked listing is refused', () => {
    expect(reviewUpgrade({ manifest: manifest(B), status: { installed: [] } as unknown as CellStatus, digest: B, report: report(B, [K1]), appReport: null, listingSigned: false, consent: {} })).toEqual({ review: null, refusal: null });
    expect(revocationRefusal(manifest(B))).toBeNull();
    expect(revocationRefusal(manifest(B, { revoked: { reason: 'bad', at: '2026-12-01T00:00:00Z' } }))).toMatchObject({ code: 'SERVICE_REVOKED', message: expect.stringMatching(/bad/) });
  });
  it('every update code has a sentence and a next step for every role', () => {
    for (const code of UPDATE_CODES) {
      const e = explainUpdateCode(code, { service: 'web', detail: 'evidence', newSigners: [K2] });
      expect(e.sentence).toMatch(/web/);
      for (const role of ROLES) expect(e.next[role].length).toBeGreaterThan(20);
    }
  });
});
