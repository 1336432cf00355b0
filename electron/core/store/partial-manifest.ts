// What can still be shown of an invalid listing (issue 17 item 5): every field whose own value
// passes its own rule, so the preview draws the card and page it can and marks the rest. Display
// only — an invalid listing is MANIFEST_INVALID and is never installed or verified from this.
import { serviceManifestSchema, type ServiceManifest } from './manifest-schema';

export type PartialManifest = Partial<ServiceManifest>;

export function partialManifest(raw: unknown): PartialManifest | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(serviceManifestSchema.shape)) {
    const r = rule.safeParse((raw as Record<string, unknown>)[key]);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as PartialManifest;
}
