import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageSource } from '../source/image-source';
import type { StoreService } from '../store/validate';
import { parsePublicKeyPem } from '../trust/public-key';
import type { TrustRoot } from '../trust/trust-root';
import { openFileCache, isCacheable } from './verification-cache';
import { verifyStore } from './verify-store';

// Time bounds of a store run over a source that never answers (pure logic; the real hostile
// server and the registry circuit breaker are covered by the CLI itest).
const pub = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const trustRoot: TrustRoot = { keys: [{ ...parsePublicKeyPem(pub), origin: 'command-line', source: 't.pub' }], problems: [] };

/** Every request waits until its signal aborts, like a server that accepts and never answers. */
const silent: ImageSource = {
  description: 'memory',
  getManifest: (_r, _ref, signal) => waitForAbort(signal),
  getBlob: (_r, _d, _m, signal) => waitForAbort(signal),
  getReferrers: (_r, _d, signal) => waitForAbort(signal),
};
function waitForAbort(signal?: AbortSignal): Promise<never> {
  return new Promise((_res, rej) => signal?.addEventListener('abort', () => rej(signal.reason as Error), { once: true }));
}

const services = (n: number): StoreService[] =>
  Array.from({ length: n }, (_, i) => {
    const image = `r.example/app/s${i}@sha256:${i.toString(16).padStart(64, '0')}`;
    return { index: i, id: `s${i}`, manifest: { id: `s${i}`, name: 'S', version: '1', image }, raw: { image }, errors: [] };
  });

describe('verifyStore time bounds', () => {
  it('the run deadline turns unfinished images into REGISTRY_UNREACHABLE verdicts; every result is returned', async () => {
    const t0 = Date.now();
    const results = await verifyStore({ services: services(40), ociLayoutDir: null }, { trustRoot, sources: () => silent, deadline: Date.now() + 300, imageTimeoutMs: 60_000, concurrency: 8 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(results).toHaveLength(40);
    expect(new Set(results.map((r) => r.reason))).toEqual(new Set(['REGISTRY_UNREACHABLE']));
    expect(results.map((r) => r.serviceId)).toEqual(services(40).map((s) => s.id));
    expect(results[0]!.checks.find((c) => c.id === 'registry')?.detail).toMatch(/did not finish within the run's time limit/);
    expect(results[39]!.checks.find((c) => c.id === 'registry')?.detail).toMatch(/time limit was reached before this image's turn/);
  });

  it('one image is bounded on its own', async () => {
    const [r] = await verifyStore({ services: services(1), ociLayoutDir: null }, { trustRoot, sources: () => silent, imageTimeoutMs: 100 });
    expect(r).toMatchObject({ reason: 'REGISTRY_UNREACHABLE', verified: false });
    expect(r!.checks.find((c) => c.id === 'registry')?.detail).toMatch(/0.1 s limit for one image/);
  });

  it('cancellation is still a cancellation, not a verdict', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(verifyStore({ services: services(3), ociLayoutDir: null }, { trustRoot, sources: () => silent, signal: ac.signal, imageTimeoutMs: 60_000 })).rejects.toThrow();
  });
});

/** A source where nothing exists: a content verdict (IMAGE_NOT_FOUND), fast. */
const empty: ImageSource = { description: 'memory', getManifest: async () => null, getBlob: async () => null, getReferrers: async () => null };

describe('verifyStore and the badge cache', () => {
  it('caches content verdicts only: not unreachable, auth or limit failures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pic-cache-'));
    try {
      const cache = await openFileCache(dir);
      const store = { services: services(1), ociLayoutDir: null };
      const dead = await verifyStore(store, { trustRoot, sources: () => silent, imageTimeoutMs: 50, cache });
      expect(dead[0]?.reason).toBe('REGISTRY_UNREACHABLE');
      expect(isCacheable(dead[0]!)).toBe(false);
      const next = await verifyStore(store, { trustRoot, sources: () => empty, cache });
      expect(next[0]).toMatchObject({ reason: 'IMAGE_NOT_FOUND' });
      expect(next[0]?.cached).toBeUndefined();
      const again = await verifyStore(store, { trustRoot, sources: () => silent, imageTimeoutMs: 50, cache });
      expect(again[0]).toMatchObject({ reason: 'IMAGE_NOT_FOUND', cached: true });
      for (const reason of ['REGISTRY_AUTH_FAILED', 'LIMIT_EXCEEDED', 'REGISTRY_UNREACHABLE'] as const) {
        expect(isCacheable({ ...next[0]!, reason })).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a cache hit shows the CURRENT trust root: origins and the trust-root check are rebuilt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pic-cache-'));
    try {
      const cache = await openFileCache(dir);
      const store = { services: services(1), ociLayoutDir: null };
      const local: TrustRoot = { keys: trustRoot.keys.map((k) => ({ ...k, origin: 'local' as const, source: 'trust/a.pub' })), problems: [] };
      const first = await verifyStore(store, { trustRoot: local, sources: () => empty, cache });
      expect(first[0]?.trustedKeys).toEqual([expect.objectContaining({ origin: 'local' })]);
      const hit = await verifyStore(store, { trustRoot, sources: () => empty, cache });
      expect(hit[0]).toMatchObject({ cached: true, trustedKeys: [expect.objectContaining({ origin: 'command-line', source: 't.pub' })] });
      expect(hit[0]!.checks.find((c) => c.id === 'trust-root')?.detail).toMatch(/command-line/);
      expect(hit[0]!.checks.find((c) => c.id === 'trust-root')?.detail).not.toMatch(/local/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
