import { SourceError, type FetchedManifest, type ImageSource } from '../source/image-source';

const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

interface ReferrerCandidate {
  digest: string;
  /** 'referrers API' or 'fallback tag sha256-…': where it was listed. */
  listedIn: string;
}

/** The referrer manifest's bundle layer, when it is a bundle referrer at all. */
interface BundleLayer {
  digest: string;
  size: number;
  /** The manifest's (unsigned) predicate-type annotation, when present. */
  predicateType: string | null;
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;

function parseJsonObject(m: FetchedManifest, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(m.bytes.toString('utf8'));
  } catch {
    throw new SourceError('invalid', `${what} is not JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SourceError('invalid', `${what} is not a JSON object`);
  return doc as Record<string, unknown>;
}

/**
 * Lists the referrers of `digest` that may be bundles: through the OCI 1.1 referrers API, or,
 * when the source has none, the `sha256-<hex>` fallback tag index. Fallback entries carry
 * `artifactType: application/vnd.oci.empty.v1+json` (cosign 2.x), so they are not filtered on
 * it; the referrers API reports the manifest's own artifactType, so other artifacts are skipped
 * there. More candidates than `maxSignatures` is a limit, never a silent truncation.
 */
export async function listBundleReferrers(
  source: ImageSource,
  repository: string,
  digest: string,
  maxSignatures: number,
  signal?: AbortSignal,
): Promise<ReferrerCandidate[]> {
  let index = await source.getReferrers(repository, digest, signal);
  let listedIn = 'referrers API';
  let filterOnArtifactType = true;
  if (index === null) {
    const tag = `sha256-${digest.slice('sha256:'.length)}`;
    index = await source.getManifest(repository, tag, signal);
    listedIn = `fallback tag ${tag}`;
    filterOnArtifactType = false;
    if (index === null) return [];
  }
  const doc = parseJsonObject(index, `the referrers index of ${digest}`);
  const manifests = doc.manifests;
  if (!Array.isArray(manifests)) throw new SourceError('invalid', `the referrers index of ${digest} has no "manifests" array`);
  const out: ReferrerCandidate[] = [];
  for (const m of manifests as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const e = m as Record<string, unknown>;
    if (typeof e.digest !== 'string' || !SHA256.test(e.digest)) continue;
    if (filterOnArtifactType && typeof e.artifactType === 'string' && e.artifactType !== BUNDLE_MEDIA_TYPE) continue;
    out.push({ digest: e.digest, listedIn });
    if (out.length > maxSignatures) {
      throw new SourceError('limit', `more than ${maxSignatures} signature candidates are attached to ${digest}`);
    }
  }
  return out;
}

/**
 * Reads a referrer manifest and returns its bundle layer, or null when it is not a bundle
 * referrer (another artifact type, no bundle layer).
 */
export function bundleLayerOf(manifest: FetchedManifest): BundleLayer | null {
  const doc = parseJsonObject(manifest, `referrer manifest ${manifest.digest}`);
  const layers = Array.isArray(doc.layers) ? (doc.layers as unknown[]) : [];
  const bundleLayers = layers.filter(
    (l): l is Record<string, unknown> => typeof l === 'object' && l !== null && (l as Record<string, unknown>).mediaType === BUNDLE_MEDIA_TYPE,
  );
  const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : null;
  if (bundleLayers.length === 0) return null;
  if (artifactType !== null && artifactType !== BUNDLE_MEDIA_TYPE) return null;
  const layer = bundleLayers[0]!;
  if (typeof layer.digest !== 'string' || !SHA256.test(layer.digest)) return null;
  const size = typeof layer.size === 'number' && Number.isSafeInteger(layer.size) && layer.size >= 0 ? layer.size : -1;
  const ann = doc.annotations;
  const pt = typeof ann === 'object' && ann !== null ? (ann as Record<string, unknown>)[PREDICATE_ANNOTATION] : undefined;
  return { digest: layer.digest, size, predicateType: typeof pt === 'string' ? pt : null };
}
