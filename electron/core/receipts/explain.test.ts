import { describe, expect, it } from 'vitest';
import { explainReceipt } from './explain';
import { explanationText } from './explain-text';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A receipt of an attempt that stopped before verification (the cell was unreachable). */
function unreachableReceipt() {
  return sampleReceipt({
    digest: null,
    verification: null,
    cellVerification: null,
    mode: null,
    decision: null,
    outcome: 'failed',
    error: { code: 'CELL_UNREACHABLE', message: 'ssh: connect to host cell.example port 22: Connection refused' },
  });
}

describe('explainReceipt evidence when verification never ran (UI finding 5)', () => {
  it('takes the digest from a pinned reference and says the keys were not checked', () => {
    const x = explainReceipt(unreachableReceipt());
    expect(x.verdict).toBeNull();
    expect(x.evidence.verificationRan).toBe(false);
    expect(x.evidence.digest).toBe(DIGEST);
    const text = explanationText(x);
    expect(text).toContain(`digest:       ${DIGEST}`);
    expect(text).not.toContain('none (not pinned)');
    expect(text).toContain('trusted keys: not checked (verification did not run)');
    expect(text).toContain('signed by:    not checked (verification did not run)');
    expect(text).not.toContain('no trusted key');
  });

  it('a tag-only reference with no verification still says "not pinned"', () => {
    const x = explainReceipt({ ...unreachableReceipt(), image: 'images.example/pic/notes:1.2.0' });
    expect(x.evidence.digest).toBeNull();
    expect(explanationText(x)).toContain('digest:       none (not pinned)');
  });

  it('a verified attempt keeps its recorded evidence words', () => {
    const x = explainReceipt(sampleReceipt());
    expect(x.evidence.verificationRan).toBe(true);
    expect(x.evidence.digest).toBe(DIGEST);
    const text = explanationText(x);
    expect(text).toContain(`trusted keys: ${'cd'.repeat(32)} (the store key installed with the app)`);
    expect(text).toContain('signed by:    no trusted key');
  });
});

describe('explainReceipt for the refusals of DESIGN 2.9', () => {
  it('an install blocked by an expired signed listing says so in words, without the code, even when a mode was read', () => {
    const x = explainReceipt(sampleReceipt({ decision: 'block', verification: null, cellVerification: null, listing: { signed: true, storeVersion: 1, state: 'expired' }, error: { code: 'STORE_EXPIRED', message: "the signed store's listing is expired: timestamp.json is expired" } }));
    expect(x.outcomeSentence).toBe("The install of Notes 1.2.0 was blocked before anything on the cell was touched: the store's signed listing is expired, and nothing is installed from it until it refreshes cleanly.");
    expect(x.outcomeSentence).not.toMatch(/STORE_EXPIRED|did not verify/);
  });

  it('a revoked install says the store withdrew it (not that the image failed to verify), with the catalogue steps per role', () => {
    const x = explainReceipt(sampleReceipt({ verification: null, cellVerification: null, digest: null, error: { code: 'SERVICE_REVOKED', message: 'the store withdrew notes on 2026-12-01T00:00:00Z: key compromised' } }));
    expect(x.outcomeSentence).toMatch(/was rejected: the store withdrew notes/);
    expect(x.outcomeSentence).not.toMatch(/did not verify/);
    expect(x.next.admin).toMatch(/uninstall notes/);
    expect(x.next.helpdesk).toMatch(/store's decision/);
  });
  it('a signer refusal names the new fingerprint to check from the receipt review', () => {
    const fp = 'ef'.repeat(32);
    const review = { version: { from: '1', to: '2' }, digest: { from: DIGEST, to: DIGEST }, signers: { from: ['cd'.repeat(32)], to: [fp], changed: true }, cellKeyVerifies: true, listingSigned: false, changes: [], from: { version: '1', digest: DIGEST, signers: ['cd'.repeat(32)] }, accepted: [] };
    const x = explainReceipt(sampleReceipt({ decision: 'allow', review, error: { code: 'SIGNER_CHANGED', message: 'the signer changed' } }));
    expect(x.next.admin).toContain(`--accept-signer ${fp}`);
  });
});

describe('refusals that are not verdicts (CELL_CHANGED, PORT_IN_USE)', () => {
  it.each([
    ['CELL_CHANGED', 'the cell changed after the pre-flight was confirmed: its mode is now enforce (config), it was warn (config); nothing on the cell was touched', /mode or its key changed.*its mode is now enforce/, /cell_config\.json or config\/cosign\/cosign\.pub/],
    ['PORT_IN_USE', 'host port 8080/tcp is already in use on the cell by something other than web; the cell was not changed', /already holds on the cell.*8080\/tcp/, /ss -ltnup/],
  ])('%s: the catalogue\'s sentence with the receipt\'s evidence, and its next step for every role', (code, message, sentence, adminNext) => {
    const x = explainReceipt(sampleReceipt({ outcome: 'rejected', decision: 'allow', error: { code, message } }));
    expect(x.outcomeSentence).toMatch(sentence);
    expect(x.next.admin).toMatch(adminNext);
    for (const role of ['developer', 'helpdesk'] as const) expect(x.next[role].length).toBeGreaterThan(20);
  });
});

describe('words, not codes (issue 17 item 3)', () => {
  const verified = { ...sampleReceipt().verification!, verified: true, reason: 'VERIFIED' as const, checks: sampleReceipt().verification!.checks.map((c) => ({ ...c, status: 'pass' as const })) };

  it('an installed receipt of a verified image never says "the image may be installed"', () => {
    const x = explainReceipt(sampleReceipt({ verification: verified, cellVerification: { ran: true, verified: true, cosignVersion: 'v2.5.0', output: '' }, decision: 'allow', outcome: 'installed' }));
    expect(x.verdict?.code).toBe('VERIFIED');
    const text = explanationText(x);
    expect(text).not.toContain('the image may be installed');
    expect(x.next.admin).toBe('Nothing to do: the service is installed and its image verified. Its ports, volumes and environment came from the store listing, not the signature; the receipt records them.');
    expect(x.next.developer).toBe('Nothing to do: the cell accepted this image.');
  });

  it('an uninstalled receipt has its own next steps', () => {
    const x = explainReceipt(sampleReceipt({ action: 'uninstall', verification: null, cellVerification: null, decision: null, outcome: 'uninstalled' }));
    expect(x.next.admin).toBe('Nothing to do: the service was removed from the cell.');
    expect(explanationText(x)).not.toContain('the image may be installed');
  });

  it('a failed attempt names the error by its label, not its code', () => {
    const x = explainReceipt(unreachableReceipt());
    expect(x.outcomeSentence).toBe('The install of Notes 1.2.0 failed (Cell unreachable): ssh: connect to host cell.example port 22: Connection refused; the cell was left as it was before.');
    expect(x.next.admin).toContain('The attempt stopped (Cell unreachable): fix what the message says, then try again.');
    expect(x.next.admin).not.toContain('CELL_UNREACHABLE');
  });

  it('the desktop side of an unverified receipt reads the badge label', () => {
    expect(explainReceipt(sampleReceipt()).desktop.summary).toBe('not verified: Unsigned');
  });
});
