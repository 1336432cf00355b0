import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runBuiltCli } from '../../../scripts/testbed/built-cli';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../../../scripts/testbed/cosign';
import { pushImage, type PushedImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { hashedrekordEntry, makeTestLog, mockClassicEntry, writeTrustedRoot, type TestLog } from '../../../scripts/testbed/tlog';

// The BUILT CLI with transparency-log data (DESIGN 2.8): --trusted-root for one command, the
// data dir's trust/trusted_root.json replacing the public-good root, an index's
// policy.transparencyLog, and the log/index/time in JSON and human output.
let reg: TestRegistry;
let tmp: string;
let dataDir: string;
let appConfig: string;
let key: TestKey;
let log: TestLog;
let rootFile: string;
let logged: PushedImage;
let bare: PushedImage;
let integratedTime: string;

function run(args: string[]) {
  return runBuiltCli(args, { cwd: tmp, env: { PATH: process.env.PATH ?? '', HOME: tmp, PIC_STORE_HOME: dataDir, PIC_STORE_APP_CONFIG: appConfig } });
}

type Result = { verified: boolean; reason: string; checks: { id: string; status: string; detail: string }[]; signatures: { tlog?: Record<string, unknown> }[]; transparencyLogPolicy?: string };

async function runJson(args: string[]) {
  const r = await run([...args, '--json', '--no-cache']);
  return { ...r, doc: JSON.parse(r.stdout) as { results: Result[]; error?: { code: string; message: string } } };
}

const tlogCheck = (r: Result) => r.checks.find((c) => c.id === 'transparency-log')!;

beforeAll(async () => {
  await buildCli();
  tmp = await mkdtemp(join(tmpdir(), 'pic-cli-tlog-'));
  dataDir = join(tmp, 'data');
  appConfig = join(tmp, 'appconfig');
  await mkdir(join(appConfig, 'cosign'), { recursive: true });
  reg = await startRegistry();
  key = await makeTestKey(tmp, 'p256');
  log = await makeTestLog(tmp);
  rootFile = await writeTrustedRoot(join(tmp, 'trusted_root.json'), [{ log }]);
  logged = await pushImage(reg.host, 'cli/logged');
  bare = await pushImage(reg.host, 'cli/bare');
  for (const img of [logged, bare]) {
    const payload = cosignPayload(`${reg.host}/${img.repo}`, img.digest);
    const signature = signPayload(key, payload);
    const annotations: Record<string, string> = {};
    if (img === logged) {
      const entry = await mockClassicEntry(log, hashedrekordEntry(signature, key.pem, payload));
      integratedTime = new Date(entry.Payload.integratedTime * 1000).toISOString();
      annotations['dev.sigstore.cosign/bundle'] = JSON.stringify(entry);
    }
    await pushClassicSignatures(reg.host, img.repo, img.digest, [{ payload, signature, annotations }]);
  }
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('pic-store verify with transparency-log data (built CLI)', () => {
  it('--trusted-root: the entry passes; JSON carries log, index and time; human text says "signed no later than"', async () => {
    const { code, doc } = await runJson(['verify', logged.ref, '--trust-key', key.pubPath, '--trusted-root', rootFile]);
    expect(code).toBe(0);
    const r = doc.results[0]!;
    expect(tlogCheck(r).status).toBe('pass');
    expect(r.signatures[0]!.tlog).toMatchObject({ status: 'verified', log: log.baseUrl, integratedTime });
    expect(r.transparencyLogPolicy).toBe('if-present');
    const human = await run(['verify', logged.ref, '--trust-key', key.pubPath, '--trusted-root', rootFile, '--no-cache']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`signed no later than ${integratedTime}`);
  });

  it('without a root naming the test log (the public-good root from @sigstore/tuf), the entry is not judged: skip, VERIFIED', async () => {
    const { code, doc } = await runJson(['verify', logged.ref, '--trust-key', key.pubPath]);
    expect(code).toBe(0);
    expect(tlogCheck(doc.results[0]!)).toMatchObject({ status: 'skip' });
    expect(tlogCheck(doc.results[0]!).detail).toMatch(/does not list/);
  });

  it("the data dir's trust/trusted_root.json replaces the public-good root; an index requiring entries refuses the unlogged image", async () => {
    await mkdir(join(dataDir, 'trust'), { recursive: true });
    await writeTrustedRoot(join(dataDir, 'trust', 'trusted_root.json'), [{ log }]);
    try {
      const index = join(tmp, 'index.json');
      await writeFile(index, JSON.stringify({
        schemaVersion: 1, name: 'Logged store', policy: { transparencyLog: 'required' },
        services: [{ id: 'logged', name: 'L', version: '1', image: logged.ref }, { id: 'bare', name: 'B', version: '1', image: bare.ref }],
      }));
      const { code, doc } = await runJson(['verify', index, '--trust-key', key.pubPath]);
      expect(code).toBe(1);
      expect(doc.results.map((r) => r.reason)).toEqual(['VERIFIED', 'TLOG_ENTRY_MISSING']);
      expect(doc.results.map((r) => r.transparencyLogPolicy)).toEqual(['required', 'required']);
      expect(tlogCheck(doc.results[1]!).status).toBe('fail');
      const human = await run(['verify', index, '--trust-key', key.pubPath, '--no-cache']);
      expect(human.stdout).toMatch(/FAIL Not logged \(TLOG_ENTRY_MISSING\) {2}bare:/);
    } finally {
      await rm(join(dataDir, 'trust', 'trusted_root.json'), { force: true });
    }
  });

  it('an index with an unknown policy value is refused by the schema', async () => {
    const index = join(tmp, 'bad-policy.json');
    await writeFile(index, JSON.stringify({ schemaVersion: 1, name: 'S', policy: { transparencyLog: 'sometimes' }, services: [] }));
    const { code, doc } = await runJson(['verify', index]);
    expect(code).toBe(3);
    expect(doc.error?.code).toBe('INDEX_INVALID');
    expect(doc.error?.message).toContain('/policy/transparencyLog');
  });

  it('--trusted-root naming a missing file or one without a usable log → exit 3, TRUSTED_ROOT_INVALID, before any check', async () => {
    const missing = await runJson(['verify', logged.ref, '--trust-key', key.pubPath, '--trusted-root', join(tmp, 'absent.json')]);
    expect(missing.code).toBe(3);
    expect(missing.doc.error?.code).toBe('TRUSTED_ROOT_INVALID');
    const noStart = await writeTrustedRoot(join(tmp, 'no-start.json'), [{ log, start: null }]);
    const r = await runJson(['verify', logged.ref, '--trust-key', key.pubPath, '--trusted-root', noStart]);
    expect(r.code).toBe(3);
    expect(r.doc.error?.message).toMatch(/validFor\.start/);
  });
});
