import { SourceError } from '../source/image-source';
import { isSha256Digest } from './layout-blobs';

/** The annotation an OCI layout's index.json uses to name a tag. */
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface LayoutDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  refName: string | null;
}

const MAX_INDEX_ENTRIES = 100_000;

/**
 * Parses a layout's `index.json` into descriptors. Entries with a malformed digest or size are
 * refused as a whole (a layout we cannot read exactly is not one we trust to stand in for a
 * registry).
 */
export function parseLayoutIndex(bytes: Buffer): LayoutDescriptor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SourceError('invalid', 'index.json is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SourceError('invalid', 'index.json is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.schemaVersion !== 2) throw new SourceError('invalid', 'index.json: schemaVersion is not 2');
  const manifests = d.manifests;
  if (!Array.isArray(manifests)) throw new SourceError('invalid', 'index.json: "manifests" is not an array');
  if (manifests.length > MAX_INDEX_ENTRIES) throw new SourceError('limit', `index.json has more than ${MAX_INDEX_ENTRIES} entries`);
  return manifests.map((m, i) => parseDescriptor(m, i));
}

function parseDescriptor(m: unknown, i: number): LayoutDescriptor {
  if (typeof m !== 'object' || m === null) throw new SourceError('invalid', `index.json: manifests[${i}] is not an object`);
  const e = m as Record<string, unknown>;
  if (typeof e.digest !== 'string' || !isSha256Digest(e.digest)) {
    throw new SourceError('invalid', `index.json: manifests[${i}].digest is not a sha256 digest`);
  }
  if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) {
    throw new SourceError('invalid', `index.json: manifests[${i}].size is not a non-negative integer`);
  }
  const mediaType = typeof e.mediaType === 'string' ? e.mediaType : '';
  const ann = e.annotations;
  let refName: string | null = null;
  if (typeof ann === 'object' && ann !== null) {
    const r = (ann as Record<string, unknown>)[REF_NAME_ANNOTATION];
    if (typeof r === 'string') refName = r;
  }
  return { mediaType, digest: e.digest, size: e.size, refName };
}

/** `images.example:5000/team/app` → `team/app`; a path without a host part is returned as is. */
function withoutHost(repository: string): string {
  const slash = repository.indexOf('/');
  if (slash < 0) return repository;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? repository.slice(slash + 1) : repository;
}

/**
 * Finds the descriptor a tag names. Layouts written for several repositories (the demo store)
 * name tags `repo:tag`; single-image layouts (umoci, skopeo) name them just `tag`. A
 * repository-qualified name wins over a bare one, so one repository's `1.0` never answers for
 * another's.
 */
export function findTag(entries: readonly LayoutDescriptor[], repository: string, tag: string): LayoutDescriptor | null {
  const qualified = new Set([`${repository}:${tag}`, `${withoutHost(repository)}:${tag}`]);
  const exact = entries.find((e) => e.refName !== null && qualified.has(e.refName));
  if (exact) return exact;
  return entries.find((e) => e.refName === tag) ?? null;
}
