import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStoreIndex } from './load-index';
import { validateIndex, validateManifest } from './validate';

const D = `sha256:${'a'.repeat(64)}`;
const good = { id: 'web', name: 'Web', version: '1.0', image: `127.0.0.1:5000/demo/web@${D}` };

describe('manifest schema', () => {
  it('accepts a full valid manifest', () => {
    const m = {
      ...good, tagline: 't', description: '# hi', category: 'web', developer: { name: 'D', url: 'https://d.example' },
      icon: 'data:image/png;base64,iVBORw0KGgo=', ports: [{ container: 80, host: 8080, protocol: 'tcp' }],
      environment: { A_B: 'x' }, volumes: [{ name: 'data', path: '/var/lib/x' }],
    };
    expect(validateManifest(m).errors).toEqual([]);
  });
  it('accepts revoked and endOfLife (DESIGN 2.1, 2.9) and checks their rules', () => {
    const ok = { ...good, revoked: { reason: 'key compromised', at: '2026-12-01T10:00:00Z' }, endOfLife: { reason: 'unmaintained', replacedBy: 'web-2' } };
    expect(validateManifest(ok).errors).toEqual([]);
    expect(validateManifest({ ...good, endOfLife: { reason: 'gone' } }).errors).toEqual([]);
    const bad = validateManifest({ ...good, revoked: { reason: '', at: 'yesterday' }, endOfLife: { reason: 'x'.repeat(501), replacedBy: 'Not An Id', extra: 1 } });
    expect(bad.errors.map((e) => e.path).sort()).toEqual(['/endOfLife/extra', '/endOfLife/reason', '/endOfLife/replacedBy', '/revoked/at', '/revoked/reason']);
  });
  it('accepts a tag-only image (verification rejects it later)', () => {
    expect(validateManifest({ ...good, image: 'nginx:latest' }).errors).toEqual([]);
  });
  it('reports JSON-pointer paths', () => {
    const { errors } = validateManifest({ ...good, id: 'Bad_Id', ports: [{ container: 0, host: 70000, protocol: 'sctp' }], environment: { '1X': 'y' }, volumes: [{ name: 'v', path: 'relative' }], developer: { name: 'x', url: 'http://x' } });
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(['/developer/url', '/environment/1X', '/id', '/ports/0/container', '/ports/0/host', '/ports/0/protocol', '/volumes/0/path'].sort());
  });
  it("names the environment rule (not zod's 'Invalid key in record') at the key's JSON pointer", () => {
    const { errors } = validateManifest({ ...good, environment: { '1X': 'y', 'a/b~c': 'z', OK_1: 'fine' } });
    expect(errors).toEqual([
      { path: '/environment/1X', message: 'environment names must match ^[A-Za-z_][A-Za-z0-9_]*$' },
      { path: '/environment/a~1b~0c', message: 'environment names must match ^[A-Za-z_][A-Za-z0-9_]*$' },
    ]);
  });
  it('refuses fields the listing cannot express, naming them', () => {
    const { errors } = validateManifest({ ...good, privileged: true });
    expect(errors).toEqual([{ path: '/privileged', message: 'not allowed in a store listing: privileged' }]);
  });
  it('reports missing required fields', () => {
    expect(validateManifest({ id: 'x' }).errors.map((e) => `${e.path} ${e.message}`)).toEqual(['/name is required', '/version is required', '/image is required']);
  });
  it('refuses javascript: and http icons', () => {
    expect(validateManifest({ ...good, icon: 'http://x/i.png' }).errors[0]?.path).toBe('/icon');
    expect(validateManifest({ ...good, icon: 'data:text/html;base64,AAAA' }).errors[0]?.path).toBe('/icon');
  });
  it('screenshots (DESIGN 2.1): at most 8, each https: or an inline PNG/WebP — never SVG, http or another scheme', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const webp = 'data:image/webp;base64,UklGRg==';
    expect(validateManifest({ ...good, screenshots: ['https://shots.example/1.png', png, webp] }).errors).toEqual([]);
    expect(validateManifest({ ...good, screenshots: Array(9).fill(png) }).errors).toEqual([{ path: '/screenshots', message: 'must list at most 8 screenshots' }]);
    for (const bad of ['data:image/svg+xml;base64,PHN2Zz4=', 'http://shots.example/1.png', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(validateManifest({ ...good, screenshots: [png, bad] }).errors, bad).toEqual([{ path: '/screenshots/1', message: 'must be an https: URL or a data:image/(png|webp);base64 URL' }]);
    }
  });
});

describe('store index', () => {
  it('one bad manifest never breaks the rest; duplicate ids are errors', () => {
    const v = validateIndex({ schemaVersion: 1, name: 'S', services: [good, { ...good, name: '' }, { ...good }, 42] });
    if (!v.ok) throw new Error('index should load');
    expect(v.index.services.map((s) => s.errors.length > 0)).toEqual([false, true, true, true]);
    expect(v.index.services[1]?.errors[0]?.path).toBe('/services/1/name');
    expect(v.index.services[2]?.errors[0]).toEqual({ path: '/services/2/id', message: 'duplicate id "web" (already used by /services/0)' });
    expect(v.index.services[3]?.errors[0]?.path).toBe('/services/3');
  });
  it('an invalid envelope is fatal', () => {
    const v = validateIndex({ schemaVersion: 2, services: {} });
    expect(v.ok).toBe(false);
  });
  it('loads files, honours ociLayout only inside the index directory, refuses non-loopback http', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pic-index-'));
    try {
      await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'S', services: [good], ociLayout: 'oci' }));
      const s = await loadStoreIndex(join(dir, 'index.json'));
      expect(s.ociLayoutDir).toBe(join(dir, 'oci'));
      const viaUrl = await loadStoreIndex(`file://${join(dir, 'index.json')}`);
      expect(viaUrl.services).toHaveLength(1);
      await writeFile(join(dir, 'evil.json'), JSON.stringify({ schemaVersion: 1, name: 'S', services: [], ociLayout: '../../etc' }));
      await expect(loadStoreIndex(join(dir, 'evil.json'))).rejects.toMatchObject({ code: 'INDEX_INVALID' });
      await expect(loadStoreIndex('http://198.18.0.1/index.json')).rejects.toMatchObject({ code: 'INDEX_UNREADABLE' });
      await expect(loadStoreIndex(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'INDEX_UNREADABLE' });
      await writeFile(join(dir, 'big.json'), 'x'.repeat(2000));
      await expect(loadStoreIndex(join(dir, 'big.json'), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'INDEX_UNREADABLE' });
      // A path may name any readable file: a parse error names the position, never the content.
      await writeFile(join(dir, 'token.txt'), 'ghp_SECRETTOKEN\n');
      const err = await loadStoreIndex(join(dir, 'token.txt')).catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'INDEX_INVALID' });
      expect((err as Error).message).toMatch(/line 1, column 1/);
      expect((err as Error).message).not.toContain('SECRET');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
