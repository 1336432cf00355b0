import { createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initializeTLog } from '@sigstore/mock';

/**
 * A test transparency log (DESIGN 2.8, TESTBED "Facts for the next wave"): an ECDSA P-256 log
 * key made at run time, a private trusted root naming it, Rekor entry bodies, SETs made by
 * @sigstore/mock's log (classic signatures) or by this file, and a multi-leaf RFC 6962 Merkle
 * tree with inclusion proofs and signed checkpoints (the mock's tree has one leaf). Nothing here
 * is copied from another project; every vector is made when the test runs.
 */
export interface TestLog {
  baseUrl: string;
  /** The name checkpoints carry: the base URL's host. */
  origin: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  der: Buffer;
  logId: Buffer;
  /** The log key as PEM, written to `pubPath` (for SIGSTORE_REKOR_PUBLIC_KEY and openssl). */
  pem: string;
  pubPath: string;
}

export async function makeTestLog(dir: string, baseUrl = 'https://tlog.test'): Promise<TestLog> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pubPath = join(dir, `tlog-${Math.random().toString(36).slice(2, 8)}.pub`);
  await writeFile(pubPath, pem);
  return { baseUrl, origin: new URL(baseUrl).host, privateKey, publicKey, der, logId: createHash('sha256').update(der).digest(), pem, pubPath };
}

/** A sigstore trusted root listing `logs` (validFor start defaults to a year ago; `start: null` leaves it out). */
export function trustedRootJson(logs: { log: TestLog; start?: Date | null; end?: Date }[]): object {
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: logs.map(({ log, start, end }) => ({
      baseUrl: log.baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: log.der.toString('base64'),
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor: { ...(start === null ? {} : { start: (start ?? new Date(Date.now() - 365 * 86_400_000)).toISOString() }), ...(end ? { end: end.toISOString() } : {}) },
      },
      logId: { keyId: log.logId.toString('base64') },
    })),
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
}

export async function writeTrustedRoot(path: string, logs: Parameters<typeof trustedRootJson>[0]): Promise<string> {
  await writeFile(path, JSON.stringify(trustedRootJson(logs)));
  return path;
}

const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Rekor's hashedrekord 0.0.1 entry for a classic signature. */
export function hashedrekordEntry(signature: Buffer, publicKeyPem: string, payload: Buffer): object {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256hex(payload) } },
      signature: { content: signature.toString('base64'), publicKey: { content: Buffer.from(publicKeyPem).toString('base64') } },
    },
  };
}

/** Rekor's canonical dsse 0.0.1 body for a one-signature DSSE envelope (keys in canonical order). */
export function dsseBody(envelopeJson: string, payload: Buffer, signature: Buffer, publicKeyPem: string): Buffer {
  return Buffer.from(JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(envelopeJson) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(payload) },
      signatures: [{ signature: signature.toString('base64'), verifier: Buffer.from(publicKeyPem).toString('base64') }],
    },
  }));
}

/** cosign's classic `dev.sigstore.cosign/bundle` annotation, logged by @sigstore/mock's log (its SET, its index, its time). */
export async function mockClassicEntry(log: TestLog, proposedEntry: object, clock?: Date): Promise<{ SignedEntryTimestamp: string; Payload: { body: string; integratedTime: number; logIndex: number; logID: string } }> {
  const tlog = await initializeTLog(log.baseUrl, { privateKey: log.privateKey, publicKey: log.publicKey }, clock);
  const logged = Object.values(await tlog.log(proposedEntry))[0] as { body: string; integratedTime: number; logIndex: number; logID: string; verification: { signedEntryTimestamp: string } };
  return {
    SignedEntryTimestamp: logged.verification.signedEntryTimestamp,
    Payload: { body: logged.body, integratedTime: logged.integratedTime, logIndex: logged.logIndex, logID: logged.logID },
  };
}

/** A SET made here: the log key over the canonical JSON (keys written in code-point order: "logID" < "logIndex"). */
export function signSet(log: TestLog, p: { body: string; integratedTime: number; logIndex: number; logID: string }): Buffer {
  const canonical = JSON.stringify({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex });
  return cryptoSign('sha256', Buffer.from(canonical), log.privateKey);
}

// RFC 6962 hashing.
const leafHash = (leaf: Buffer) => createHash('sha256').update(Buffer.from([0])).update(leaf).digest();
const nodeHash = (l: Buffer, r: Buffer) => createHash('sha256').update(Buffer.from([1])).update(l).update(r).digest();

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leafHash(leaves[0]!);
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** A Merkle tree over entry bodies: root and the audit path of leaf `m`, leaf to root (RFC 6962 2.1.1). */
export function merkleTree(leaves: Buffer[]): { root: Buffer; proof(m: number): Buffer[] } {
  return { root: mth(leaves), proof: (m) => path(m, leaves) };
}

/** A signed checkpoint (signed note). `name` and `origin` default to the log's; `signer` to its key. */
export function signedCheckpoint(log: TestLog, size: number, root: Buffer, opts: { name?: string; origin?: string; signer?: KeyObject; keyHint?: Buffer } = {}): string {
  const note = `${opts.origin ?? `${log.origin} - 1234567890`}\n${size}\n${root.toString('base64')}\n`;
  const sig = cryptoSign('sha256', Buffer.from(note), opts.signer ?? log.privateKey);
  const hint = opts.keyHint ?? log.logId.subarray(0, 4);
  return `${note}\n\u2014 ${opts.name ?? log.origin} ${Buffer.concat([hint, sig]).toString('base64')}\n`;
}
