import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT, runBuiltCli } from '../../../scripts/testbed/built-cli';

/**
 * Issue 12.11 with the built CLI: unreadable inputs get the right words. A TARGET that exists but
 * is not a regular file is a usage error (exit 2) naming what it is (DESIGN 2.4); a store whose
 * OCI layout index is a FIFO says the layout cannot be read — not SIGNATURE_INVALID — and that
 * verdict is not cached.
 */
let home: string;
const picStore = (args: string[]) => runBuiltCli(args, { env: { ...process.env, PIC_STORE_HOME: join(home, 'data') }, cwd: home, timeoutMs: 30_000 });

beforeAll(async () => {
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pic-cli-inputs-'));
  await cp(join(REPO_ROOT, 'config', 'demo-store'), join(home, 'store'), { recursive: true });
  execFileSync('mkfifo', [join(home, 'pipe.json')]);
  await mkdir(join(home, 'folder.json'));
}, 120_000);
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('pic-store verify on what is not a regular file', () => {
  it.each([
    ['pipe.json', 'a named pipe'],
    ['./pipe.json', 'a named pipe'],
    ['/dev/null', 'a device'],
    ['folder.json', 'a directory'],
    ['store', 'a directory'],
  ])('%s is a usage error naming %s', async (target, kind) => {
    const r = await picStore(['verify', target]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(`${target} is ${kind}, not a file`);
    expect(r.stderr).not.toMatch(/does not exist/);
    expect(r.stdout).toBe('');
  });
});

describe('a store whose OCI layout index.json is a FIFO', () => {
  it('is an unreadable layout, never a signature verdict, and is not cached', async () => {
    const layoutIndex = join(home, 'store', 'oci', 'index.json');
    const good = await readFile(layoutIndex);
    await rm(layoutIndex);
    execFileSync('mkfifo', [layoutIndex]);
    const args = ['verify', '-v', 'store/index.json', '--trust-key', 'store/cosign.pub'];
    const broken = await picStore(args);
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stdout).not.toMatch(/SIGNATURE_INVALID|signature\(s\) found/);
    expect(broken.stdout).toMatch(/^FAIL Registry unreachable \(REGISTRY_UNREACHABLE\) {2}pinboard: /m);
    expect(broken.stdout).toContain('the layout cannot be read (index.json is a named pipe, not a regular file)');

    await rm(layoutIndex);
    await writeFile(layoutIndex, good);
    const repaired = await picStore([...args, '--json']);
    const expected = JSON.parse(await readFile(join(home, 'store', 'expected.json'), 'utf8')) as Record<string, string>;
    const results = (JSON.parse(repaired.stdout) as { results: { serviceId: string; reason: string; cached?: boolean }[] }).results;
    expect(Object.fromEntries(results.map((r) => [r.serviceId, r.reason]))).toEqual(expected);
    expect(results.filter((r) => r.cached)).toEqual([]);
  });
});

describe('an index repeating a service id (issue 12.4): every entry is its own', () => {
  it('verify and lint count every entry; the later duplicate is MANIFEST_INVALID at /services/N/id, the first keeps its verdict', async () => {
    const index = JSON.parse(await readFile(join(REPO_ROOT, 'config', 'demo-store', 'index.json'), 'utf8')) as { services: { id: string }[] };
    const byId = (id: string) => index.services.find((s) => s.id === id)!;
    await writeFile(join(home, 'store', 'dup.json'), JSON.stringify({ ...index, services: [byId('pinboard'), { ...byId('open-wiki'), id: 'pinboard' }, byId('meter')] }));

    const v = await picStore(['verify', '--no-cache', 'store/dup.json', '--trust-key', 'store/cosign.pub']);
    expect(v.code, v.stderr).toBe(1);
    const lines = v.stdout.trimEnd().split('\n');
    // Each result line: mark, the badge's words, the code in brackets, then the service id.
    expect(lines.map((l) => /^(OK|FAIL) +(.+?) {2}(\S+:)/.exec(l)?.slice(1).join(' ') ?? l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'OK Verified (VERIFIED) pinboard:',
      'FAIL Invalid listing (MANIFEST_INVALID) pinboard:',
      'FAIL Bound to another image (SIGNATURE_DIGEST_MISMATCH) meter:',
      '1 of 3',
    ]);
    const json = await picStore(['verify', '--no-cache', '--json', 'store/dup.json', '--trust-key', 'store/cosign.pub']);
    const results = (JSON.parse(json.stdout) as { results: { serviceId: string; reason: string; errors?: unknown[] }[] }).results;
    expect(results.map((r) => [r.serviceId, r.reason])).toEqual([['pinboard', 'VERIFIED'], ['pinboard', 'MANIFEST_INVALID'], ['meter', 'SIGNATURE_DIGEST_MISMATCH']]);
    expect(results[1]!.errors).toEqual([{ path: '/services/1/id', message: 'duplicate id "pinboard" (already used by /services/0)' }]);

    const l = await picStore(['lint', '--json', 'store/dup.json']);
    expect(l.code).toBe(1);
    expect(JSON.parse(l.stdout)).toMatchObject({ valid: false, kind: 'index', errors: [{ path: '/services/1/id', message: 'duplicate id "pinboard" (already used by /services/0)' }] });
  });
});
