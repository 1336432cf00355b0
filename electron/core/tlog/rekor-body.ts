import { createHash, createPublicKey } from 'node:crypto';

/**
 * What a Rekor entry body says was logged (DESIGN 2.8): the key, the signature and the hash of
 * the signed content, read from the body kinds cosign writes for key-signed images —
 * `hashedrekord` 0.0.1 (classic signatures) and `dsse` / `intoto` (bundles). The verifiers
 * compare these with the signature at hand; a body they cannot read binds nothing, and an entry
 * that binds nothing does not verify.
 */
export interface EntryBody {
  kind: string;
  apiVersion: string;
  /** Fingerprints (hex SHA-256 of DER SPKI) of every key the body names. */
  keyFingerprints: string[];
  /** Signatures the body names (raw bytes). */
  signatures: Buffer[];
  /** The hash of the signed content the body names (hashedrekord: the payload; dsse: the DSSE payload), lowercase hex. */
  sha256: string | null;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = obj(cur)?.[p];
  }
  return cur;
}

/** Fingerprint of a base64-encoded PEM key (or certificate's key) as Rekor bodies carry it. */
function fingerprintOfB64Pem(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  try {
    const pem = Buffer.from(v, 'base64').toString('utf8');
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
  } catch {
    return null;
  }
}

function b64(v: unknown): Buffer | null {
  return typeof v === 'string' && v.length > 0 ? Buffer.from(v, 'base64') : null;
}

function sha256Of(hash: unknown): string | null {
  const h = obj(hash);
  if (!h || h.algorithm !== 'sha256' || typeof h.value !== 'string' || !/^[0-9a-f]{64}$/.test(h.value)) return null;
  return h.value;
}

/** Reads an entry body; a string names why it binds nothing. */
export function parseEntryBody(body: Buffer): EntryBody | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the entry body is not JSON';
  }
  const kind = at(doc, 'kind');
  const apiVersion = at(doc, 'apiVersion');
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return 'the entry body names no kind and apiVersion';
  const spec = at(doc, 'spec');
  const out: EntryBody = { kind, apiVersion, keyFingerprints: [], signatures: [], sha256: null };
  const push = (fp: string | null, sig: Buffer | null) => {
    if (fp) out.keyFingerprints.push(fp);
    if (sig) out.signatures.push(sig);
  };
  if (kind === 'hashedrekord' && apiVersion === '0.0.1') {
    push(fingerprintOfB64Pem(at(spec, 'signature', 'publicKey', 'content')), b64(at(spec, 'signature', 'content')));
    out.sha256 = sha256Of(at(spec, 'data', 'hash'));
  } else if (kind === 'dsse' && apiVersion === '0.0.1') {
    const sigs = at(spec, 'signatures');
    if (Array.isArray(sigs)) for (const s of sigs.slice(0, 8)) push(fingerprintOfB64Pem(at(s, 'verifier')), b64(at(s, 'signature')));
    out.sha256 = sha256Of(at(spec, 'payloadHash'));
  } else if (kind === 'intoto' && apiVersion === '0.0.2') {
    const sigs = at(spec, 'content', 'envelope', 'signatures');
    // intoto 0.0.2 stores each signature base64-encoded once more (Rekor's canonical form).
    if (Array.isArray(sigs)) for (const s of sigs.slice(0, 8)) push(fingerprintOfB64Pem(at(s, 'publicKey')), b64(Buffer.from(String(at(s, 'sig') ?? ''), 'base64').toString('utf8')));
    out.sha256 = sha256Of(at(spec, 'content', 'payloadHash'));
  } else {
    return `entry kind ${kind} ${apiVersion} is not one the app reads (hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2)`;
  }
  if (out.keyFingerprints.length === 0) return `the ${kind} entry names no readable public key`;
  if (out.signatures.length === 0) return `the ${kind} entry names no signature`;
  return out;
}

/**
 * The body binds this signature (same bytes), this key (the verifying key) and this content
 * (its SHA-256), like cosign's VerifyBundle. Returns why not, or null when it does.
 */
export function bodyMismatch(body: EntryBody, want: { signature: Buffer | null; keyFingerprint: string; contentSha256: string | null }): string | null {
  if (!body.keyFingerprints.includes(want.keyFingerprint)) return `the entry names another key (${body.keyFingerprints.map((f) => `${f.slice(0, 16)}…`).join(', ')}), not the verifying key ${want.keyFingerprint.slice(0, 16)}…`;
  if (want.signature && !body.signatures.some((s) => s.equals(want.signature!))) return 'the entry names another signature than this one';
  if (want.contentSha256 !== null && body.sha256 !== want.contentSha256) return `the entry names content with SHA-256 ${body.sha256 ?? '(none)'}, not this payload's ${want.contentSha256}`;
  return null;
}
