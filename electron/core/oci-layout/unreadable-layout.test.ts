import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStoreIndex } from '../store/load-index';
import { loadTrustRootFromFiles } from '../trust/trust-root';
import { openFileCache } from '../verification/verification-cache';
import { verifyStore } from '../verification/verify-store';

/**
 * Issue 12.11: a store whose OCI layout cannot be read — index.json a FIFO, a directory, missing
 * or not JSON — gets an unreadable-source verdict naming why, never "2 signature(s) found,
 * SIGNATURE_INVALID", and such verdicts are never cached: once the layout is repaired, the next
 * run with the same cache gives the real verdicts.
 */
const DEMO = join(__dirname, '..', '..', '..', 'config', 'demo-store');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-unreadable-layout-'));
  await cp(DEMO, join(dir, 'store'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const breakages: Array<[string, (index: string) => Promise<void>, RegExp]> = [
  ['a FIFO', async (p) => { await rm(p); execFileSync('mkfifo', [p]); }, /index\.json is a named pipe, not a regular file/],
  ['a directory', async (p) => { await rm(p); await mkdir(p); }, /index\.json is a directory, not a regular file/],
  ['missing', async (p) => rm(p), /has no index\.json/],
  ['not JSON', async (p) => writeFile(p, '{ "schemaVersion": 2, '), /index\.json is not valid JSON/],
];

describe('a store whose OCI layout index cannot be read', () => {
  it.each(breakages)('index.json %s: every pinned image is an unreadable-source verdict, not a signature verdict, and none is cached', async (_what, breakIt, why) => {
    const expected = JSON.parse(await readFile(join(DEMO, 'expected.json'), 'utf8')) as Record<string, string>;
    const layoutIndex = join(dir, 'store', 'oci', 'index.json');
    const good = await readFile(layoutIndex);
    await breakIt(layoutIndex);
    const store = await loadStoreIndex(join(dir, 'store', 'index.json'));
    const trustRoot = await loadTrustRootFromFiles([join(dir, 'store', 'cosign.pub')], 'local');
    const cacheDir = join(dir, 'cache');
    const broken = await verifyStore(store, { trustRoot, cache: await openFileCache(cacheDir) });
    for (const r of broken) {
      if (expected[r.serviceId!] === 'DIGEST_MISSING') {
        expect(r.reason).toBe('DIGEST_MISSING');
        continue;
      }
      expect(r.reason, r.serviceId).toBe('REGISTRY_UNREACHABLE');
      expect(r.signatures).toEqual([]);
      const registry = r.checks.find((c) => c.id === 'registry')!;
      expect(registry.status).toBe('fail');
      expect(registry.detail).toMatch(/the layout cannot be read/);
      expect(registry.detail).toMatch(why);
      expect(r.checks.find((c) => c.id === 'signature-found')!.status).toBe('skip');
    }

    // Repaired: the same cache answers nothing from the broken run.
    await rm(layoutIndex, { recursive: true, force: true });
    await writeFile(layoutIndex, good);
    const repaired = await verifyStore(store, { trustRoot, cache: await openFileCache(cacheDir) });
    expect(Object.fromEntries(repaired.map((r) => [r.serviceId, r.reason]))).toEqual(expected);
    expect(repaired.filter((r) => r.cached)).toEqual([]);
  });
});
