// The in-toto statement inside a cosign bundle signature. Only predicate type
// `https://sigstore.dev/cosign/sign/v1` is a signature; other attestations (SBOMs, scans,
// provenance) are not, and never count as one (DESIGN 2.3).
import { parseOrderedJson, unambiguousFields, type OrderedJson } from './ordered-json';

export const SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);
const MAX_SUBJECTS = 256;

interface StatementSubject {
  name: string | null;
  /** `sha256:<hex>` when the subject carries a well-formed sha256 digest. */
  digest: string | null;
}

type ParsedStatement =
  | { ok: true; predicateType: string; subjects: StatementSubject[] }
  | { ok: false; predicateType: string | null; message: string };

const TOP_FIELDS = [['_type', 'type'], ['predicateType', 'predicate_type'], 'subject', 'predicate'] as const;
const SUBJECT_FIELDS = ['name', 'digest', 'uri', 'content', ['downloadLocation', 'download_location'], ['mediaType', 'media_type'], 'annotations'] as const;

const str = (v: OrderedJson | undefined): string | null => (v?.kind === 'string' ? v.value : null);

/**
 * Parses a statement without trusting it. The predicate type read here before the signature
 * is checked is used only to *skip* non-signature attestations — skipping never makes an image
 * verify, so reading it unverified cannot weaken anything.
 *
 * Read with duplicate keys kept: a statement naming a field twice (duplicates, protojson's
 * aliases such as `predicate_type`, case variants a case-insensitive reader would take, or a
 * subject digest listed twice) is refused, since JSON.parse (last value wins) and other
 * verifiers (protojson refuses duplicates) would read it differently.
 */
export function parseStatement(payload: Buffer): ParsedStatement {
  const parsed = parseOrderedJson(payload.toString('utf8'));
  if (!parsed.ok) return { ok: false, predicateType: null, message: parsed.reason === 'not JSON' ? 'the DSSE payload is not JSON' : `the DSSE payload cannot be read: ${parsed.reason}` };
  const doc = parsed.value;
  if (doc.kind !== 'object') return { ok: false, predicateType: null, message: 'the DSSE payload is not a JSON object' };
  const top = unambiguousFields(doc, TOP_FIELDS, 'the statement', { exactCase: true });
  if (!top.ok) return { ok: false, predicateType: null, message: top.reason };
  const predicateType = str(top.values.get('predicateType'));
  const type = str(top.values.get('_type'));
  if (type === null || !STATEMENT_TYPES.has(type)) {
    return { ok: false, predicateType, message: 'the payload is not an in-toto statement (_type)' };
  }
  if (predicateType === null) return { ok: false, predicateType, message: 'the statement has no predicateType' };
  const subjectList = top.values.get('subject');
  if (subjectList?.kind !== 'array' || subjectList.items.length === 0) {
    return { ok: false, predicateType, message: 'the statement has no subject' };
  }
  if (subjectList.items.length > MAX_SUBJECTS) return { ok: false, predicateType, message: `the statement has more than ${MAX_SUBJECTS} subjects` };
  const subjects: StatementSubject[] = [];
  for (const s of subjectList.items) {
    if (s.kind !== 'object') return { ok: false, predicateType, message: 'a statement subject is not an object' };
    const subj = unambiguousFields(s, SUBJECT_FIELDS, 'a statement subject', { exactCase: true });
    if (!subj.ok) return { ok: false, predicateType, message: subj.reason };
    const dig = subj.values.get('digest');
    let digest: string | null = null;
    if (dig?.kind === 'object') {
      const algs = unambiguousFields(dig, ['sha256'], 'a subject digest', { exactCase: true });
      if (!algs.ok) return { ok: false, predicateType, message: algs.reason };
      const hex = str(algs.values.get('sha256'));
      if (hex !== null && /^[a-f0-9]{64}$/.test(hex)) digest = `sha256:${hex}`;
    }
    subjects.push({ name: str(subj.values.get('name')), digest });
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
