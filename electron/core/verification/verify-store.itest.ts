import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { copyImage, pushImage, type PushedImage } from '../../../scripts/testbed/images';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../../../scripts/testbed/cosign';
import { validateIndex, type StoreService } from '../store/validate';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { NEGATIVE_TTL_MS, openFileCache } from './verification-cache';
import { verifyStore, type StoreProgress } from './verify-store';

// Whole-store verification on a real registry: 200 distinct signed images (every tenth
// unsigned), progress events, cancellation, and the cache's keying and lifetimes.
const N = 200;
let reg: TestRegistry;
let tmp: string;
let key: TestKey;
let trustRoot: TrustRoot;
let images: PushedImage[] = [];
let services: StoreService[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-store-'));
  reg = await startRegistry();
  key = await makeTestKey(tmp, 'p256');
  trustRoot = await loadTrustRootFromFiles([key.pubPath], 'local');
  for (let start = 0; start < N; start += 20) {
    images = images.concat(
      await Promise.all(
        Array.from({ length: Math.min(20, N - start) }, async (_, j) => {
          const i = start + j;
          const repo = `store/svc-${i}`;
          const img = await pushImage(reg.host, repo);
          if (i % 10 !== 7) {
            const payload = cosignPayload(`${reg.host}/${repo}`, img.digest);
            await pushClassicSignatures(reg.host, repo, img.digest, [{ payload, signature: signPayload(key, payload) }]);
          }
          return img;
        }),
      ),
    );
  }
  const idx = validateIndex({ schemaVersion: 1, name: 'Big', services: images.map((img, i) => ({ id: `svc-${i}`, name: `Service ${i}`, version: '1', image: img.ref })) });
  if (!idx.ok) throw new Error('index');
  services = idx.index.services;
}, 120_000);

afterAll(async () => {
  await reg?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('verifyStore', () => {
  it('verifies 200 services with one progress event per result, done counting to total', async () => {
    const events: StoreProgress[] = [];
    const results = await verifyStore({ services, ociLayoutDir: null }, { trustRoot, onProgress: (p) => events.push(p) });
    expect(results).toHaveLength(N);
    expect(events.map((e) => e.done)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(events.every((e) => e.total === N)).toBe(true);
    expect(new Set(events.map((e) => e.result.serviceId))).toEqual(new Set(services.map((s) => s.id)));
    results.forEach((r, i) => {
      expect(r.serviceId).toBe(`svc-${i}`);
      expect(r.reason).toBe(i % 10 === 7 ? 'SIGNATURE_NOT_FOUND' : 'VERIFIED');
    });
  });

  it('cancel stops the work: rejects with AbortError, no progress afterwards', async () => {
    const ac = new AbortController();
    let seen = 0;
    const p = verifyStore({ services, ociLayoutDir: null }, {
      trustRoot, signal: ac.signal, concurrency: 4,
      onProgress: () => {
        if (++seen === 10) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const atCancel = seen;
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toBe(atCancel);
    expect(seen).toBeLessThan(N);
  });

  it('cache: warm run served from cache; never one repository for another; negative verdicts short-lived', async () => {
    let now = 1_000_000;
    const dir = join(tmp, 'cache');
    const cache = await openFileCache(dir, () => now);
    await verifyStore({ services: services.slice(0, 20), ociLayoutDir: null }, { trustRoot, cache });
    const reopened = await openFileCache(dir, () => now);
    const t0 = performance.now();
    const warm = await verifyStore({ services: services.slice(0, 20), ociLayoutDir: null }, { trustRoot, cache: reopened });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(warm.every((r) => r.cached)).toBe(true);
    expect(warm[7]?.reason).toBe('SIGNATURE_NOT_FOUND');

    // Same digest, other repository (a copy without signature): not served from the cache.
    await copyImage(reg.host, 'store/svc-0', 'store/copy', images[0]!.manifest);
    const copy = validateIndex({ schemaVersion: 1, name: 'C', services: [{ id: 'copy', name: 'Copy', version: '1', image: `${reg.host}/store/copy@${images[0]!.digest}` }] });
    if (!copy.ok) throw new Error('index');
    const [c] = await verifyStore({ services: copy.index.services, ociLayoutDir: null }, { trustRoot, cache: reopened });
    expect(c).toMatchObject({ reason: 'SIGNATURE_NOT_FOUND' });
    expect(c?.cached).toBeUndefined();

    // Another trust root: not served either.
    const otherKey = await makeTestKey(tmp, 'p256');
    const otherRoot = await loadTrustRootFromFiles([otherKey.pubPath], 'local');
    const [o] = await verifyStore({ services: services.slice(0, 1), ociLayoutDir: null }, { trustRoot: otherRoot, cache: reopened });
    expect(o).toMatchObject({ reason: 'SIGNATURE_INVALID' });
    expect(o?.cached).toBeUndefined();

    // Negative verdicts expire after minutes, positive ones are kept.
    now += NEGATIVE_TTL_MS + 1;
    const later = await verifyStore({ services: services.slice(0, 10), ociLayoutDir: null }, { trustRoot, cache: reopened });
    expect(later[0]?.cached).toBe(true);
    expect(later[7]?.cached).toBeUndefined();
  });
});
