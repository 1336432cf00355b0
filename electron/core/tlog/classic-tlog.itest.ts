import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosignHome, cosignPayload, cosignVerifiesOffline, makeTestKey, pushClassicSignatures, signPayload, type CosignHome, type TestKey } from '../../../scripts/testbed/cosign';
import { pushImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { hashedrekordEntry, makeTestLog, mockClassicEntry, signSet, writeTrustedRoot, type TestLog } from '../../../scripts/testbed/tlog';
import { RegistrySource } from '../registry/registry-source';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import type { TlogPolicy, VerificationReport } from '../verification/types';
import { verifyImage } from '../verification/verify-image';
import { TLOG_BUNDLE_ANNOTATION } from './classic-tlog';
import { loadTrustedLogsFile, type TrustedLogs } from './trusted-logs';

// Issue 15, classic signatures: entries made by the testbed's log (@sigstore/mock's SET) under a
// private trusted root, on the real registry, judged by us and by cosign 2.5 offline. cosign
// honours the test log's key for classic signatures only through SIGSTORE_REKOR_PUBLIC_KEY with
// `verify --key K --offline` (its --trusted-root needs --new-bundle-format); run that way it
// requires an entry, so its verdict is compared with ours under the "required" policy.
let reg: TestRegistry;
let home: CosignHome;
let tmp: string;
let key: TestKey;
let other: TestKey;
let log: TestLog;
let stranger: TestLog;
let logs: TrustedLogs;
let source: RegistrySource;
const REPO = 'tlog/classic';

type Entry = Awaited<ReturnType<typeof mockClassicEntry>>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-tlog-'));
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  [key, other] = await Promise.all([makeTestKey(tmp, 'p256'), makeTestKey(tmp, 'p256')]);
  [log, stranger] = await Promise.all([makeTestLog(tmp), makeTestLog(tmp, 'https://other-log.test')]);
  logs = await loadTrustedLogsFile(await writeTrustedRoot(join(tmp, 'root.json'), [{ log }]));
  source = new RegistrySource({ registry: reg.host });
});

afterAll(async () => {
  source?.close();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function root(): Promise<TrustRoot> {
  return { ...(await loadTrustRootFromFiles([key.pubPath], 'command-line')), logs };
}

/** A fresh image signed by `key`, its entry made by `entryFor` (null: no annotation). */
async function signedImage(name: string, entryFor: (sig: Buffer, payload: Buffer) => Promise<Entry | string | null>) {
  const img = await pushImage(reg.host, `${REPO}-${name}`);
  const payload = cosignPayload(`${reg.host}/${REPO}-${name}`, img.digest);
  const signature = signPayload(key, payload);
  const entry = await entryFor(signature, payload);
  const annotations: Record<string, string> = entry === null ? {} : { [TLOG_BUNDLE_ANNOTATION]: typeof entry === 'string' ? entry : JSON.stringify(entry) };
  await pushClassicSignatures(reg.host, img.repo, img.digest, [{ payload, signature, annotations }]);
  return img;
}

const logged = (sig: Buffer, payload: Buffer) => mockClassicEntry(log, hashedrekordEntry(sig, key.pem, payload));

async function ours(ref: string, policy: TlogPolicy = 'if-present'): Promise<VerificationReport> {
  return verifyImage({ image: ref, trustRoot: await root(), sources: () => source, transparencyLog: policy });
}

async function cosignAccepts(ref: string): Promise<boolean> {
  const r = await cosignVerifiesOffline(home, key.pubPath, log.pubPath, ref);
  return r.code === 0;
}

const tlogCheck = (r: VerificationReport) => r.checks.find((c) => c.id === 'transparency-log')!;

describe('classic signatures: the dev.sigstore.cosign/bundle entry, verified offline', () => {
  it('a valid SET → pass with log, index and time, as cosign 2.5 offline says', async () => {
    let entry: Entry | null = null;
    const img = await signedImage('valid', async (s, p) => (entry = await logged(s, p)));
    const r = await ours(img.ref, 'required');
    expect(r.reason).toBe('VERIFIED');
    expect(tlogCheck(r).status).toBe('pass');
    const time = new Date(entry!.Payload.integratedTime * 1000).toISOString();
    expect(tlogCheck(r).detail).toContain(`signed no later than ${time}`);
    expect(r.signatures[0]!.tlog).toEqual({ status: 'verified', log: log.baseUrl, logId: log.logId.toString('hex'), index: entry!.Payload.logIndex, integratedTime: time });
    expect(r.transparencyLogPolicy).toBe('required');
    expect(await cosignAccepts(img.ref)).toBe(true);
    // An independent check of the SET: openssl over the canonical JSON (keys in code-point order, no spaces).
    const p = entry!.Payload;
    const canonical = `{"body":"${p.body}","integratedTime":${p.integratedTime},"logID":"${p.logID}","logIndex":${p.logIndex}}`;
    await writeFile(join(tmp, 'set.data'), canonical);
    await writeFile(join(tmp, 'set.sig'), Buffer.from(entry!.SignedEntryTimestamp, 'base64'));
    const openssl = await new Promise<number>((res) => execFile('openssl', ['dgst', '-sha256', '-verify', log.pubPath, '-signature', join(tmp, 'set.sig'), join(tmp, 'set.data')], (e) => res(e ? 1 : 0)));
    expect(openssl).toBe(0);
  });

  it.each([
    ['set-bytes', (e: Entry) => ({ ...e, SignedEntryTimestamp: Buffer.from(Buffer.from(e.SignedEntryTimestamp, 'base64').map((b, i) => (i === 10 ? b ^ 1 : b))).toString('base64') })],
    ['integrated-time', (e: Entry) => ({ ...e, Payload: { ...e.Payload, integratedTime: e.Payload.integratedTime - 60 } })],
    ['log-index', (e: Entry) => ({ ...e, Payload: { ...e.Payload, logIndex: e.Payload.logIndex + 1 } })],
    ['body', (e: Entry) => ({ ...e, Payload: { ...e.Payload, body: Buffer.from(Buffer.from(e.Payload.body, 'base64').toString().replace('"0.0.1"', '"0.0.1" ')).toString('base64') } })],
  ] as const)('altered %s → fail, TLOG_ENTRY_INVALID, and cosign refuses too', async (name, alter) => {
    const img = await signedImage(`alt-${name}`, async (s, p) => alter(await logged(s, p)));
    const r = await ours(img.ref);
    expect(r.reason).toBe('TLOG_ENTRY_INVALID');
    expect(r.verified).toBe(false);
    expect(tlogCheck(r).status).toBe('fail');
    expect(r.signatures[0]).toMatchObject({ problem: 'tlog-invalid', tlog: { status: 'invalid', log: log.baseUrl } });
    expect(await cosignAccepts(img.ref)).toBe(false);
  });

  it('a body naming another key or another signature (validly logged) → TLOG_ENTRY_INVALID; cosign refuses both', async () => {
    // Internally consistent entries (the body's signature verifies under the body's key), so
    // cosign judges the binding itself and not the body's own consistency.
    const otherKey = await signedImage('body-other-key', async (_s, p) => mockClassicEntry(log, hashedrekordEntry(signPayload(other, p), other.pem, p)));
    const otherSig = await signedImage('body-other-sig', async () => {
      const p2 = cosignPayload('elsewhere/app', `sha256:${'1'.repeat(64)}`);
      return mockClassicEntry(log, hashedrekordEntry(signPayload(key, p2), key.pem, p2));
    });
    for (const [img, words] of [[otherKey, 'another key'], [otherSig, 'another signature']] as const) {
      const r = await ours(img.ref);
      expect(r.reason).toBe('TLOG_ENTRY_INVALID');
      expect(tlogCheck(r).detail).toContain(words);
      expect(await cosignAccepts(img.ref)).toBe(false);
    }
  });

  it('an entry integrated outside the log key validity → TLOG_ENTRY_INVALID', async () => {
    const img = await signedImage('validity', async (s, p) => {
      const e = await logged(s, p);
      const integratedTime = Math.floor(Date.now() / 1000) - 2 * 365 * 86_400; // before the root's validFor.start
      return { SignedEntryTimestamp: signSet(log, { ...e.Payload, integratedTime }).toString('base64'), Payload: { ...e.Payload, integratedTime } };
    });
    const r = await ours(img.ref);
    expect(r.reason).toBe('TLOG_ENTRY_INVALID');
    expect(tlogCheck(r).detail).toMatch(/outside the validity/);
  });

  it('an entry from a log the trusted root does not know → skip, still VERIFIED; required → TLOG_ENTRY_MISSING', async () => {
    const img = await signedImage('unknown-log', async (s, p) => mockClassicEntry(stranger, hashedrekordEntry(s, key.pem, p)));
    const r = await ours(img.ref);
    expect(r.reason).toBe('VERIFIED');
    expect(tlogCheck(r).status).toBe('skip');
    expect(tlogCheck(r).detail).toMatch(/does not list/);
    expect(r.signatures[0]!.tlog?.status).toBe('unknown-log');
    expect((await ours(img.ref, 'required')).reason).toBe('TLOG_ENTRY_MISSING');
    expect(await cosignAccepts(img.ref)).toBe(false);
  });

  it('no entry: skip under "if-present" (said so), TLOG_ENTRY_MISSING under "required", as cosign offline refuses', async () => {
    const img = await signedImage('none', async () => null);
    const r = await ours(img.ref);
    expect(r.reason).toBe('VERIFIED');
    expect(tlogCheck(r)).toMatchObject({ status: 'skip' });
    expect(tlogCheck(r).detail).toMatch(/no transparency-log entry.*if-present/);
    const req = await ours(img.ref, 'required');
    expect(req.reason).toBe('TLOG_ENTRY_MISSING');
    expect(tlogCheck(req).status).toBe('fail');
    expect(req.signatures[0]!.problem).toBe('tlog-missing');
    expect(await cosignAccepts(img.ref)).toBe(false);
  });

  it('precedence: a transplanted signature beats a bad entry; a bad entry beats a missing one', async () => {
    const img = await pushImage(reg.host, `${REPO}-prec`);
    const good = cosignPayload(`${reg.host}/${REPO}-prec`, img.digest);
    const moved = cosignPayload(`${reg.host}/${REPO}-prec`, `sha256:${'2'.repeat(64)}`);
    const sGood = signPayload(key, good);
    const bad = await mockClassicEntry(log, hashedrekordEntry(sGood, key.pem, good));
    const badEntry = JSON.stringify({ ...bad, Payload: { ...bad.Payload, logIndex: bad.Payload.logIndex + 1 } });
    await pushClassicSignatures(reg.host, img.repo, img.digest, [
      { payload: good, signature: sGood, annotations: { [TLOG_BUNDLE_ANNOTATION]: badEntry } },
      { payload: good, signature: signPayload(key, good) },
    ]);
    expect((await ours(img.ref, 'required')).reason).toBe('TLOG_ENTRY_INVALID');
    expect((await ours(img.ref, 'if-present')).reason).toBe('VERIFIED');
    const img2 = await pushImage(reg.host, `${REPO}-prec`);
    await pushClassicSignatures(reg.host, img2.repo, img2.digest, [
      { payload: good, signature: sGood, annotations: { [TLOG_BUNDLE_ANNOTATION]: badEntry } },
      { payload: moved, signature: signPayload(key, moved) },
    ]);
    expect((await ours(img2.ref)).reason).toBe('SIGNATURE_DIGEST_MISMATCH');
  });
});
