// The simple-signing payload cosign signs (DESIGN 2.3). Read like cosign reads it: JSON object
// keys match case-insensitively (Go's encoding/json), the digest binding is
// `critical.image.docker-manifest-digest`; `critical.type` and `docker-reference` are not
// required by cosign, so they are reported, not enforced.
//
// A payload that two JSON readers could read differently is refused (PAYLOAD_INVALID): a field
// named twice (duplicate or case-variant keys — JS keeps the first key's position with the last
// value, Go the last key in document order) or reached only through Unicode folding (`ſ` folds
// to `s` in Go, not in JS). cosign never writes such a payload; refusing it can only be stricter.
import { parseOrderedJson, unambiguousFields, type OrderedJson } from './ordered-json';

interface CosignPayload {
  digest: string;
  identity: string | null;
  type: string | null;
}

type PayloadParse = { ok: true; payload: CosignPayload } | { ok: false; reason: string };

const isObject = (v: OrderedJson | undefined): v is Extract<OrderedJson, { kind: 'object' }> => v?.kind === 'object';
const str = (v: OrderedJson | undefined): string | null => (v?.kind === 'string' ? v.value : null);

export function parseCosignPayload(bytes: Uint8Array): PayloadParse {
  const doc = parseOrderedJson(Buffer.from(bytes).toString('utf8'));
  if (!doc.ok) return { ok: false, reason: doc.reason === 'not JSON' ? 'the signed payload is not JSON' : `the signed payload cannot be read: ${doc.reason}` };
  if (!isObject(doc.value)) return { ok: false, reason: 'the signed payload is not a JSON object' };
  const top = unambiguousFields(doc.value, ['critical', 'optional'], 'the signed payload');
  if (!top.ok) return top;
  const critical = top.values.get('critical');
  if (!isObject(critical)) return { ok: false, reason: 'the signed payload has no "critical" section' };
  const crit = unambiguousFields(critical, ['identity', 'image', 'type'], 'critical');
  if (!crit.ok) return crit;
  const image = crit.values.get('image');
  const identity = crit.values.get('identity');
  const img = isObject(image) ? unambiguousFields(image, ['docker-manifest-digest'], 'critical.image') : null;
  if (img && !img.ok) return img;
  const id = isObject(identity) ? unambiguousFields(identity, ['docker-reference'], 'critical.identity') : null;
  if (id && !id.ok) return id;
  const digest = str(img?.values.get('docker-manifest-digest'));
  if (digest === null || digest.length === 0) return { ok: false, reason: 'the signed payload names no critical.image.docker-manifest-digest' };
  return {
    ok: true,
    payload: { digest, identity: str(id?.values.get('docker-reference')), type: str(crit.values.get('type')) },
  };
}
