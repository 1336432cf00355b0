import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The packaged file layout, checked the only way possible here (TESTBED "Electron here"):
 * electron-builder `--linux dir` with a stub Electron dist, offline, from a staged copy of the
 * project (the repo's config/cosign is never written). Inspected independently of the script.
 */
const run = promisify(execFile);
const repo = resolve(__dirname, '../..');
const req = createRequire(__filename);
const asar = req('@electron/asar') as { listPackage(p: string, o: { isPack: boolean }): string[]; extractFile(a: string, f: string): Buffer };
const fuses = req('@electron/fuses') as { getCurrentFuseWire(p: string): Promise<Record<string, number>> };
const { checkStoreKey } = req('./require-store-key.cjs') as { checkStoreKey(projectDir: string): string[] };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pic-package-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function packageCheck(args: string[]) {
  try {
    const r = await run(process.execPath, [join(repo, 'scripts/package-check.mjs'), '--json', ...args], { cwd: repo, timeout: 150_000, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, report: JSON.parse(r.stdout) as Record<string, unknown> };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (!err.stdout) throw new Error(`package-check crashed: ${err.stderr ?? String(e)}`);
    return { code: err.code ?? -1, report: JSON.parse(err.stdout) as Record<string, unknown> };
  }
}

describe('packaged layout (electron-builder --linux dir, stub Electron)', () => {
  it('ships app.asar with the bundles and package.json, config/ as resources, and the DESIGN 3.1 fuses', async () => {
    const out = join(work, 'out');
    const cosignBefore = existsSync(join(repo, 'config/cosign')) ? await readdirSafe(join(repo, 'config/cosign')) : [];
    const { code, report } = await packageCheck(['--key', 'generated', '--out', out]);
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);

    const app = join(out, 'linux-unpacked');
    const entries = asar.listPackage(join(app, 'resources/app.asar'), { isPack: false });
    expect(entries).toEqual(expect.arrayContaining(['/package.json', '/dist/main/main.cjs']));
    expect(entries.filter((e) => e.endsWith('.map') || e.endsWith('.ts') || e.startsWith('/node_modules') || e.startsWith('/electron'))).toEqual([]);
    const pkg = JSON.parse(asar.extractFile(join(app, 'resources/app.asar'), 'package.json').toString('utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/main.cjs');

    const key = await readFile(join(app, 'resources/config/cosign/cosign.pub'), 'utf8');
    expect(createPublicKey(key).asymmetricKeyType).toBe('ec');
    expect(existsSync(join(app, 'resources/config/demo-store/index.json'))).toBe(existsSync(join(repo, 'config/demo-store/index.json')));

    const wire = await fuses.getCurrentFuseWire(join(app, 'pic-store-manager'));
    const on = 49;
    const off = 48;
    expect([wire[0], wire[2], wire[3]]).toEqual([off, off, off]); // RunAsNode, NODE_OPTIONS, --inspect
    expect([wire[4], wire[5]]).toEqual([on, on]); // asar integrity, only load app from asar
    expect(wire[7]).toBe(off); // GrantFileProtocolExtraPrivileges: the page comes from app://, not file:
    // The repo's own key directory was not touched by the staged build.
    expect(existsSync(join(repo, 'config/cosign')) ? await readdirSafe(join(repo, 'config/cosign')) : []).toEqual(cosignBefore);
  });

  it('refuses to package without a store key in config/cosign, with a clear message', async () => {
    const { code, report } = await packageCheck(['--key', 'none']);
    expect(code).toBe(1);
    expect(report.refused).toMatch(/^Refusing to package: config\/cosign\/ holds no store publish key \(\*\.pub\)\. Place the PIC store's cosign public key there/);
  });
});

describe('the beforePack store-key hook', () => {
  async function project(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(work, 'proj-'));
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(join(dir, rel, '..'), { recursive: true });
      await writeFile(join(dir, rel), text);
    }
    return dir;
  }
  const pair = () => generateKeyPairSync('ed25519');

  it('accepts a usable public key', async () => {
    const pub = pair().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const dir = await project({ 'config/cosign/cosign.pub': pub, 'config/cosign/README.md': 'x' });
    expect(checkStoreKey(dir)).toEqual([join(dir, 'config/cosign/cosign.pub')]);
  });

  it('refuses no directory, only unusable keys, and any private key under config/', async () => {
    const empty = await project({ 'config/README.md': 'x' });
    expect(() => checkStoreKey(empty)).toThrow(/holds no store publish key/);
    const unusable = await project({ 'config/cosign/cosign.pub': 'not a key' });
    expect(() => checkStoreKey(unusable)).toThrow(/Unusable key files: cosign\.pub/);
    const { publicKey, privateKey } = pair();
    const dir = await project({
      'config/cosign/cosign.pub': publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'config/demo-store/cosign.key': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(() => checkStoreKey(dir)).toThrow(/config\/demo-store\/cosign\.key looks like a private key/);
  });
});

async function readdirSafe(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
