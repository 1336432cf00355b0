// The developer's listing preview (issue 8): a manifest or an index read by path in main, with
// every schema error and its JSON pointer. It never throws for a broken file — a file that is
// mid-edit, empty or not JSON is exactly what the preview must show — only reports it.
import { dirname, resolve, sep } from 'node:path';
import { describeJsonSyntaxError } from '../json-syntax';
import { errorMessage } from '../errors';
import { readUserFile } from '../user-file';
import type { SchemaError, ServiceManifest } from '../store/manifest-schema';
import { validateIndex, validateManifest } from '../store/validate';
import { partialManifest, type PartialManifest } from '../store/partial-manifest';

const MAX_LISTING_BYTES = 16 * 1024 * 1024;

export interface PreviewService {
  index: number;
  id: string | null;
  manifest: ServiceManifest | null;
  errors: SchemaError[];
  /** For an invalid listing: the fields that pass their own rules, to draw what can be drawn. */
  partial: PartialManifest | null;
}

export interface ListingPreview {
  path: string;
  /** 'unreadable' and 'invalid-json' carry no services; 'index-invalid' is a broken envelope. */
  kind: 'manifest' | 'index' | 'unreadable' | 'invalid-json' | 'index-invalid';
  /** Whole-file problems (read errors, JSON syntax with line/column, envelope errors). */
  errors: SchemaError[];
  services: PreviewService[];
  indexName: string | null;
  /** The index's OCI layout directory (absolute, inside the index's directory), when it names one. */
  ociLayoutDir: string | null;
  readAt: string;
}

export async function readListing(path: string, now: () => Date = () => new Date()): Promise<ListingPreview> {
  const base: ListingPreview = { path, kind: 'unreadable', errors: [], services: [], indexName: null, ociLayoutDir: null, readAt: now().toISOString() };
  let text: string;
  try {
    // A regular file only, bounded: a FIFO named here is refused without being opened (it would block).
    text = await readUserFile(path, MAX_LISTING_BYTES);
  } catch (e) {
    return { ...base, errors: [{ path: '', message: errorMessage(e) }] };
  }
  text = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Where, never what: the engine's message would quote the file to the renderer.
    return { ...base, kind: 'invalid-json', errors: [{ path: '', message: `not valid JSON: ${describeJsonSyntaxError(text)}` }] };
  }
  // DESIGN 2.4: a document with `services` is an index, anything else a manifest.
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'services' in raw) {
    const v = validateIndex(raw);
    if (!v.ok) return { ...base, kind: 'index-invalid', errors: v.errors };
    let ociLayoutDir: string | null = null;
    const errors: SchemaError[] = [];
    if (v.index.ociLayout) {
      const dir = dirname(resolve(path));
      const layout = resolve(dir, v.index.ociLayout);
      if (layout === dir || layout.startsWith(dir + sep)) ociLayoutDir = layout;
      else errors.push({ path: '/ociLayout', message: 'points outside the index\'s directory' });
    }
    return {
      ...base,
      kind: 'index',
      errors,
      indexName: v.index.name,
      ociLayoutDir,
      services: v.index.services.map((s) => ({ index: s.index, id: s.id, manifest: s.manifest, errors: s.errors, partial: s.manifest ? null : partialManifest(s.raw) })),
    };
  }
  const m = validateManifest(raw);
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
  return { ...base, kind: 'manifest', services: [{ index: 0, id, manifest: m.manifest, errors: m.errors, partial: m.manifest ? null : partialManifest(raw) }] };
}
