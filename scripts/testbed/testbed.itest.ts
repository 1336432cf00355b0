import { existsSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from './registry';
import { pushImage, pushIndex, sha256 } from './images';
import { cosignHome, cosignKeyPair, cosignSign, cosignVerifies, type CosignHome } from './cosign';
import { startTokenProxy } from './token-proxy';

// The testbed helpers themselves: a real registry that starts and stops cleanly, images pushed
// without a daemon, real cosign signing and verifying, and the bearer-token front.
let reg: TestRegistry;
let home: CosignHome;

beforeAll(async () => {
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
});
afterAll(async () => {
  await reg?.stop();
  await home?.cleanup();
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const c: Buffer[] = [];
      res.on('data', (b: Buffer) => c.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(c) }));
    }).on('error', reject);
  });
}

describe('testbed', () => {
  it('pushes distinct images and indexes the registry serves by digest', async () => {
    const a = await pushImage(reg.host, 'tb/a');
    const b = await pushImage(reg.host, 'tb/a');
    expect(a.digest).not.toBe(b.digest);
    const got = await get(`${reg.url}/v2/tb/a/manifests/${a.digest}`, { Accept: 'application/vnd.oci.image.manifest.v1+json' });
    expect(got.status).toBe(200);
    expect(sha256(got.body)).toBe(a.digest);
    const idx = await pushIndex(reg.host, 'tb/multi', 'v1');
    expect(idx.children).toHaveLength(2);
    const tag = await get(`${reg.url}/v2/tb/multi/manifests/v1`, { Accept: 'application/vnd.oci.image.index.v1+json' });
    expect(sha256(tag.body)).toBe(idx.digest);
  });

  it('signs with real cosign and cosign verifies it offline', async () => {
    const k = await cosignKeyPair(home, 'k');
    const img = await pushImage(reg.host, 'tb/signed');
    await cosignSign(home, k.key, img.ref);
    expect(await cosignVerifies(home, k.pub, img.ref)).toBe(true);
    const other = await pushImage(reg.host, 'tb/signed');
    expect(await cosignVerifies(home, k.pub, other.ref)).toBe(false);
  });

  it('the token proxy challenges, issues tokens and forwards', async () => {
    const proxy = await startTokenProxy(reg.host);
    try {
      const img = await pushImage(reg.host, 'tb/tok');
      const url = `http://${proxy.host}/v2/tb/tok/manifests/${img.digest}`;
      expect((await get(url)).status).toBe(401);
      const tok = JSON.parse((await get(`http://${proxy.host}/token?service=pic-test&scope=repository:tb/tok:pull`)).body.toString()) as { token: string };
      const ok = await get(url, { Authorization: `Bearer ${tok.token}`, Accept: 'application/vnd.oci.image.manifest.v1+json' });
      expect(ok.status).toBe(200);
      expect(sha256(ok.body)).toBe(img.digest);
    } finally {
      await proxy.stop();
    }
  });

  it('stop ends the registry and removes its directory', async () => {
    const r = await startRegistry();
    await r.stop();
    expect(existsSync(r.dir)).toBe(false);
    await expect(get(`${r.url}/v2/`)).rejects.toThrow();
  });
});
