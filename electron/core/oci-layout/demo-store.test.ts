import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrustRootFromFiles } from '../trust/trust-root';
import { verifyImage } from '../verification/verify-image';
import { openOciLayout } from './oci-layout-source';

// The embedded demo store (made by scripts/demo-store/make-demo-store.mjs with real cosign):
// every service must get exactly the verdict its kind stands for, under the demo key only.
const DEMO = join(__dirname, '..', '..', '..', 'config', 'demo-store');

interface DemoIndex {
  name: string;
  ociLayout: string;
  services: { id: string; image: string }[];
}

const index = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8')) as DemoIndex;
const expected = JSON.parse(readFileSync(join(DEMO, 'expected.json'), 'utf8')) as Record<string, string>;

function sizeOf(dir: string): number {
  return readdirSync(dir).reduce((n, f) => {
    const p = join(dir, f);
    const st = statSync(p);
    return n + (st.isDirectory() ? sizeOf(p) : st.size);
  }, 0);
}

describe('the embedded demo store', () => {
  it('has one service of each kind, a small layout and only public key material', () => {
    expect(index.name).toBe('PIC Demo Store');
    expect(new Set(Object.values(expected))).toEqual(
      new Set(['VERIFIED', 'SIGNATURE_NOT_FOUND', 'DIGEST_MISSING', 'SIGNATURE_INVALID', 'SIGNATURE_DIGEST_MISMATCH']),
    );
    expect(index.services.map((s) => s.id).sort()).toEqual(Object.keys(expected).sort());
    expect(sizeOf(join(DEMO, index.ociLayout))).toBeLessThan(200 * 1024);
    expect(readFileSync(join(DEMO, 'cosign.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    for (const f of readdirSync(join(DEMO, 'oci', 'blobs', 'sha256'))) {
      expect(readFileSync(join(DEMO, 'oci', 'blobs', 'sha256', f), 'latin1')).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('verifies every service to its expected reason under the demo key', async () => {
    const trustRoot = await loadTrustRootFromFiles([join(DEMO, 'cosign.pub')], 'demo');
    expect(trustRoot.keys).toHaveLength(1);
    const layout = openOciLayout(join(DEMO, index.ociLayout));
    const got: Record<string, string> = {};
    const formats: Record<string, string[]> = {};
    for (const s of index.services) {
      const r = await verifyImage({ image: s.image, serviceId: s.id, trustRoot, sources: () => layout });
      got[s.id] = r.reason;
      formats[s.id] = r.signatures.filter((x) => x.keyFingerprint && !x.problem).map((x) => x.format);
      if (r.reason === 'SIGNATURE_DIGEST_MISMATCH') {
        expect(r.signatures.some((x) => x.boundDigest && x.boundDigest !== r.digest)).toBe(true);
      }
    }
    expect(got).toEqual(expected);
    expect(formats['pinboard']).toEqual(['classic']);
    expect(formats['lumen-photos']).toEqual(['bundle']);
  });

  it('verifies nothing under a key that is not the demo key', async () => {
    const layout = openOciLayout(join(DEMO, index.ociLayout));
    const { generateKeyPairSync } = await import('node:crypto');
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'demo-other-key-'));
    try {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(join(dir, 'other.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
      const trustRoot = await loadTrustRootFromFiles([join(dir, 'other.pub')], 'local');
      for (const s of index.services) {
        const r = await verifyImage({ image: s.image, serviceId: s.id, trustRoot, sources: () => layout });
        expect(r.verified).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
