import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessRunner } from '../process-runner';
import { dockerConfigCredentials } from './docker-credentials';

// Which config.json entry wins, with a fake helper runner (the real helper path is covered by
// token-auth.itest.ts).
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-dcfg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runner(answers: Record<string, { Username: string; Secret: string } | null>): { run: ProcessRunner; calls: string[] } {
  const calls: string[] = [];
  const run: ProcessRunner = async (file, args, opts) => {
    calls.push(`${file} ${args.join(' ')} <${String(opts?.input)}`);
    const a = answers[file];
    return a ? { exitCode: 0, stdout: JSON.stringify(a), stderr: '' } : { exitCode: 1, stdout: '', stderr: 'credentials not found' };
  };
  return { run, calls };
}

async function provider(config: unknown, answers: Parameters<typeof runner>[0] = {}) {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(config));
  const r = runner(answers);
  return { get: dockerConfigCredentials({ path, run: r.run }), calls: r.calls };
}

describe('dockerConfigCredentials', () => {
  it('reads inline auths, including Docker Hub spellings', async () => {
    const { get } = await provider({ auths: { 'reg.example:5000': { auth: Buffer.from('u:p:w').toString('base64') }, 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') } } });
    expect(await get('reg.example:5000')).toEqual({ username: 'u', password: 'p:w' });
    expect(await get('docker.io')).toEqual({ username: 'hub', password: 'pw' });
    expect(await get('other.example')).toBeNull();
  });
  it('credHelpers win over credsStore and auths; helper gets the server on stdin', async () => {
    const { get, calls } = await provider(
      { credsStore: 'store', credHelpers: { 'a.example': 'special' }, auths: { 'a.example': { auth: Buffer.from('x:y').toString('base64') } } },
      { 'docker-credential-special': { Username: 'sp', Secret: 's1' }, 'docker-credential-store': { Username: 'st', Secret: 's2' } },
    );
    expect(await get('a.example')).toEqual({ username: 'sp', password: 's1' });
    expect(await get('b.example')).toEqual({ username: 'st', password: 's2' });
    expect(calls).toEqual(['docker-credential-special get <a.example', 'docker-credential-store get <b.example']);
  });
  it('a helper that fails means no credentials; identity tokens are recognised; odd helper names refused', async () => {
    const { get } = await provider({ credHelpers: { 'a.example': 'missing', 'b.example': '../evil' }, auths: { 'c.example': { identitytoken: 'tok' } } });
    expect(await get('a.example')).toBeNull();
    expect(await get('b.example')).toBeNull();
    expect(await get('c.example')).toEqual({ identityToken: 'tok' });
  });
  it('a missing or corrupt config.json gives no credentials', async () => {
    expect(await dockerConfigCredentials({ path: join(dir, 'absent.json') })('x')).toBeNull();
    await writeFile(join(dir, 'bad.json'), '{');
    expect(await dockerConfigCredentials({ path: join(dir, 'bad.json') })('x')).toBeNull();
  });
});
