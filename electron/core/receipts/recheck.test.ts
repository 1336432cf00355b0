import { describe, expect, it, vi } from 'vitest';
import { CoreError } from '../errors';
import type { VerificationReport } from '../verification/types';
import { recheckReceipt, recheckTarget } from './recheck';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

// Pure logic with fake ports; the real registry + cosign path is covered by the Activity e2e.
const receipt = sampleReceipt();
const digest = receipt.digest!;
const signed = (fp: string): VerificationReport => ({
  image: `images.example/pic/notes@${digest}`, digest, verified: true, reason: 'VERIFIED', checks: [],
  signatures: [{ format: 'classic', keyFingerprint: fp, identity: 'images.example/pic/notes', boundDigest: digest, problem: null }],
  trustedKeys: [{ fingerprint: fp, origin: 'local' }],
});

// This machine's trust root: the key the sample receipt was judged under, plus one more.
const here = { keys: [{ fingerprint: 'cd'.repeat(32), origin: 'bundled' as const }, { fingerprint: 'ee'.repeat(32), origin: 'local' as const }] };
const own = { trustRoot: here, registryAllowed: (r: string) => r === 'images.example' };

describe('recheckReceipt', () => {
  it('verifies the receipt digest, never the tag', () => {
    expect(recheckTarget(sampleReceipt({ image: 'images.example/pic/notes:1.2' }))).toBe(`images.example/pic/notes@${digest}`);
    expect(recheckTarget(sampleReceipt({ image: 'bad ref!', digest: null }))).toBe('bad ref!');
  });

  it('reports what changed once the image is signed, without any cell when none was chosen', async () => {
    const seen: string[] = [];
    const r = await recheckReceipt(receipt, { ...own, verify: async (img) => (seen.push(img), signed('ee'.repeat(32))) });
    expect(seen).toEqual([`images.example/pic/notes@${digest}`]);
    expect(r.cell).toBeNull();
    expect(r.decision).toBeNull();
    expect(r.changes.map((c) => c.what)).toEqual(['verified', 'reason', 'signed-by', 'trusted-keys']);
    expect(r.summary).toMatch(/now verified \(was not verified\)/);
    expect(r.imageState).toBe('checked');
    expect(r.explanation?.code).toBe('VERIFIED');
  });

  it('reads the mode only through the chosen profile, and computes that cell\'s decision', async () => {
    const r = await recheckReceipt(receipt, {
      ...own,
      verify: async () => ({ ...signed('cd'.repeat(32)), verified: false, reason: 'SIGNATURE_NOT_FOUND', signatures: [], trustedKeys: [{ fingerprint: 'cd'.repeat(32), origin: 'bundled' }] }),
      readMode: async () => ({ cellName: 'lab', mode: { value: 'warn', source: 'config', detail: 'mode is "warn"' } }),
    });
    expect(r.changes.map((c) => `${c.what}:${c.before}->${c.after}`)).toEqual(['mode:enforce (config)->warn (config)', 'decision:block->warn']);
    expect(r.cell?.explanation.code).toBe('config:warn');
  });

  it('an unreachable chosen cell is reported, the image verdict still given', async () => {
    const r = await recheckReceipt(receipt, {
      ...own,
      verify: async () => signed('cd'.repeat(32)),
      readMode: async () => { throw new CoreError('SSH_UNREACHABLE', 'connection refused'); },
    });
    expect(r.cellError).toEqual({ code: 'SSH_UNREACHABLE', message: 'connection refused' });
    expect(r.report?.verified).toBe(true);
  });

  it('says nothing changed when nothing did', async () => {
    const v = receipt.verification!;
    const r = await recheckReceipt(receipt, { ...own, verify: async () => ({ image: receipt.image, digest, ...v }) });
    expect(r.changes).toEqual([]);
    expect(r.summary).toMatch(/^Nothing changed: .* still does not verify \(SIGNATURE_NOT_FOUND\)/);
  });

  it('contacts no registry that is not the person\'s own: the image part says "not re-checked" until they confirm that host', async () => {
    const asked: string[] = [];
    const verify = vi.fn(async () => signed('cd'.repeat(32)));
    const r = await recheckReceipt(receipt, { trustRoot: here, registryAllowed: (h) => (asked.push(h), false), verify, readMode: async () => ({ cellName: 'lab', mode: { value: 'warn', source: 'config', detail: '' } }) });
    expect(asked).toEqual(['images.example']);
    expect(verify).not.toHaveBeenCalled();
    expect(r).toMatchObject({ imageState: 'not-checked', registry: 'images.example', report: null, explanation: null, decision: null });
    expect(r.summary).toMatch(/^Image not re-checked: its registry images\.example is not one of your configured stores' registries; confirm that host/);
    // The chosen cell's mode is still read and compared; no decision without an image verdict.
    expect(r.changes.map((c) => c.what)).toEqual(['mode']);
  });

  it('a machine without the key the receipt was judged under cannot judge, and contacts nothing', async () => {
    const verify = vi.fn(async () => signed('ee'.repeat(32)));
    const registryAllowed = vi.fn(() => true);
    const r = await recheckReceipt(receipt, { trustRoot: { keys: [{ fingerprint: 'ee'.repeat(32) }] }, registryAllowed, verify });
    expect(verify).not.toHaveBeenCalled();
    expect(registryAllowed).not.toHaveBeenCalled();
    expect(r).toMatchObject({ imageState: 'cannot-judge', missingKeys: ['cd'.repeat(32)], report: null, changes: [] });
    expect(r.summary).toBe(`This machine cannot judge: it lacks key ${'cd'.repeat(32)}, which the receipt was judged under. Add that key to this machine's trusted keys to re-check the image.`);
  });

  it('a verified receipt needs only the keys of its valid signatures', async () => {
    const verifiedReceipt = sampleReceipt({ verification: { ...receipt.verification!, verified: true, reason: 'VERIFIED', signatures: signed('ab'.repeat(32)).signatures, trustedKeys: [{ fingerprint: 'ab'.repeat(32), origin: 'local' }, { fingerprint: 'cd'.repeat(32), origin: 'bundled' }] } });
    const r = await recheckReceipt(verifiedReceipt, { ...own, verify: async () => signed('cd'.repeat(32)) });
    expect(r.missingKeys).toEqual(['ab'.repeat(32)]);
    expect(r.summary).toMatch(/^This machine cannot judge: it lacks key abab/);
    const ok = await recheckReceipt(verifiedReceipt, { ...own, trustRoot: { keys: [{ fingerprint: 'ab'.repeat(32) }] }, verify: async () => signed('ab'.repeat(32)) });
    expect(ok.imageState).toBe('checked');
  });
});
