// Issue 8 "Done when": `pic-store explain` (the built CLI) prints, for receipts of every reason
// code, mode source and outcome, the catalogue's text filled with the receipt's own evidence.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLabel, DONE_NEXT, explainMode, explainReport } from '../../core/catalogue/reason-catalogue';
import { exportReceipt } from '../../core/receipts/receipt-file';
import { RECEIPT_OUTCOMES, type Receipt, type ReceiptMode } from '../../core/receipts/receipt';
import { sampleReceipt } from '../../../scripts/testbed/sample-receipt';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { REASON_CODES, type Check, type ReasonCode, type SignatureSummary } from '../../core/verification/types';
import { CHECK_IDS } from '../../core/verification/types';

let home: string;

const DIGEST = `sha256:${'1f'.repeat(32)}`;
const OTHER = `sha256:${'9e'.repeat(32)}`;
const TRUSTED = '3c'.repeat(32);
const FOREIGN = '7a'.repeat(32);

function picStore(args: string[]) {
  return runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: home }, timeoutMs: 20_000 });
}

/** The failing check each reason is decided by (DESIGN 2.3 order). */
const FAILS_AT: Record<ReasonCode, string | null> = {
  VERIFIED: null, MANIFEST_INVALID: 'reference', REFERENCE_INVALID: 'reference', DIGEST_MISSING: 'digest-pinned',
  TRUST_ROOT_INVALID: 'trust-root', REGISTRY_UNREACHABLE: 'registry', REGISTRY_AUTH_FAILED: 'registry',
  IMAGE_NOT_FOUND: 'manifest', CONTENT_DIGEST_MISMATCH: 'manifest', SIGNATURE_NOT_FOUND: 'signature-found',
  SIGNATURE_INVALID: 'signature-valid', SIGNATURE_DIGEST_MISMATCH: 'digest-binding', PAYLOAD_INVALID: 'signature-valid',
  LIMIT_EXCEEDED: 'signature-found', TLOG_ENTRY_INVALID: 'transparency-log', TLOG_ENTRY_MISSING: 'transparency-log',
};

function receiptFor(reason: ReasonCode): Receipt {
  const failAt = FAILS_AT[reason];
  const failIdx = failAt ? CHECK_IDS.indexOf(failAt as never) : CHECK_IDS.length;
  const checks: Check[] = CHECK_IDS.map((id, i) => ({
    id,
    status: i < failIdx ? 'pass' : i === failIdx ? 'fail' : 'skip',
    detail: i === failIdx ? `evidence for ${reason} at ${id} (${DIGEST})` : `${id} ok`,
  }));
  const signatures: SignatureSummary[] =
    reason === 'VERIFIED' ? [{ format: 'classic', keyFingerprint: TRUSTED, identity: '127.0.0.1:5000/pic/notes', boundDigest: DIGEST, problem: null }]
      : reason === 'SIGNATURE_DIGEST_MISMATCH' ? [{ format: 'classic', keyFingerprint: TRUSTED, identity: '127.0.0.1:5000/pic/other', boundDigest: OTHER, problem: 'digest-mismatch' }]
        : reason === 'SIGNATURE_INVALID' ? [{ format: 'bundle', keyFingerprint: null, identity: null, problem: 'invalid-signature' }]
          : reason === 'PAYLOAD_INVALID' ? [{ format: 'classic', keyFingerprint: TRUSTED, identity: null, problem: 'payload-invalid' }]
            : [];
  const verified = reason === 'VERIFIED';
  return sampleReceipt({
    image: reason === 'DIGEST_MISSING' ? '127.0.0.1:5000/pic/notes:1.2' : `127.0.0.1:5000/pic/notes@${DIGEST}`,
    digest: DIGEST,
    verification: { verified, reason, checks, signatures, trustedKeys: [{ fingerprint: TRUSTED, origin: 'bundled' }, { fingerprint: FOREIGN, origin: 'local' }] },
    decision: verified ? 'allow' : 'block',
    outcome: verified ? 'installed' : 'rejected',
  });
}

async function explainFile(r: Receipt, name: string) {
  const file = join(home, name);
  await exportReceipt(file, r);
  return picStore(['explain', file]);
}

beforeAll(async () => {
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pic-cli-explain-'));
}, 120_000);
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('pic-store explain', () => {
  it.each(REASON_CODES)('%s: the catalogue sentence and next steps with the receipt\'s evidence', async (reason) => {
    const receipt = receiptFor(reason);
    const r = await explainFile(receipt, `${reason}.json`);
    expect(r.code, r.stderr).toBe(0);
    const cat = explainReport({ ...receipt.verification!, image: receipt.image, digest: receipt.digest, repository: '127.0.0.1:5000/pic/notes' });
    expect(r.stdout).toContain(`Verdict: ${cat.title} (${reason})`);
    expect(r.stdout).toContain(cat.sentence);
    // A completed install of a verified image has its own next steps, not the verdict's "may be installed".
    const next = reason === 'VERIFIED' ? DONE_NEXT.installed : cat.next;
    expect(r.stdout).toContain(`Admin: ${next.admin}`);
    expect(r.stdout).toContain(`Service developer: ${next.developer}`);
    expect(r.stdout).toContain(next.helpdesk);
    expect(r.stdout).not.toContain('the image may be installed');
    expect(r.stdout).toContain(`digest:       ${DIGEST}`);
    expect(r.stdout).toContain(`${TRUSTED} (the store key installed with the app)`);
    expect(r.stdout).toContain(`${FOREIGN} (your own key)`);
    expect(r.stdout).toContain(receipt.id);
    if (FAILS_AT[reason]) expect(r.stdout).toContain(`Failed check: ${checkLabel(FAILS_AT[reason]!)} (${FAILS_AT[reason]}) — evidence for ${reason}`);
    if (reason === 'SIGNATURE_DIGEST_MISMATCH') {
      expect(r.stdout).toContain(`signature binds: ${OTHER} (not ${DIGEST})`);
      expect(cat.sentence).toContain(OTHER);
    }
    if (['VERIFIED', 'SIGNATURE_DIGEST_MISMATCH', 'PAYLOAD_INVALID'].includes(reason)) expect(r.stdout).toContain(`signed by:    ${TRUSTED}`);
  });

  const modes: (ReceiptMode | null)[] = [
    { value: 'enforce', source: 'config', detail: 'image_verification.mode is "enforce" in config/api/cell_config.json' },
    { value: 'warn', source: 'config', detail: 'image_verification.mode is "warn" in config/api/cell_config.json' },
    { value: 'off', source: 'config', detail: 'image_verification.mode is "off" in config/api/cell_config.json' },
    { value: 'enforce', source: 'default', detail: 'no cell_config.json on the cell' },
    { value: 'enforce', source: 'fail-closed', detail: 'cell_config.json is not valid JSON: unexpected end at line 3 column 1' },
    null,
  ];
  it.each(modes.map((m) => [m ? `${m.source}:${m.value}` : 'unreachable', m] as const))('mode %s: the catalogue text with the mode detail', async (label, mode) => {
    const receipt = sampleReceipt({
      mode,
      decision: mode === null ? null : mode.value === 'enforce' ? 'block' : mode.value === 'warn' ? 'warn' : 'allow',
      outcome: mode === null ? 'failed' : mode.value === 'enforce' ? 'rejected' : 'installed',
      error: mode === null ? { code: 'SSH_UNREACHABLE', message: 'ssh: connect to host cell.example port 22: Connection refused' } : null,
    });
    const r = await explainFile(receipt, `mode-${label}.json`);
    expect(r.code, r.stderr).toBe(0);
    if (mode) {
      const cat = explainMode(mode);
      expect(r.stdout).toContain(`Mode: ${cat.title}\n`);
      expect(r.stdout).toContain(cat.sentence);
      expect(r.stdout).toContain(`detail: ${mode.detail}`);
      if (mode.value === 'warn') expect(r.stdout).toContain('went ahead although the image did not verify');
    } else {
      expect(r.stdout).toContain('Mode: unknown — the cell could not be reached');
      expect(r.stdout).toContain('Connection refused');
    }
  });

  it.each(RECEIPT_OUTCOMES)('outcome %s is named in the headline and explained', async (outcome) => {
    const receipt = sampleReceipt({
      outcome,
      action: outcome === 'uninstalled' ? 'uninstall' : 'install',
      verification: outcome === 'uninstalled' ? null : sampleReceipt().verification,
      error: outcome === 'failed' ? { code: 'RUNTIME_FAILED', message: 'docker compose up -d exited 1: port 80 in use' } : outcome === 'cancelled' ? { code: 'CANCELLED', message: 'cancelled by the admin' } : null,
    });
    const r = await explainFile(receipt, `outcome-${outcome}.json`);
    expect(r.code, r.stderr).toBe(0);
    const words = { installed: 'was installed', uninstalled: 'was uninstalled', rejected: 'was rejected', failed: 'failed', cancelled: 'was cancelled' }[outcome];
    expect(r.stdout.split('\n')[0]).toContain(`${words} at ${receipt.at}`);
    if (outcome === 'failed') expect(r.stdout).toContain('failed (Container runtime failed): docker compose up -d exited 1: port 80 in use');
    if (outcome === 'failed') expect(r.stdout).toContain('  error code: RUNTIME_FAILED\n');
    if (outcome === 'uninstalled') expect(r.stdout).toContain('Verdict: no verification ran');
    if (outcome === 'rejected') expect(r.stdout).toContain('was blocked before anything on the cell was touched');
  });

  it('highlights a desktop/cell disagreement and explains old cosign vs bundle signatures', async () => {
    const base = receiptFor('VERIFIED');
    const receipt = sampleReceipt({
      ...base,
      verification: { ...base.verification!, signatures: [{ format: 'bundle', keyFingerprint: TRUSTED, identity: null, problem: null }] },
      cellVerification: { ran: true, verified: false, cosignVersion: 'v2.5.0', output: 'Error: no signatures found' },
      decision: 'block',
      outcome: 'rejected',
    });
    const r = await explainFile(receipt, 'disagree.json');
    expect(r.stdout).toContain('desktop: verified');
    expect(r.stdout).toContain('cell:    not verified by cosign v2.5.0 on the cell');
    expect(r.stdout).toMatch(/DISAGREEMENT: .*cosign before 2\.6 cannot read bundle signatures/);
    // Debian's cosign reports its version as "devel": the explanation is judged from the evidence.
    const devel = sampleReceipt({ ...receipt, cellVerification: { ran: true, verified: false, cosignVersion: 'devel', output: 'Error: no signatures found' } });
    const d = await explainFile(devel, 'disagree-devel.json');
    expect(d.stdout).toMatch(/DISAGREEMENT: .*cosign devel on the cell found no signature it can read: cosign before 2\.6 cannot read bundle signatures/);
  });

  it('--json gives the explanation and the receipt; a non-receipt exits 3 with its JSON path; usage exits 2', async () => {
    const receipt = receiptFor('SIGNATURE_NOT_FOUND');
    const file = join(home, 'j.json');
    await exportReceipt(file, receipt);
    const j = await picStore(['explain', file, '--json']);
    const doc = JSON.parse(j.stdout) as { explanation: { verdict: { code: string } }; receipt: Receipt };
    expect(doc.explanation.verdict.code).toBe('SIGNATURE_NOT_FOUND');
    expect(doc.receipt).toEqual(receipt);
    await writeFile(join(home, 'bad.json'), JSON.stringify({ ...receipt, digest: 'sha256:nope' }));
    const bad = await picStore(['explain', join(home, 'bad.json')]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('/digest: must be sha256:');
    expect((await picStore(['explain'])).code).toBe(2);
    expect((await picStore(['explain', join(home, 'absent.json')])).code).toBe(3);
  });
});
