import { createHash } from 'node:crypto';
import { json } from '@sigstore/core';
import { verifyWithKey } from '../verification/key-verify';
import type { TlogSummary } from '../verification/types';
import { bodyMismatch, parseEntryBody } from './rekor-body';
import { findLog, logValidAt, type TrustedLogs } from './trusted-logs';

/**
 * A classic signature's transparency-log record (DESIGN 2.8): the layer annotation
 * `dev.sigstore.cosign/bundle` = `{ SignedEntryTimestamp, Payload: { body, integratedTime,
 * logIndex, logID } }`. As cosign's VerifyBundle: the SET is the log key's signature over the
 * canonical JSON of the Payload; the body binds this signature's bytes, the verifying key and
 * the SHA-256 of this payload; and the log key's validFor must contain the integrated time.
 */
export const TLOG_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';

const MAX_ANNOTATION_CHARS = 256 * 1024;

export interface ClassicSignatureFacts {
  /** The raw signature bytes from the layer's signature annotation. */
  signature: Buffer;
  /** Fingerprint of the trusted key the signature verified under. */
  keyFingerprint: string;
  /** The signed payload (the layer blob). */
  payload: Buffer;
}

function isIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

export function verifyClassicTlog(annotation: unknown, logs: TrustedLogs | undefined, facts: ClassicSignatureFacts): TlogSummary {
  if (annotation === undefined) return { status: 'none' };
  let doc: { SignedEntryTimestamp?: unknown; Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown } };
  try {
    if (typeof annotation !== 'string' || annotation.length > MAX_ANNOTATION_CHARS) throw new Error('not a string of bounded size');
    doc = JSON.parse(annotation) as typeof doc;
  } catch {
    return { status: 'none', detail: `the ${TLOG_BUNDLE_ANNOTATION} annotation is unreadable, so it names no log` };
  }
  const p = doc?.Payload;
  if (typeof p?.logID !== 'string') return { status: 'none', detail: `the ${TLOG_BUNDLE_ANNOTATION} annotation names no log` };
  const log = findLog(logs, p.logID);
  if (!log) return { status: 'unknown-log', logId: p.logID, detail: `the entry is from log ${p.logID.slice(0, 16)}…, which the trusted root does not list; not judged` };
  const base = { log: log.baseUrl, logId: log.logId, ...(isIndex(p.logIndex) ? { index: p.logIndex } : {}) };
  const invalid = (detail: string): TlogSummary => ({ status: 'invalid', ...base, detail });

  if (typeof p.body !== 'string' || !isIndex(p.integratedTime) || !isIndex(p.logIndex)) return invalid('the entry lacks its body, integrated time or log index');
  if (typeof doc.SignedEntryTimestamp !== 'string') return invalid('the entry carries no signed entry timestamp (SET)');
  const set = Buffer.from(doc.SignedEntryTimestamp, 'base64');
  const signed = Buffer.from(json.canonicalize({ body: p.body, integratedTime: p.integratedTime, logIndex: p.logIndex, logID: p.logID }), 'utf8');
  if (set.length === 0 || !verifyWithKey(signed, set, log.key)) return invalid(`the signed entry timestamp does not verify under the key of ${log.baseUrl}`);

  const time = new Date(p.integratedTime * 1000);
  if (!logValidAt(log, time)) return invalid(`integrated at ${time.toISOString()}, outside the validity of the key of ${log.baseUrl}`);

  const body = parseEntryBody(Buffer.from(p.body, 'base64'));
  if (typeof body === 'string') return invalid(body);
  if (body.kind !== 'hashedrekord') return invalid(`a classic signature's entry must be hashedrekord, not ${body.kind}`);
  const mismatch = bodyMismatch(body, {
    signature: facts.signature,
    keyFingerprint: facts.keyFingerprint,
    contentSha256: createHash('sha256').update(facts.payload).digest('hex'),
  });
  if (mismatch) return invalid(mismatch);
  return { status: 'verified', ...base, index: p.logIndex, integratedTime: time.toISOString() };
}
