import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { startTokenProxy, type TokenProxy } from '../../../scripts/testbed/token-proxy';
import { pushImage } from '../../../scripts/testbed/images';
import { cosignHome, cosignKeyPair, cosignSign, cosignVerifies, type CosignHome } from '../../../scripts/testbed/cosign';
import { loadTrustRootFromFiles } from '../trust/trust-root';
import { verifyImage } from '../verification/verify-image';
import { dockerConfigCredentials } from './docker-credentials';
import { RegistrySourcePool } from './registry-pool';
import { RegistrySource } from './registry-source';

// Token-auth registries: anonymous bearer challenges, and a private one whose token service
// wants the user's Docker config.json credentials (inline `auths` and a credential helper).
let reg: TestRegistry;
let anon: TokenProxy;
let priv: TokenProxy;
let home: CosignHome;
let keys: { key: string; pub: string };
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-token-'));
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  keys = await cosignKeyPair(home, 'k');
  anon = await startTokenProxy(reg.host);
  priv = await startTokenProxy(reg.host, { user: { name: 'alice', password: 'pw-123' }, refreshToken: 'refresh-abc' });
});

afterAll(async () => {
  await anon?.stop();
  await priv?.stop();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function ours(ref: string, configPath?: string) {
  const credentials = configPath ? dockerConfigCredentials({ path: configPath }) : undefined;
  const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000, credentials }));
  try {
    return await verifyImage({ image: ref, trustRoot: await loadTrustRootFromFiles([keys.pub], 'command-line'), sources: pool.provider });
  } finally {
    pool.close();
  }
}

describe('registry token auth', () => {
  it('anonymous bearer challenge → VERIFIED, as cosign says', async () => {
    const img = await pushImage(reg.host, 'tok/app');
    await cosignSign(home, keys.key, img.ref);
    const ref = `${anon.host}/tok/app@${img.digest}`;
    const r = await ours(ref);
    expect(r.reason).toBe('VERIFIED');
    expect(anon.issued()).toBeGreaterThanOrEqual(1);
    expect(await cosignVerifies(home, keys.pub, ref)).toBe(true);
  });

  it('private token service: no credentials → REGISTRY_AUTH_FAILED, as cosign (refused) says', async () => {
    const img = await pushImage(reg.host, 'tok/private');
    await cosignSign(home, keys.key, img.ref);
    const ref = `${priv.host}/tok/private@${img.digest}`;
    const r = await ours(ref, join(tmp, 'none.json'));
    expect(r.reason).toBe('REGISTRY_AUTH_FAILED');
    expect(r.checks.find((c) => c.id === 'registry')?.detail).toMatch(/refused our credentials/);
    expect(await cosignVerifies(home, keys.pub, ref)).toBe(false);
  });

  it('private token service with config.json auths → VERIFIED, as cosign with the same config says', async () => {
    const img = await pushImage(reg.host, 'tok/private2');
    await cosignSign(home, keys.key, img.ref);
    const ref = `${priv.host}/tok/private2@${img.digest}`;
    const config = { auths: { [priv.host]: { auth: Buffer.from('alice:pw-123').toString('base64') } } };
    await mkdir(join(home.dir, '.docker'), { recursive: true });
    await writeFile(join(home.dir, '.docker', 'config.json'), JSON.stringify(config));
    await writeFile(join(tmp, 'config.json'), JSON.stringify(config));
    try {
      expect((await ours(ref, join(tmp, 'config.json'))).reason).toBe('VERIFIED');
      expect(await cosignVerifies(home, keys.pub, ref)).toBe(true);
      // Wrong password: refused.
      await writeFile(join(tmp, 'bad.json'), JSON.stringify({ auths: { [priv.host]: { auth: Buffer.from('alice:nope').toString('base64') } } }));
      expect((await ours(ref, join(tmp, 'bad.json'))).reason).toBe('REGISTRY_AUTH_FAILED');
    } finally {
      await rm(join(home.dir, '.docker', 'config.json'), { force: true });
    }
  });

  it('an identity token (docker login OAuth) is exchanged for an access token', async () => {
    const img = await pushImage(reg.host, 'tok/oauth');
    await cosignSign(home, keys.key, img.ref);
    const ref = `${priv.host}/tok/oauth@${img.digest}`;
    await writeFile(join(tmp, 'oauth.json'), JSON.stringify({ auths: { [priv.host]: { identitytoken: 'refresh-abc' } } }));
    expect((await ours(ref, join(tmp, 'oauth.json'))).reason).toBe('VERIFIED');
    await writeFile(join(tmp, 'oauth-bad.json'), JSON.stringify({ auths: { [priv.host]: { identitytoken: 'stale' } } }));
    expect((await ours(ref, join(tmp, 'oauth-bad.json'))).reason).toBe('REGISTRY_AUTH_FAILED');
  });

  it('credHelpers: the helper program is asked with the server on stdin', async () => {
    const img = await pushImage(reg.host, 'tok/helper');
    await cosignSign(home, keys.key, img.ref);
    const bin = join(tmp, 'bin');
    await mkdir(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-pictest');
    await writeFile(helper, `#!/bin/sh\nread server\n[ "$1" = get ] && [ "$server" = "${priv.host}" ] && printf '{"ServerURL":"%s","Username":"alice","Secret":"pw-123"}' "$server"\n`);
    await chmod(helper, 0o755);
    await writeFile(join(tmp, 'helper.json'), JSON.stringify({ credHelpers: { [priv.host]: 'pictest' } }));
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath ?? ''}`;
    try {
      expect((await ours(`${priv.host}/tok/helper@${img.digest}`, join(tmp, 'helper.json'))).reason).toBe('VERIFIED');
    } finally {
      process.env.PATH = oldPath;
    }
  });
});
