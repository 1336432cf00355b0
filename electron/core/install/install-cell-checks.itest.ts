// Decisions that depend on what the cell reports, on a real cell (sshd) and a real registry with
// real cosign signatures, without dockerd: every case here is decided before anything would run.
// The cell's `cosign` is a fake on its PATH that prints nothing for `version` and fails every
// `verify` — a cosign whose version cannot be read is still present, so its check must run.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCell, type TestCell } from '../../../scripts/testbed/cell';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from '../../../scripts/testbed/cosign';
import { pushImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { adHocProfile, type CellProfile } from '../cell/profiles';
import { closeCellConnection } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import { getCellStatus } from '../cell/status';
import { RegistrySource } from '../registry/registry-source';
import { RegistrySourcePool } from '../registry/registry-pool';
import type { ServiceManifest } from '../store/manifest-schema';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { installService, type InstallRequest } from './install-flow';
import { uninstallService } from './uninstall';

let reg: TestRegistry;
let cell: TestCell;
let cosign: CosignHome;
let storeKey: { key: string; pub: string };
let appRoot: TrustRoot;
let profile: CellProfile;
let ssh: SshContext;
let dataDir: string;
let fakeDir: string;
const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));

const FAKE_COSIGN = `#!/bin/sh
case "$1" in
  version) exit 0 ;;
  *) echo "fake cosign: no matching signatures" >&2; exit 1 ;;
esac
`;

beforeAll(async () => {
  fakeDir = await mkdtemp(join(tmpdir(), 'pic-fake-cosign-'));
  const fake = join(fakeDir, 'cosign');
  await writeFile(fake, FAKE_COSIGN);
  await chmod(fake, 0o755);
  dataDir = await mkdtemp(join(tmpdir(), 'pic-checks-data-'));
  reg = await startRegistry();
  cell = await startTestCell({ cosignPath: fake });
  cosign = await cosignHome();
  storeKey = await cosignKeyPair(cosign, 'store');
  appRoot = await loadTrustRootFromFiles([storeKey.pub], 'local');
  await writeFile(cell.knownHosts, `[127.0.0.1]:${cell.port} ${(await cell.hostKey()).line}\n`);
  profile = adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root, name: 'test cell' });
  ssh = { dataDir, timeouts: { connectTimeoutSec: 5, serverAliveIntervalSec: 1, serverAliveCountMax: 3 } };
  await cell.writeFile('config/cosign/cosign.pub', await readFile(storeKey.pub));
}, 120_000);

afterAll(async () => {
  pool.close();
  if (profile) await closeCellConnection(profile, ssh).catch(() => undefined);
  await cell?.stop();
  await cosign?.cleanup();
  await reg?.stop();
  for (const d of [dataDir, fakeDir]) if (d) await rm(d, { recursive: true, force: true });
}, 60_000);

function request(manifest: ServiceManifest, extra: Partial<InstallRequest> = {}): InstallRequest {
  return { manifest, store: null, profile, ssh, appTrustRoot: appRoot, sources: pool.provider, activityLog: join(dataDir, 'activity.jsonl'), ...extra };
}

const neverConfirm = async (): Promise<boolean> => {
  throw new Error('this install must never reach confirmation');
};

async function signedImage(repo: string): Promise<string> {
  const img = await pushImage(reg.host, repo);
  await cosignSign(cosign, storeKey.key, img.ref);
  return img.ref;
}

describe('cell-side cosign whose version output is empty', () => {
  it('is reported present (version unknown), not absent', async () => {
    const st = await getCellStatus(profile, ssh, { trustRoot: appRoot });
    expect(st.cosign).toBe('unknown');
  });

  it('enforce: its check runs, fails, and blocks an image the app verifies — the cell is untouched', async () => {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'enforce' } }));
    const image = await signedImage('demo/fake-cosign');
    const { receipt } = await installService(request({ id: 'fakecosign', name: 'Fake cosign', version: '1', image }), neverConfirm);
    expect(receipt.verification?.verified).toBe(true);
    expect(receipt.cellVerification).toMatchObject({ ran: true, verified: false, cosignVersion: 'unknown' });
    expect(receipt.cellVerification?.output).toMatch(/fake cosign: no matching signatures/);
    expect(receipt.decision).toBe('block');
    expect(receipt.outcome).toBe('rejected');
    expect(receipt.mode).toMatchObject({ value: 'enforce', source: 'config' });
  }, 60_000);
});

describe('an attempt cut short after the cell was read (DESIGN 2.5)', () => {
  /** Cancels as soon as verification starts: the cell has been read, nothing is verified yet. */
  function cancelAtVerify(): Partial<InstallRequest> {
    const ac = new AbortController();
    return { signal: ac.signal, onProgress: (p) => p.phase === 'verify' && ac.abort() };
  }

  it('enforce, new service: the receipt records the mode, "block" (not yet verified) and action install', async () => {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'enforce' } }));
    const image = await signedImage('demo/cancel-new');
    const { receipt } = await installService(request({ id: 'cancelnew', name: 'Cancel new', version: '1', image }, cancelAtVerify()), neverConfirm);
    expect(receipt.error, receipt.error?.message).toMatchObject({ code: 'CANCELLED' });
    expect(receipt.outcome).toBe('cancelled');
    expect(receipt.action).toBe('install');
    expect(receipt.mode).toMatchObject({ value: 'enforce', source: 'config' });
    expect(receipt.decision).toBe('block');
  }, 60_000);

  it('warn, installed service: action upgrade, decision "warn" (the table for not verified)', async () => {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'warn' } }));
    await cell.writeFile('services/cancelold/receipt.json', JSON.stringify({ kind: 'pic-store-receipt', service: { id: 'cancelold', name: 'Old', version: '0.9' } }));
    try {
      const image = await signedImage('demo/cancel-old');
      const { receipt } = await installService(request({ id: 'cancelold', name: 'Cancel old', version: '1', image }, cancelAtVerify()), neverConfirm);
      expect(receipt.outcome).toBe('cancelled');
      expect(receipt.action).toBe('upgrade');
      expect(receipt.mode).toMatchObject({ value: 'warn', source: 'config' });
      expect(receipt.decision).toBe('warn');
    } finally {
      await cell.remove('services/cancelold');
    }
  }, 60_000);

  it('the cell cannot be reached: mode and decision stay null', async () => {
    const unreachable = adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: `${cell.root}-x`, name: 'gone' });
    const ac = new AbortController();
    ac.abort();
    const { receipt } = await installService({ ...request({ id: 'nocell', name: 'No cell', version: '1', image: `${reg.host}/demo/x@sha256:${'c'.repeat(64)}` }), profile: unreachable, signal: ac.signal }, neverConfirm);
    expect(receipt.mode).toBeNull();
    expect(receipt.decision).toBeNull();
  }, 60_000);
});

describe('uninstall receipts (DESIGN 2.5)', () => {
  it('once the cell is reached: decision allow, and the image and digest the installed receipt records', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const image = `${reg.host}/demo/old:1.0`;
    await cell.writeFile('services/olduninst/receipt.json', JSON.stringify({ kind: 'pic-store-receipt', service: { id: 'olduninst', name: 'Old', version: '0.9' }, image, digest }));
    try {
      const receipt = await uninstallService({ serviceId: 'olduninst', profile, ssh, appTrustRoot: appRoot, activityLog: join(dataDir, 'activity.jsonl') });
      expect(receipt.action).toBe('uninstall');
      expect(receipt.mode).toMatchObject({ value: expect.any(String) });
      expect(receipt.decision).toBe('allow');
      expect(receipt.image).toBe(image);
      expect(receipt.digest).toBe(digest);
      expect(receipt.service).toEqual({ id: 'olduninst', name: 'Old', version: '0.9' });
    } finally {
      await cell.remove('services/olduninst');
    }
  }, 60_000);

  it('not installed: still reached, so decision allow; the cell cannot be reached: null', async () => {
    const missing = await uninstallService({ serviceId: 'neverthere', profile, ssh, appTrustRoot: appRoot, activityLog: join(dataDir, 'activity.jsonl') });
    expect(missing.error?.code).toBe('NOT_INSTALLED');
    expect(missing.decision).toBe('allow');
    const ac = new AbortController();
    ac.abort();
    const cut = await uninstallService({ serviceId: 'neverthere', profile, ssh, appTrustRoot: appRoot, activityLog: join(dataDir, 'activity.jsonl'), signal: ac.signal });
    expect(cut.mode).toBeNull();
    expect(cut.decision).toBeNull();
  }, 60_000);
});

describe('the cell key an install is judged by (DESIGN 2.2)', () => {
  it('is the one the status read: a cosign.pub of 64 KiB or more is unusable for both', async () => {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'warn' } }));
    // A real key followed by padding: a reader that stops at 64 KiB + 1 would still find the key in it.
    await cell.writeFile('config/cosign/cosign.pub', Buffer.concat([await readFile(storeKey.pub), Buffer.alloc(70_000, 0x0a)]));
    try {
      const st = await getCellStatus(profile, ssh, { trustRoot: appRoot });
      expect(st.cellKey).toBeNull();
      expect(st.cellKeyProblem).toMatch(/too large/);
      const image = await signedImage('demo/big-key');
      const { receipt } = await installService(request({ id: 'bigkey', name: 'Big key', version: '1', image }), async () => false);
      expect(receipt.verification).toMatchObject({ verified: false, reason: 'TRUST_ROOT_INVALID' });
      expect(receipt.verification?.trustedKeys).toEqual([]);
    } finally {
      await cell.writeFile('config/cosign/cosign.pub', await readFile(storeKey.pub));
    }
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)('a key the cell user cannot read: the install says what the status says (unreadable), not "absent"', async () => {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'warn' } }));
    await cell.writeFile('config/cosign/cosign.pub', await readFile(storeKey.pub), { mode: 0o600, asRoot: true });
    try {
      const st = await getCellStatus(profile, ssh, { trustRoot: appRoot });
      expect(st.cellKeyProblem).toMatch(/unreadable/);
      const image = await signedImage('demo/unreadable-key');
      const { receipt } = await installService(request({ id: 'unreadkey', name: 'Unreadable key', version: '1', image }), async () => false);
      expect(receipt.verification).toMatchObject({ verified: false, reason: 'TRUST_ROOT_INVALID' });
      const detail = receipt.verification?.checks.find((c) => c.id === 'trust-root')?.detail ?? '';
      expect(detail).toContain(st.cellKeyProblem!);
    } finally {
      await cell.writeFile('config/cosign/cosign.pub', await readFile(storeKey.pub));
    }
  }, 60_000);
});
