import { createHash } from 'node:crypto';
import type { BundleWithDsseEnvelope, TransparencyLogEntry } from '@sigstore/bundle';
import { toSignedEntity, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { errorMessage } from '../errors';
import type { TrustedKey } from '../trust/trust-root';
import type { TlogSummary } from '../verification/types';
import { verifyCheckpoint } from './checkpoint';
import { bodyMismatch, parseEntryBody } from './rekor-body';
import { findLog, logValidAt, type TrustedLog, type TrustedLogs } from './trusted-logs';

/**
 * A bundle signature's `verificationMaterial.tlogEntries` (DESIGN 2.8), each from a log the
 * trusted root knows verified through @sigstore/verify (inclusion promise and/or inclusion
 * proof with its signed checkpoint, body against the envelope) with that log as the only trusted
 * log and `tlogThreshold: 1` — plus what that library leaves out: the body's key is the
 * verifying key; one entry per (log, index); the entry's index is its proof's; the proof's tree
 * size and root are the checkpoint's; the checkpoint names the log literally; the log key's
 * validFor contains the integrated time on every path. Entries from unknown logs are not judged.
 */
const END_OF_TIME = new Date(8_640_000_000_000_000);

function materialFor(log: TrustedLog, key: TrustedKey): TrustMaterial {
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    ctlogs: [],
    tlogs: [{ logID: Buffer.from(log.logId, 'hex'), baseURL: log.baseUrl, publicKey: log.key.key, validFor: { start: log.validFrom, end: log.validUntil ?? END_OF_TIME } }],
    publicKey: () => ({ publicKey: key.key, validFor: () => true }),
  };
}

function safeIndex(v: unknown): number | null {
  const n = typeof v === 'string' && /^[0-9]{1,16}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

interface EntryFacts {
  entity: SignedEntity;
  key: TrustedKey;
  signature: Buffer;
  payloadSha256: string;
}

/** Why one entry does not verify, or its integrated time when it does. */
function checkEntry(entry: TransparencyLogEntry, log: TrustedLog, facts: EntryFacts): Date | string {
  const index = safeIndex(entry.logIndex);
  if (index === null) return 'the entry has no readable log index';
  const seconds = safeIndex(entry.integratedTime);
  if (!seconds) return 'the entry has no integrated time, so the validity of the log key cannot be applied';
  const time = new Date(seconds * 1000);
  if (!logValidAt(log, time)) return `integrated at ${time.toISOString()}, outside the validity of the key of ${log.baseUrl}`;
  const proof = entry.inclusionProof;
  if (proof) {
    if (safeIndex(proof.logIndex) !== index) return `the entry's log index ${index} is not its inclusion proof's (${String(proof.logIndex)})`;
    const cp = verifyCheckpoint(proof.checkpoint?.envelope ?? '', log);
    if (typeof cp === 'string') return cp;
    if (String(proof.treeSize) !== cp.size.toString()) return `the inclusion proof's tree size ${String(proof.treeSize)} is not the checkpoint's ${cp.size}`;
    if (!Buffer.from(proof.rootHash).equals(cp.rootHash)) return "the inclusion proof's root hash is not the checkpoint's";
  }
  const body = parseEntryBody(Buffer.from(entry.canonicalizedBody));
  if (typeof body === 'string') return body;
  const mismatch = bodyMismatch(body, { signature: facts.signature, keyFingerprint: facts.key.fingerprint, contentSha256: facts.payloadSha256 });
  if (mismatch) return mismatch;
  try {
    new Verifier(materialFor(log, facts.key), { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 0 }).verify({ ...facts.entity, tlogEntries: [entry], timestamps: [] });
  } catch (e) {
    return `the entry does not verify: ${errorMessage(e)}`;
  }
  return time;
}

export function verifyBundleTlog(bundle: BundleWithDsseEnvelope, key: TrustedKey, logs: TrustedLogs | undefined): TlogSummary {
  const entries = bundle.verificationMaterial.tlogEntries ?? [];
  if (entries.length === 0) return { status: 'none' };
  const known = (entries as TransparencyLogEntry[]).flatMap((e) => {
    const log = findLog(logs, Buffer.from(e.logId?.keyId ?? []).toString('hex'));
    return log ? [{ e, log }] : [];
  });
  if (known.length === 0) {
    const id = Buffer.from(entries[0]!.logId?.keyId ?? []).toString('hex');
    return { status: 'unknown-log', logId: id, detail: `the entries are from log(s) the trusted root does not list (${id.slice(0, 16)}…); not judged` };
  }
  const seen = new Set<string>();
  for (const { e, log } of known) {
    const k = `${log.logId}:${String(e.logIndex)}`;
    if (seen.has(k)) return { status: 'invalid', log: log.baseUrl, logId: log.logId, index: safeIndex(e.logIndex) ?? undefined, detail: `two entries for index ${String(e.logIndex)} of ${log.baseUrl}: one entry per (log, index)` };
    seen.add(k);
  }
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle);
  } catch (e) {
    return { status: 'invalid', log: known[0]!.log.baseUrl, logId: known[0]!.log.logId, detail: `the bundle cannot be read for its log entries: ${errorMessage(e)}` };
  }
  const env = bundle.content.dsseEnvelope;
  const facts: EntryFacts = {
    entity,
    key,
    signature: Buffer.from(env.signatures[0]?.sig ?? Buffer.alloc(0)),
    payloadSha256: createHash('sha256').update(env.payload).digest('hex'),
  };
  let first: { log: TrustedLog; index: number; time: Date } | null = null;
  for (const { e, log } of known) {
    const r = checkEntry(e, log, facts);
    const index = safeIndex(e.logIndex) ?? undefined;
    if (typeof r === 'string') return { status: 'invalid', log: log.baseUrl, logId: log.logId, index, detail: r };
    if (!first || r < first.time) first = { log, index: index!, time: r };
  }
  return { status: 'verified', log: first!.log.baseUrl, logId: first!.log.logId, index: first!.index, integratedTime: first!.time.toISOString() };
}
