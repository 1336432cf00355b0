import { resolve, join } from 'node:path';
import { errorMessage } from '../errors';
import {
  DEFAULT_SOURCE_LIMITS,
  SourceError,
  type FetchedManifest,
  type ImageSource,
  type SourceLimits,
} from '../source/image-source';
import { isSha256Digest, readBlob, readBoundedFile } from './layout-blobs';
import { findTag, parseLayoutIndex, type LayoutDescriptor } from './layout-index';
import { homeRelativePath } from '../display-path';

const DEFAULT_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/**
 * An OCI image layout directory standing in for a registry (DESIGN 2.1 `ociLayout`): offline
 * stores and the embedded demo store. Same guarantees as the registry client: every manifest
 * and blob is hashed against its digest, every read bounded. It has no referrers API, so bundle
 * signatures are found through the `sha256-<hex>` fallback tag, as in a plain registry.
 */
export function openOciLayout(dir: string, limits: Partial<SourceLimits> = {}): ImageSource {
  const root = resolve(dir);
  const lim: SourceLimits = { ...DEFAULT_SOURCE_LIMITS, ...limits };
  let index: Promise<LayoutDescriptor[]> | null = null;

  // Read once per source: a layout is immutable content; failures are not cached. A layout whose
  // index cannot be read is an unreadable source, not "something unreadable where a signature
  // should be": it must never become a SIGNATURE_INVALID verdict (issue 12.11).
  const loadIndex = (): Promise<LayoutDescriptor[]> => {
    index ??= readIndex(root, lim).catch((e: unknown) => {
      index = null;
      throw new SourceError('unreadable', `the layout cannot be read (${errorMessage(e)})`);
    });
    return index;
  };

  async function manifestByDigest(digest: string, mediaTypeHint: string | null): Promise<FetchedManifest | null> {
    const bytes = await readBlob(root, digest, lim.maxManifestBytes);
    if (bytes === null) return null;
    return { digest, mediaType: mediaTypeHint || mediaTypeOf(bytes), bytes };
  }

  return {
    description: `OCI layout ${homeRelativePath(dir)}`,

    async getManifest(repository, reference, signal) {
      signal?.throwIfAborted();
      if (reference.startsWith('sha256:') || reference.includes(':')) {
        if (!isSha256Digest(reference)) throw new SourceError('invalid', `not a sha256 digest: ${JSON.stringify(reference.slice(0, 100))}`);
        return manifestByDigest(reference, null);
      }
      const entry = findTag(await loadIndex(), repository, reference);
      if (!entry) return null;
      const m = await manifestByDigest(entry.digest, entry.mediaType || null);
      if (m && m.bytes.length !== entry.size) {
        throw new SourceError('invalid', `index.json says ${entry.digest} is ${entry.size} bytes; it is ${m.bytes.length}`);
      }
      return m;
    },

    async getBlob(_repository, digest, maxBytes, signal) {
      signal?.throwIfAborted();
      return readBlob(root, digest, Math.min(maxBytes, lim.maxBlobBytes));
    },

    async getReferrers(_repository, digest) {
      if (!isSha256Digest(digest)) throw new SourceError('invalid', `not a sha256 digest: ${JSON.stringify(digest.slice(0, 100))}`);
      return null;
    },
  };
}

async function readIndex(root: string, lim: SourceLimits): Promise<LayoutDescriptor[]> {
  const marker = await readBoundedFile(join(root, 'oci-layout'), 4096, 'oci-layout');
  if (marker === null) throw new SourceError('invalid', `${root} is not an OCI image layout (no oci-layout file)`);
  let version: unknown;
  try {
    version = (JSON.parse(marker.toString('utf8')) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
  } catch {
    throw new SourceError('invalid', 'the oci-layout file is not valid JSON');
  }
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new SourceError('invalid', `unsupported OCI layout version ${JSON.stringify(version)}`);
  }
  const bytes = await readBoundedFile(join(root, 'index.json'), lim.maxManifestBytes, 'index.json');
  if (bytes === null) throw new SourceError('invalid', `${root} has no index.json`);
  return parseLayoutIndex(bytes);
}

/** The manifest's own `mediaType` (OCI and Docker manifests carry it); OCI manifest otherwise. */
function mediaTypeOf(bytes: Buffer): string {
  try {
    const mt = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof mt === 'string' && mt.length > 0 && mt.length < 256) return mt;
  } catch {
    // Not JSON: the caller's manifest parser will say so; the media type is only a hint.
  }
  return DEFAULT_MANIFEST_MEDIA_TYPE;
}
