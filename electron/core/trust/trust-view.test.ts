import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePublicKeyPem } from './public-key';
import { loadTrustStatus } from './trust-view';

function publicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function layout(files: Record<string, string>): Promise<{ appConfigDir: string; dataDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'pic-trust-view-'));
  dirs.push(root);
  const appConfigDir = join(root, 'config');
  const dataDir = join(root, 'data');
  await mkdir(dataDir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(appConfigDir, rel, '..'), { recursive: true });
    await writeFile(join(appConfigDir, rel), text);
  }
  return { appConfigDir, dataDir };
}

describe('loadTrustStatus', () => {
  it('lists the demo store key apart from the trusted keys, without counting it as a store key (UI finding 10)', async () => {
    const demoPem = publicKeyPem();
    const dirsOf = await layout({ 'demo-store/cosign.pub': demoPem });
    const t = await loadTrustStatus(dirsOf);
    expect(t.keys).toEqual([]);
    expect(t.state).toBe('no-key');
    expect(t.storeKeyInstalled).toBe(false);
    expect(t.demoKeys).toEqual([
      { fingerprint: parsePublicKeyPem(demoPem).fingerprint, origin: 'demo', type: 'ecdsa-p256', source: join(dirsOf.appConfigDir, 'demo-store', 'cosign.pub') },
    ]);
    expect(t.problems).toEqual([]);
  });

  it('a bundled key makes the store key installed; the demo key still stays in its own list', async () => {
    const storePem = publicKeyPem();
    const demoPem = publicKeyPem();
    const t = await loadTrustStatus(await layout({ 'cosign/store.pub': storePem, 'demo-store/cosign.pub': demoPem }));
    expect(t.state).toBe('store');
    expect(t.keys.map((k) => [k.origin, k.fingerprint])).toEqual([['bundled', parsePublicKeyPem(storePem).fingerprint]]);
    expect(t.demoKeys.map((k) => k.fingerprint)).toEqual([parsePublicKeyPem(demoPem).fingerprint]);
  });

  it('no demo store: no demo key and no problem; a broken demo key is reported as a problem', async () => {
    expect((await loadTrustStatus(await layout({}))).demoKeys).toEqual([]);
    expect((await loadTrustStatus(await layout({}))).problems).toEqual([]);
    const broken = await loadTrustStatus(await layout({ 'demo-store/cosign.pub': 'not a key' }));
    expect(broken.demoKeys).toEqual([]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]?.origin).toBe('demo');
  });
});
