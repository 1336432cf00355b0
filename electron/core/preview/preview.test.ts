import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../verification/types';
import { modeTable } from './mode-table';
import { verifyForPreview } from './preview-verify';
import { readListing } from './read-listing';
import { watchFile } from '../file-watch';

const D = `sha256:${'a'.repeat(64)}`;
const good = { id: 'web', name: 'Web', version: '1.0', image: `127.0.0.1:5000/demo/web@${D}` };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-preview-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readListing', () => {
  it('a valid manifest', async () => {
    await writeFile(join(dir, 'm.json'), JSON.stringify(good));
    const p = await readListing(join(dir, 'm.json'));
    expect(p.kind).toBe('manifest');
    expect(p.services).toEqual([{ index: 0, id: 'web', manifest: expect.objectContaining(good), errors: [], partial: null }]);
  });
  it('schema errors with JSON pointers', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...good, ports: [{ container: 80, host: 0 }], privileged: true }));
    const p = await readListing(join(dir, 'bad.json'));
    expect(p.services[0]?.errors.map((e) => e.path).sort()).toEqual(['/ports/0/host', '/privileged']);
    expect(p.services[0]?.manifest).toBeNull();
    // What can still be drawn: every field that passes its own rule; the bad ones are left out.
    expect(p.services[0]?.partial).toEqual(good);
  });
  it('broken JSON says where', async () => {
    await writeFile(join(dir, 'torn.json'), '{\n  "id": "web",\n  "name": \n');
    const p = await readListing(join(dir, 'torn.json'));
    expect(p.kind).toBe('invalid-json');
    expect(p.errors[0]?.message).toMatch(/line 4, column 1/);
  });
  it('an index: every service with its own errors, the OCI layout inside its directory', async () => {
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'S', ociLayout: 'oci', services: [good, { ...good, id: 'x', name: '' }] }));
    const p = await readListing(join(dir, 'index.json'));
    expect(p.kind).toBe('index');
    expect(p.ociLayoutDir).toBe(join(dir, 'oci'));
    expect(p.services.map((s) => s.errors.map((e) => e.path))).toEqual([[], ['/services/1/name']]);
    await writeFile(join(dir, 'env.json'), JSON.stringify({ schemaVersion: 2, services: [] }));
    expect((await readListing(join(dir, 'env.json'))).kind).toBe('index-invalid');
  });
  it('a FIFO is reported without being opened (the preview never blocks), and no error quotes the file', async () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    const p = await readListing(fifo);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(p.kind).toBe('unreadable');
    expect(p.errors[0]?.message).toMatch(/named pipe, not a regular file/);
    await writeFile(join(dir, 'token.json'), 'ghp_SECRETTOKEN\n');
    const s = await readListing(join(dir, 'token.json'));
    expect(s.kind).toBe('invalid-json');
    expect(s.errors[0]?.message).toMatch(/line 1, column 1/);
    expect(JSON.stringify(s)).not.toMatch(/SECRET|ghp/);
  });
  it('an unreadable path is reported, not thrown', async () => {
    const p = await readListing(join(dir, 'absent.json'));
    expect(p.kind).toBe('unreadable');
    expect(p.errors[0]?.message).toMatch(/ENOENT/);
  });
});

describe('modeTable', () => {
  const base: VerificationReport = { image: good.image, digest: D, verified: false, reason: 'SIGNATURE_NOT_FOUND', checks: [], signatures: [], trustedKeys: [] };
  it('unverified: enforce blocks because …, warn installs with a warning, off installs', () => {
    const rows = modeTable(base);
    expect(rows.map((r) => `${r.mode}:${r.decision}`)).toEqual(['enforce:block', 'warn:warn', 'off:allow']);
    expect(rows[0]?.sentence).toMatch(/^blocked because no cosign signature is attached to 127\.0\.0\.1:5000\/demo\/web@sha256:a{64}/);
    expect(rows[1]?.sentence).toMatch(/^installs with a warning: /);
    expect(rows[2]?.sentence).toMatch(/^installs; verification is off/);
  });
  it('no digest to pin, an invalid reference or an invalid listing: no mode installs it (issue 17 item 5)', () => {
    for (const r of [
      { ...base, image: 'Not A::Reference', digest: null, reason: 'REFERENCE_INVALID' as const },
      { ...base, image: '127.0.0.1:5000/demo/web:1.0', digest: null, reason: 'DIGEST_MISSING' as const },
      { ...base, reason: 'MANIFEST_INVALID' as const },
    ]) {
      const rows = modeTable(r);
      expect(rows.map((x) => `${x.mode}:${x.decision}`), r.reason).toEqual(['enforce:block', 'warn:block', 'off:block']);
      // Said once (issue 17 item 3): the reason on the first row, in a continuing clause.
      expect(rows[0]!.sentence).toMatch(/^cannot be installed in any mode: [^A-Z]/);
      expect(rows.slice(1).map((x) => x.sentence)).toEqual(['cannot be installed in any mode, for the same reason', 'cannot be installed in any mode, for the same reason']);
    }
  });
  it('verified: every mode installs', () => {
    expect(modeTable({ ...base, verified: true, reason: 'VERIFIED' }).map((r) => r.decision)).toEqual(['allow', 'allow', 'allow']);
  });
});

describe('watchFile', () => {
  it('fires on an in-place write and on a rename-over save, debounced', async () => {
    const file = join(dir, 'w.json');
    await writeFile(file, '{}');
    let n = 0;
    const w = watchFile(file, () => n++, 50);
    try {
      await new Promise((r) => setTimeout(r, 50));
      await writeFile(file, '{"a":1}');
      await writeFile(file, '{"a":2}');
      await waitFor(() => n >= 1);
      const before = n;
      await writeFile(join(dir, 'w.json.tmp'), '{"a":3}');
      await rename(join(dir, 'w.json.tmp'), file);
      await waitFor(() => n > before);
      await writeFile(join(dir, 'other.json'), '{}');
      await new Promise((r) => setTimeout(r, 150));
      expect(n).toBe(before + 1);
    } finally {
      w.close();
    }
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !ok(); i++) await new Promise((r) => setTimeout(r, 40));
  expect(ok()).toBe(true);
}

describe('verifyForPreview from a local OCI layout', () => {
  // A copy of the embedded demo store's layout (made with real cosign), so nothing can touch the
  // committed one; the developer key field is the demo store's cosign.pub.
  const demo = join(__dirname, '..', '..', '..', 'config', 'demo-store');
  const demoIndex = JSON.parse(readFileSync(join(demo, 'index.json'), 'utf8')) as { services: { id: string; image: string }[] };
  const expected = JSON.parse(readFileSync(join(demo, 'expected.json'), 'utf8')) as Record<string, string>;
  let layout: string;
  beforeAll(async () => {
    layout = join(dir, 'layout-copy');
    await cp(join(demo, 'oci'), layout, { recursive: true });
  });

  it('reads the image from the layout: the app trust root does not accept it, the developer key does', async () => {
    const pinboard = demoIndex.services.find((s) => s.id === 'pinboard')!;
    const v = await verifyForPreview({ image: pinboard.image, serviceId: 'pinboard', trustRoot: { keys: [], problems: [] }, ociLayoutDir: layout, devKeyPath: join(demo, 'cosign.pub') });
    expect(v.source).toBe('oci-layout');
    expect(v.report.verified).toBe(false);
    expect(v.report.digest).toBe(pinboard.image.split('@')[1]);
    expect(v.modes.find((m) => m.mode === 'enforce')?.decision).toBe('block');
    expect(v.devKey?.problem).toBeNull();
    expect(v.devKey?.report?.reason).toBe('VERIFIED');
    expect(v.devKey?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every demo image its expected verdict under the developer key, with no registry at all', async () => {
    const got: Record<string, string> = {};
    for (const s of demoIndex.services) {
      const v = await verifyForPreview({ image: s.image, serviceId: s.id, trustRoot: { keys: [], problems: [] }, ociLayoutDir: layout, devKeyPath: join(demo, 'cosign.pub'), timeoutMs: 2000 });
      got[s.id] = v.devKey!.report!.reason;
    }
    expect(got).toEqual(expected);
  });
});
