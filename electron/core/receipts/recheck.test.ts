import { describe, expect, it } from 'vitest';
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

describe('recheckReceipt', () => {
  it('verifies the receipt digest, never the tag', () => {
    expect(recheckTarget(sampleReceipt({ image: 'images.example/pic/notes:1.2' }))).toBe(`images.example/pic/notes@${digest}`);
    expect(recheckTarget(sampleReceipt({ image: 'bad ref!', digest: null }))).toBe('bad ref!');
  });

  it('reports what changed once the image is signed, without any cell when none was chosen', async () => {
    const seen: string[] = [];
    const r = await recheckReceipt(receipt, { verify: async (img) => (seen.push(img), signed('ee'.repeat(32))) });
    expect(seen).toEqual([`images.example/pic/notes@${digest}`]);
    expect(r.cell).toBeNull();
    expect(r.decision).toBeNull();
    expect(r.changes.map((c) => c.what)).toEqual(['verified', 'reason', 'signed-by', 'trusted-keys']);
    expect(r.summary).toMatch(/now verified \(was not verified\)/);
    expect(r.explanation.code).toBe('VERIFIED');
  });

  it('reads the mode only through the chosen profile, and computes that cell\'s decision', async () => {
    const r = await recheckReceipt(receipt, {
      verify: async () => ({ ...signed('cd'.repeat(32)), verified: false, reason: 'SIGNATURE_NOT_FOUND', signatures: [], trustedKeys: [{ fingerprint: 'cd'.repeat(32), origin: 'bundled' }] }),
      readMode: async () => ({ cellName: 'lab', mode: { value: 'warn', source: 'config', detail: 'mode is "warn"' } }),
    });
    expect(r.changes.map((c) => `${c.what}:${c.before}->${c.after}`)).toEqual(['mode:enforce (config)->warn (config)', 'decision:block->warn']);
    expect(r.cell?.explanation.code).toBe('config:warn');
  });

  it('an unreachable chosen cell is reported, the image verdict still given', async () => {
    const r = await recheckReceipt(receipt, {
      verify: async () => signed('cd'.repeat(32)),
      readMode: async () => { throw new CoreError('SSH_UNREACHABLE', 'connection refused'); },
    });
    expect(r.cellError).toEqual({ code: 'SSH_UNREACHABLE', message: 'connection refused' });
    expect(r.report.verified).toBe(true);
  });

  it('says nothing changed when nothing did', async () => {
    const v = receipt.verification!;
    const r = await recheckReceipt(receipt, { verify: async () => ({ image: receipt.image, digest, ...v }) });
    expect(r.changes).toEqual([]);
    expect(r.summary).toMatch(/^Nothing changed: .* still does not verify \(SIGNATURE_NOT_FOUND\)/);
  });
});
