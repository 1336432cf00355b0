// A JSON reader that keeps every object member, duplicates included, in document order.
// `JSON.parse` silently merges duplicate keys (first key's position, last key's value), so a
// signed payload can read one way to us and another way to cosign (Go keeps the last key in
// document order and matches names case-insensitively). Signed payloads are read with this so
// an ambiguous document is seen as ambiguous and refused, never resolved in our favour.
// Syntax acceptance is exactly JSON.parse's (the text is checked with it first).

export type OrderedJson =
  | { kind: 'object'; members: [string, OrderedJson][] }
  | { kind: 'array'; items: OrderedJson[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** Deeper nesting than this is refused (a signed payload has four levels; recursion stays bounded). */
export const MAX_DEPTH = 256;

type OrderedParse = { ok: true; value: OrderedJson } | { ok: false; reason: string };

export function parseOrderedJson(text: string): OrderedParse {
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const p = new Reader(text);
  try {
    p.ws();
    const value = p.value(0);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  value(depth: number): OrderedJson {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH} levels`);
    const c = this.s[this.i];
    let v: OrderedJson;
    if (c === '{') v = this.object(depth);
    else if (c === '[') v = this.array(depth);
    else if (c === '"') v = { kind: 'string', value: this.string() };
    else if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      v = { kind: 'boolean', value: true };
    } else if (this.s.startsWith('false', this.i)) {
      this.i += 5;
      v = { kind: 'boolean', value: false };
    } else if (this.s.startsWith('null', this.i)) {
      this.i += 4;
      v = { kind: 'null' };
    } else {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = this.i;
      const hit = m.exec(this.s);
      if (!hit) throw new Error(`unexpected character at ${this.i}`);
      this.i += hit[0].length;
      v = { kind: 'number', value: Number(hit[0]) };
    }
    this.ws();
    return v;
  }

  private object(depth: number): OrderedJson {
    this.i++;
    this.ws();
    const members: [string, OrderedJson][] = [];
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', members };
    }
    for (;;) {
      const key = this.string();
      this.ws();
      this.i++; // ':' (syntax already checked by JSON.parse)
      this.ws();
      members.push([key, this.value(depth + 1)]);
      const c = this.s[this.i++];
      this.ws();
      if (c === '}') return { kind: 'object', members };
    }
  }

  private array(depth: number): OrderedJson {
    this.i++;
    this.ws();
    const items: OrderedJson[] = [];
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      const c = this.s[this.i++];
      this.ws();
      if (c === ']') return { kind: 'array', items };
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') break;
      else this.i++;
    }
    this.i++;
    // The literal (escapes included) is decoded by JSON.parse itself: identical escape handling.
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }
}

/**
 * Go's encoding/json matches object keys to struct fields with simple Unicode case folding, so
 * besides ASCII case, `ſ` (U+017F) matches `s` and the Kelvin sign (U+212A) matches `k`. This
 * maps a key to what Go would compare: the field name it could match, lowercased.
 */
function goFoldKey(key: string): string {
  return key.replace(/\u017f/g, 's').replace(/\u212a/g, 'k').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The members of `obj` that a Go (case-insensitive) or exact-name reader could take for each of
 * `fields` (an array entry lists one field's aliases, canonical name first — protojson also
 * accepts the proto name, e.g. `predicate_type` for `predicateType`). Refuses when the reading
 * is ambiguous: two members for one field (duplicates, case variants or aliases), or a member
 * that reaches a field only through non-ASCII folding (ſ, K). With `exactCase` (documents read
 * case-sensitively, like protojson) a case variant of a field name is refused too, since a
 * case-insensitive reader would take it.
 */
export function unambiguousFields(
  obj: OrderedJson,
  fields: readonly (string | readonly string[])[],
  where: string,
  opts: { exactCase?: boolean } = {},
): { ok: true; values: Map<string, OrderedJson> } | { ok: false; reason: string } {
  const values = new Map<string, OrderedJson>();
  if (obj.kind !== 'object') return { ok: true, values };
  const wanted = new Map<string, string>();
  for (const f of fields) {
    const names = typeof f === 'string' ? [f] : f;
    for (const n of names) wanted.set(n.toLowerCase(), names[0]!);
  }
  for (const [key, value] of obj.members) {
    const field = wanted.get(goFoldKey(key));
    if (field === undefined) continue;
    if ([...key].some((c) => c.charCodeAt(0) > 0x7f)) return { ok: false, reason: `${where} has the key "${key}", which only matches "${field}" by Unicode case folding` };
    if (opts.exactCase && !isExactName(key, fields)) {
      return { ok: false, reason: `${where} has the key "${key}", which differs from "${field}" only in case` };
    }
    if (values.has(field)) return { ok: false, reason: `${where} names "${field}" more than once` };
    values.set(field, value);
  }
  return { ok: true, values };
}

function isExactName(key: string, fields: readonly (string | readonly string[])[]): boolean {
  return fields.some((f) => (typeof f === 'string' ? f === key : f.includes(key)));
}
