/**
 * The simple-signing payload cosign signs (DESIGN 2.3). Read like cosign reads it: JSON object
 * keys match case-insensitively (Go's encoding/json), the digest binding is
 * `critical.image.docker-manifest-digest`; `critical.type` and `docker-reference` are not
 * required by cosign, so they are reported, not enforced.
 */
export interface CosignPayload {
  digest: string;
  identity: string | null;
  type: string | null;
}

export type PayloadParse = { ok: true; payload: CosignPayload } | { ok: false; reason: string };

function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  const lower = name.toLowerCase();
  // Go's decoder assigns every key that folds to the field, in document order: the last wins.
  let found: unknown;
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) found = rec[k];
  return found;
}

export function parseCosignPayload(bytes: Uint8Array): PayloadParse {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, reason: 'the signed payload is not JSON' };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'the signed payload is not a JSON object' };
  const critical = field(doc, 'critical');
  if (!critical || typeof critical !== 'object') return { ok: false, reason: 'the signed payload has no "critical" section' };
  const digest = field(field(critical, 'image'), 'docker-manifest-digest');
  if (typeof digest !== 'string' || digest.length === 0) return { ok: false, reason: 'the signed payload names no critical.image.docker-manifest-digest' };
  const identity = field(field(critical, 'identity'), 'docker-reference');
  const type = field(critical, 'type');
  return {
    ok: true,
    payload: { digest, identity: typeof identity === 'string' ? identity : null, type: typeof type === 'string' ? type : null },
  };
}
