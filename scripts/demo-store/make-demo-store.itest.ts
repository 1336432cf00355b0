import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOciLayout } from '../../electron/core/oci-layout/oci-layout-source';
import { pathToFileURL } from 'node:url';
import { loadStoreIndex } from '../../electron/core/store/load-index';
import { loadConfiguredStore } from '../../electron/core/signed-store/load-configured-store';
import { saveInitialRoot } from '../../electron/core/signed-store/root-file';
import { loadTrustRootFromFiles } from '../../electron/core/trust/trust-root';
import { verifyImage } from '../../electron/core/verification/verify-image';
import { cosignBin } from '../testbed/paths';

// Smoke test of the demo store generator: real docker-registry, real cosign, written into a temp
// dir with --out (never over the committed config/demo-store), then judged by the real engine.
const REPO = resolve(__dirname, '..', '..');
const SCRIPT = join(REPO, 'scripts', 'demo-store', 'make-demo-store.mjs');
const COMMITTED = join(REPO, 'config', 'demo-store');

/** Why the generator cannot run here, or null: its registry port is fixed at 5000 (the images' names). */
function port5000Busy(): Promise<string | null> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => done(`127.0.0.1:5000 is not free (${e.code ?? e.message}); make-demo-store.mjs needs that port`));
    probe.listen(5000, '127.0.0.1', () => probe.close(() => done(null)));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function committedHashes(): Record<string, string> {
  return Object.fromEntries(filesUnder(COMMITTED).map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]));
}

describe('scripts/demo-store/make-demo-store.mjs', () => {
  const out = mkdtempSync(join(tmpdir(), 'pic-demo-out-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes a six-service store with only public key material that verifies to expected.json', async (ctx) => {
    const busy = await port5000Busy();
    if (busy) ctx.skip(busy);
    const before = committedHashes();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [SCRIPT, '--out', out],
        { cwd: REPO, timeout: 60_000, env: { ...process.env, PIC_TESTBED_COSIGN: cosignBin() } },
        (e, so, se) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout: so, stderr: se }),
      );
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`demo store written to ${out} (6 services`);
    // The committed store was not touched.
    expect(committedHashes()).toEqual(before);

    const expected = JSON.parse(readFileSync(join(out, 'expected.json'), 'utf8')) as Record<string, string>;
    expect(expected).toEqual(JSON.parse(readFileSync(join(COMMITTED, 'expected.json'), 'utf8')));
    const store = await loadStoreIndex(join(out, 'index.json'));
    expect(store.name).toBe('PIC Demo Store');
    expect(store.services.map((s) => s.id)).toEqual(['pinboard', 'lumen-photos', 'open-wiki', 'relay-chat', 'backup-box', 'meter']);
    expect(store.ociLayoutDir).toBe(join(out, 'oci'));

    const pub = readFileSync(join(out, 'cosign.pub'), 'utf8');
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/);
    // A fresh demo key on every run: not the committed one.
    expect(pub).not.toBe(readFileSync(join(COMMITTED, 'cosign.pub'), 'utf8'));
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(readFileSync(f, 'latin1'), f).not.toContain('PRIVATE KEY');

    const trustRoot = await loadTrustRootFromFiles([join(out, 'cosign.pub')], 'demo');
    const layout = openOciLayout(store.ociLayoutDir!);
    const got: Record<string, string> = {};
    for (const s of store.services) {
      // Every manifest the generator writes passes the store schema.
      expect(s.errors, s.id ?? String(s.index)).toEqual([]);
      const image = s.manifest!.image;
      const r = await verifyImage({ image, serviceId: s.manifest!.id, trustRoot, sources: () => layout });
      got[s.manifest!.id] = r.reason;
    }
    expect(got).toEqual(expected);
    expect(new Set(Object.values(got))).toEqual(new Set(['VERIFIED', 'SIGNATURE_NOT_FOUND', 'DIGEST_MISSING', 'SIGNATURE_INVALID', 'SIGNATURE_DIGEST_MISMATCH']));

    // The listing itself is signed (DESIGN 2.7): a TUF directory store with its own demo root,
    // read by the same code as every signed store, its OCI layout found beside the signed index.
    const home = mkdtempSync(join(tmpdir(), 'pic-demo-home-'));
    try {
      const url = `${pathToFileURL(out).href}/`;
      await saveInitialRoot(home, url, readFileSync(join(out, 'metadata', '1.root.json')));
      const signed = await loadConfiguredStore({ name: 'PIC Demo Store', url, signed: true }, { dataDir: home });
      expect(signed.listing).toMatchObject({ signed: true, version: 1, state: 'current', expires: '2099-12-31T00:00:00Z' });
      expect(signed.services.map((s) => s.id)).toEqual(store.services.map((s) => s.id));
      expect(signed.ociLayoutDir).toBe(join(out, 'targets', 'oci'));
      expect(readFileSync(join(out, 'targets', 'index.json'))).toEqual(readFileSync(join(out, 'index.json')));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to run when its registry port is taken, instead of pushing to whatever listens there', async (ctx) => {
    const busy = await port5000Busy();
    if (busy) ctx.skip(busy);
    const squatter = createServer((s) => s.destroy());
    await new Promise<void>((ok) => squatter.listen(5000, '127.0.0.1', ok));
    const target = join(out, 'refused');
    try {
      const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done) => {
        execFile(process.execPath, [SCRIPT, '--out', target], { cwd: REPO, timeout: 30_000, env: { ...process.env, PIC_TESTBED_COSIGN: cosignBin() } }, (e, _so, se) =>
          done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stderr: se }),
        );
      });
      expect(code).toBe(1);
      expect(stderr).toContain('127.0.0.1:5000 is in use');
      expect(existsSync(target)).toBe(false);
    } finally {
      await new Promise<void>((ok) => squatter.close(() => ok()));
    }
  });
});
