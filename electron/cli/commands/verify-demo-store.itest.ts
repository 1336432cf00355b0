// The BUILT CLI's verify on the real embedded demo store (config/demo-store, an OCI layout made
// by scripts/demo-store): each service gets the reason expected.json names, under the demo key.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT, runBuiltCli } from '../../../scripts/testbed/built-cli';

const ROOT = REPO_ROOT;
let tmp: string;

function run(args: string[], env: Record<string, string> = {}) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, DOCKER_CONFIG: join(tmp, 'docker'), ...env } });
}

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store verify on the real embedded demo store (built CLI)', () => {
  it('config/demo-store/index.json: each service gets the reason config/demo-store/expected.json names, under the demo key; exit 1', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pic-cli-demo-'));
    try {
      const index = join(ROOT, 'config', 'demo-store', 'index.json');
      const expected = JSON.parse(await readFile(join(ROOT, 'config', 'demo-store', 'expected.json'), 'utf8')) as Record<string, string>;
      const r = await run(['verify', index, '--json'], { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(ROOT, 'config') });
      expect(r.code, r.stderr).toBe(1);
      const results = (JSON.parse(r.stdout) as { results: { serviceId: string; reason: string; trustedKeys: { origin: string }[] }[] }).results;
      expect(Object.fromEntries(results.map((x) => [x.serviceId, x.reason]))).toEqual(expected);
      expect(results.map((x) => x.serviceId)).toEqual(Object.keys(expected));
      for (const x of results) expect(x.trustedKeys.map((k) => k.origin)).toEqual(['demo']);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
