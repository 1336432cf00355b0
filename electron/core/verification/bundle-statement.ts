/**
 * The in-toto statement inside a cosign bundle signature. Only predicate type
 * `https://sigstore.dev/cosign/sign/v1` is a signature; other attestations (SBOMs, scans,
 * provenance) are not, and never count as one (DESIGN 2.3).
 */
export const SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);
const MAX_SUBJECTS = 256;

export interface StatementSubject {
  name: string | null;
  /** `sha256:<hex>` when the subject carries a well-formed sha256 digest. */
  digest: string | null;
}

export type ParsedStatement =
  | { ok: true; predicateType: string; subjects: StatementSubject[] }
  | { ok: false; predicateType: string | null; message: string };

/**
 * Parses a statement without trusting it. The predicate type read here before the signature
 * is checked is used only to *skip* non-signature attestations — skipping never makes an image
 * verify, so reading it unverified cannot weaken anything.
 */
export function parseStatement(payload: Buffer): ParsedStatement {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, predicateType: null, message: 'the DSSE payload is not JSON' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, predicateType: null, message: 'the DSSE payload is not a JSON object' };
  }
  const d = doc as Record<string, unknown>;
  const predicateType = typeof d.predicateType === 'string' ? d.predicateType : null;
  if (typeof d._type !== 'string' || !STATEMENT_TYPES.has(d._type)) {
    return { ok: false, predicateType, message: 'the payload is not an in-toto statement (_type)' };
  }
  if (predicateType === null) return { ok: false, predicateType, message: 'the statement has no predicateType' };
  if (!Array.isArray(d.subject) || d.subject.length === 0) {
    return { ok: false, predicateType, message: 'the statement has no subject' };
  }
  if (d.subject.length > MAX_SUBJECTS) return { ok: false, predicateType, message: `the statement has more than ${MAX_SUBJECTS} subjects` };
  const subjects: StatementSubject[] = [];
  for (const s of d.subject as unknown[]) {
    if (typeof s !== 'object' || s === null) return { ok: false, predicateType, message: 'a statement subject is not an object' };
    const subj = s as Record<string, unknown>;
    const dig = subj.digest;
    let digest: string | null = null;
    if (typeof dig === 'object' && dig !== null) {
      const hex = (dig as Record<string, unknown>).sha256;
      if (typeof hex === 'string' && /^[a-f0-9]{64}$/.test(hex)) digest = `sha256:${hex}`;
    }
    subjects.push({ name: typeof subj.name === 'string' ? subj.name : null, digest });
  }
  if (subjects.every((s) => s.digest === null)) return { ok: false, predicateType, message: 'no statement subject carries a sha256 digest' };
  return { ok: true, predicateType, subjects };
}

/** Whether a statement that parsed binds exactly `digest`; else the digest it binds instead. */
export function subjectBinding(subjects: readonly StatementSubject[], digest: string): { bound: true; subject: StatementSubject } | { bound: false; boundDigest: string | null } {
  const hit = subjects.find((s) => s.digest === digest);
  if (hit) return { bound: true, subject: hit };
  return { bound: false, boundDigest: subjects.find((s) => s.digest !== null)?.digest ?? null };
}
