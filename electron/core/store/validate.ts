// Validation of a whole index and of single manifests, returning every error with its
// JSON-pointer path. The image must at least be a reference string; whether it is pinned and
// well-formed is verification's job (tag-only is valid input, rejected as DIGEST_MISSING).
import { parseImageReference } from '../reference/image-reference';
import { badgeLabel } from '../catalogue/short-labels';
import { schemaErrors, serviceManifestSchema, storeIndexSchema, type SchemaError, type ServiceManifest } from './manifest-schema';

export interface StoreService {
  /** Position in the index's `services`. */
  index: number;
  /** The id when readable (even from an invalid manifest), for display and lookups. */
  id: string | null;
  manifest: ServiceManifest | null;
  raw: unknown;
  errors: SchemaError[];
}

interface ValidatedIndex {
  name: string;
  ociLayout: string | null;
  /** `policy.transparencyLog`; "if-present" when the index says nothing (DESIGN 2.8). */
  transparencyLog: 'if-present' | 'required';
  services: StoreService[];
}

type IndexValidation = { ok: true; index: ValidatedIndex } | { ok: false; errors: SchemaError[] };

export function validateManifest(raw: unknown, prefix = ''): { manifest: ServiceManifest | null; errors: SchemaError[] } {
  const r = serviceManifestSchema.safeParse(raw);
  if (!r.success) return { manifest: null, errors: schemaErrors(r.error, prefix) };
  return { manifest: r.data, errors: [] };
}

/** Validates the index envelope (fatal errors) and every service (errors kept per service). */
export function validateIndex(raw: unknown): IndexValidation {
  const env = storeIndexSchema.safeParse(raw);
  if (!env.success) return { ok: false, errors: schemaErrors(env.error) };
  const seen = new Map<string, number>();
  const services: StoreService[] = env.data.services.map((s, i) => {
    const prefix = `/services/${i}`;
    const { manifest, errors } = validateManifest(s, prefix);
    const rawId = s && typeof s === 'object' && typeof (s as { id?: unknown }).id === 'string' ? (s as { id: string }).id : null;
    if (rawId !== null) {
      const first = seen.get(rawId);
      if (first !== undefined) errors.push({ path: `${prefix}/id`, message: `duplicate id "${rawId}" (already used by /services/${first})` });
      else seen.set(rawId, i);
    }
    return { index: i, id: rawId, manifest: errors.length ? null : manifest, raw: s, errors };
  });
  return { ok: true, index: { name: env.data.name, ociLayout: env.data.ociLayout ?? null, transparencyLog: env.data.policy?.transparencyLog ?? 'if-present', services } };
}

/** Lint-level advice beyond the schema (kept separate: not errors, verification decides). */
export function imageNote(image: string): string | null {
  const r = parseImageReference(image);
  if (!r.ok) return `image: ${r.reason}`;
  if (!r.ref.digest) return `image: named by tag only; verification will refuse it as "${badgeLabel('DIGEST_MISSING')}" (pin it by digest: repository@sha256:…)`;
  return null;
}
