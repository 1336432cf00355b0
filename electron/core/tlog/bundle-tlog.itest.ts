import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosignAttestBundle } from '../../../scripts/testbed/bundle-cosign';
import { rewriteBundles, type BundleJson } from '../../../scripts/testbed/bundle-rewrite';
import { cosignHome, cosignKeyPair, type CosignHome } from '../../../scripts/testbed/cosign';
import { pushImage } from '../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../scripts/testbed/registry';
import { dsseBody, makeTestLog, merkleTree, signedCheckpoint, signSet, writeTrustedRoot, type TestLog } from '../../../scripts/testbed/tlog';
import { RegistrySource } from '../registry/registry-source';
import { loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import type { TlogPolicy, VerificationReport } from '../verification/types';
import { verifyImage } from '../verification/verify-image';
import { loadTrustedLogsFile, parseTrustedRoot } from './trusted-logs';

// Issue 15, bundle signatures: cosign-made bundles (--new-bundle-format) on the real registry,
// given tlogEntries by the test — a multi-leaf RFC 6962 tree built here, our entry among random
// others, with inclusion proofs and checkpoints signed by a test log key in a private root.
let reg: TestRegistry;
let home: CosignHome;
let tmp: string;
let signer: { key: string; pub: string };
let otherSigner: { key: string; pub: string };
let signerPem: string;
let log: TestLog;
let impostor: TestLog;
let root: TrustRoot;
let source: RegistrySource;
const REPO = 'tlog/bundle';
const LEAVES = 7;
const AT = 4;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pic-tlogb-'));
  [reg, home] = await Promise.all([startRegistry(), cosignHome()]);
  [signer, otherSigner] = [await cosignKeyPair(home, 's'), await cosignKeyPair(home, 'o')];
  signerPem = await readFile(signer.pub, 'utf8');
  [log, impostor] = await Promise.all([makeTestLog(tmp), makeTestLog(tmp)]);
  const logs = await loadTrustedLogsFile(await writeTrustedRoot(join(tmp, 'root.json'), [{ log }]));
  root = { ...(await loadTrustRootFromFiles([signer.pub], 'command-line')), logs };
  source = new RegistrySource({ registry: reg.host });
}, 120_000);

afterAll(async () => {
  source?.close();
  await reg?.stop();
  await home?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface EntryOpts {
  /** Body's key (default: the signer's). */
  bodyPem?: string;
  promise?: boolean;
  proof?: boolean;
  mutateProof?: (p: Record<string, unknown>, tree: { hashes: Buffer[] }) => void;
  checkpoint?: Parameters<typeof signedCheckpoint>[3];
  entryIndexOffset?: number;
  copies?: number;
}

/** An entry for the bundle's envelope, at leaf AT of a LEAVES-leaf tree of otherwise random bodies. */
function entryFor(b: BundleJson, o: EntryOpts = {}): object[] {
  const env = b.dsseEnvelope;
  const payload = Buffer.from(env.payload, 'base64');
  const body = dsseBody(JSON.stringify(env), payload, Buffer.from(env.signatures[0]!.sig, 'base64'), o.bodyPem ?? signerPem);
  const leaves = Array.from({ length: LEAVES }, (_, i) => (i === AT ? body : randomBytes(64)));
  const tree = merkleTree(leaves);
  const integratedTime = Math.floor(Date.now() / 1000) - 60;
  const logID = log.logId.toString('hex');
  const index = AT + (o.entryIndexOffset ?? 0);
  const hashes = tree.proof(AT);
  const proofJson: Record<string, unknown> = {
    logIndex: String(AT),
    rootHash: tree.root.toString('base64'),
    treeSize: String(LEAVES),
    hashes: hashes.map((h) => h.toString('base64')),
    checkpoint: { envelope: signedCheckpoint(log, LEAVES, tree.root, o.checkpoint) },
  };
  o.mutateProof?.(proofJson, { hashes });
  const set = signSet(log, { body: body.toString('base64'), integratedTime, logIndex: index, logID });
  const entry = {
    logIndex: String(index),
    logId: { keyId: log.logId.toString('base64') },
    kindVersion: { kind: 'dsse', version: '0.0.1' },
    integratedTime: String(integratedTime),
    ...(o.promise ? { inclusionPromise: { signedEntryTimestamp: set.toString('base64') } } : {}),
    ...(o.proof === false ? {} : { inclusionProof: proofJson }),
    canonicalizedBody: body.toString('base64'),
  };
  return Array.from({ length: o.copies ?? 1 }, () => entry);
}

async function bundleImage(name: string, o: EntryOpts, key = signer.key) {
  const img = await pushImage(reg.host, `${REPO}-${name}`);
  await cosignAttestBundle(home, key, img.ref);
  const n = await rewriteBundles(reg.host, img.repo, img.digest, (b) => ({ ...b, verificationMaterial: { ...b.verificationMaterial, tlogEntries: entryFor(b, o) } }));
  expect(n).toBe(1);
  return img;
}

async function ours(ref: string, policy: TlogPolicy = 'if-present', trustRoot = root): Promise<VerificationReport> {
  return verifyImage({ image: ref, trustRoot, sources: () => source, transparencyLog: policy });
}

const tlogCheck = (r: VerificationReport) => r.checks.find((c) => c.id === 'transparency-log')!;

describe('bundle signatures: tlogEntries with a multi-leaf Merkle tree, verified offline', () => {
  // (A v0.3 bundle must carry an inclusion proof: @sigstore/bundle refuses a promise-only entry as malformed.)
  it('a valid inclusion proof with its signed checkpoint passes (with and without an inclusion promise)', async () => {
    for (const [name, promise] of [['proof', false], ['proof-promise', true]] as const) {
      const img = await bundleImage(name, { promise });
      const r = await ours(img.ref, 'required');
      expect(r.reason, name).toBe('VERIFIED');
      expect(tlogCheck(r).status).toBe('pass');
      expect(r.signatures[0]!.tlog).toMatchObject({ status: 'verified', log: log.baseUrl, index: AT });
      expect(tlogCheck(r).detail).toMatch(/signed no later than \d{4}-/);
    }
  });

  it.each([
    ['a wrong sibling hash', { mutateProof: (p: Record<string, unknown>) => { const h = p.hashes as string[]; h[1] = randomBytes(32).toString('base64'); } }, /root hash|inclusion/],
    ['a wrong tree size', { mutateProof: (p: Record<string, unknown>) => { p.treeSize = String(LEAVES + 1); } }, /tree size/],
    ['a checkpoint signed by another key', { checkpoint: { signer: undefined as never } }, /checkpoint carries no valid signature/],
    ['a checkpoint origin that is a pattern, not the name', { checkpoint: { name: 'tlog.tes.' } }, /compared literally/],
    ['a checkpoint whose note names another origin', { checkpoint: { origin: 'elsewhere.test - 1' } }, /origin/],
    ['two copies of one entry', { copies: 2 }, /one entry per \(log, index\)/],
    ["an entry index that is not its proof's", { entryIndexOffset: 1, promise: true }, /not its inclusion proof's/],
    ['a body naming another key', { bodyPem: 'OTHER' }, /another key/],
  ] as [string, EntryOpts, RegExp][])('%s → TLOG_ENTRY_INVALID', async (name, opts, why) => {
    const o: EntryOpts = { ...opts };
    if (o.checkpoint && 'signer' in o.checkpoint) o.checkpoint = { signer: impostor.privateKey };
    if (o.bodyPem === 'OTHER') o.bodyPem = await readFile(otherSigner.pub, 'utf8');
    const img = await bundleImage(name.replace(/[^a-z]+/g, '-').slice(0, 40), o);
    const r = await ours(img.ref);
    expect(r.reason, name).toBe('TLOG_ENTRY_INVALID');
    expect(r.verified).toBe(false);
    expect(tlogCheck(r).status).toBe('fail');
    expect(tlogCheck(r).detail).toMatch(why);
  });

  it('a root log without validFor.start is refused: left out and reported, so its entries are not trusted', async () => {
    const parsed = parseTrustedRoot(JSON.stringify((await import('../../../scripts/testbed/tlog')).trustedRootJson([{ log, start: null }])), 'command-line', 'test');
    expect(parsed.logs).toEqual([]);
    expect(parsed.problems[0]!.message).toMatch(/validFor\.start/);
    const img = await bundleImage('no-start', {});
    const noStart = { ...root, logs: parsed };
    const r = await ours(img.ref, 'if-present', noStart);
    expect(r.reason).toBe('VERIFIED');
    expect(tlogCheck(r).status).toBe('skip');
    expect((await ours(img.ref, 'required', noStart)).reason).toBe('TLOG_ENTRY_MISSING');
  });

  it('an entry integrated before the log key validity is refused on the proof path too', async () => {
    const late = await loadTrustedLogsFile(await writeTrustedRoot(join(tmp, 'late.json'), [{ log, start: new Date(Date.now() + 3600_000) }]));
    const img = await bundleImage('late', {});
    const r = await ours(img.ref, 'if-present', { ...root, logs: late });
    expect(r.reason).toBe('TLOG_ENTRY_INVALID');
    expect(tlogCheck(r).detail).toMatch(/outside the validity/);
  });
});
