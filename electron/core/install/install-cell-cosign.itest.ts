// The cell-side check (DESIGN 2.2) with the testbed's cosign 2.5 on the cell's PATH: it runs,
// agreement allows, and a real disagreement — an image signed only in the bundle format, which
// the app verifies but cosign 2.5's `verify` cannot read — blocks in enforce with both verdicts
// in the receipt and the cell untouched.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstallTestbed, type InstallTestbed } from '../../../scripts/testbed/install-testbed';
import { cosignAttestBundle } from '../../../scripts/testbed/bundle-cosign';
import { closeCellConnection } from '../cell/ssh';
import { explainReceipt } from '../receipts/explain';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import type { ServiceManifest } from '../store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { installService, type InstallRequest } from './install-flow';

let tb: InstallTestbed;
let appRoot: TrustRoot;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));

beforeAll(async () => {
  tb = await startInstallTestbed({ cellCosign: true });
  appRoot = await loadTrustRootFromFiles([tb.storeKey.pub], 'local');
}, 180_000);

afterAll(async () => {
  pool.close();
  if (tb) {
    await closeCellConnection(tb.profile, tb.ssh).catch(() => undefined);
    await tb.stop();
  }
}, 120_000);

function request(manifest: ServiceManifest): InstallRequest {
  return { manifest, store: null, profile: tb.profile, ssh: tb.ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: join(tb.dataDir, 'activity.jsonl') };
}

describe('cell-side cosign', () => {
  it('runs on the cell and, agreeing with the app, allows the install', async () => {
    await tb.setMode('enforce');
    const image = await tb.image('demo/classic', 'classic signature');
    await tb.sign(image);
    const { receipt } = await installService(request({ id: 'agree', name: 'Agree', version: '1', image }), async () => true);
    expect(receipt.error).toBeNull();
    expect(receipt.outcome).toBe('installed');
    expect(receipt.decision).toBe('allow');
    expect(receipt.verification?.verified).toBe(true);
    expect(receipt.cellVerification).toMatchObject({ ran: true, verified: true });
    // Debian's cosign 2.5 build reports GitVersion "devel"; whatever it says is recorded.
    expect(receipt.cellVerification?.cosignVersion).toBeTruthy();
    expect(receipt.cellVerification?.output).toMatch(/verified|signature/i);
    expect(explainReceipt(receipt).disagreement).toBe(false);
  }, 120_000);

  it('a bundle-only signature: the app verifies, cosign 2.5 on the cell cannot, enforce blocks with both verdicts and touches nothing', async () => {
    await tb.setMode('enforce');
    const image = await tb.image('demo/bundle', 'bundle-only signature');
    await cosignAttestBundle(tb.cosign, tb.storeKey.key, image);
    const before = await tb.snapshot();
    const { receipt } = await installService(request({ id: 'bundled', name: 'Bundled', version: '1', image }), async () => {
      throw new Error('a blocked install must never reach confirmation');
    });
    expect(receipt.outcome).toBe('rejected');
    expect(receipt.decision).toBe('block');
    expect(receipt.verification?.verified).toBe(true);
    expect(receipt.verification?.signatures.every((s) => s.format === 'bundle')).toBe(true);
    expect(receipt.cellVerification).toMatchObject({ ran: true, verified: false });
    expect(receipt.cellVerification?.output).toMatch(/no signatures found|no matching signatures/i);
    expect(receipt.error?.message).toMatch(/only bundle-format signatures.*cosign before 2\.6 cannot read bundle signatures/);
    const ex = explainReceipt(receipt);
    expect(ex.disagreement).toBe(true);
    expect(ex.desktop.verified).toBe(true);
    expect(ex.cell.verified).toBe(false);
    expect(ex.disagreementSentence).toMatch(/desktop verified the image but the cell's own cosign did not/);
    expect(await tb.snapshot()).toBe(before);
  }, 120_000);

  it('warn installs the same image with the disagreement recorded', async () => {
    await tb.setMode('warn');
    const image = await tb.image('demo/bundle-warn', 'bundle-only signature, warn');
    await cosignAttestBundle(tb.cosign, tb.storeKey.key, image);
    const { receipt, plan } = await installService(request({ id: 'bundlewarn', name: 'Bundle warn', version: '1', image }), async () => true);
    expect(receipt.outcome).toBe('installed');
    expect(receipt.decision).toBe('warn');
    expect(receipt.cellVerification).toMatchObject({ ran: true, verified: false });
    expect(plan?.summary?.warnings.join(' ')).toMatch(/NOT verified|cosign/);
  }, 120_000);
});
