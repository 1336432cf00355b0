import { OCI_INDEX, OCI_MANIFEST, pushBlob, pushManifest, sha256 } from './images';

/**
 * Rewrites the sigstore bundles cosign attached to an image (through the `sha256-<hex>` fallback
 * tag index, as the test registry has no referrers API): each bundle layer is read, changed by
 * `mutate` (e.g. given transparency-log entries made by scripts/testbed/tlog.ts), pushed as a new
 * blob, and its referrer manifest and the fallback index are pushed again to point at it.
 */
export type BundleJson = {
  mediaType: string;
  verificationMaterial: Record<string, unknown> & { tlogEntries?: unknown[] };
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string }[] };
};

interface Desc {
  mediaType?: string;
  digest: string;
  size: number;
}

async function getJson(url: string, accept: string): Promise<{ doc: Record<string, unknown>; bytes: Buffer }> {
  const res = await fetch(url, { headers: { Accept: accept } });
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { doc: JSON.parse(bytes.toString('utf8')) as Record<string, unknown>, bytes };
}

export async function rewriteBundles(host: string, repo: string, imageDigest: string, mutate: (b: BundleJson) => BundleJson): Promise<number> {
  const base = `http://${host}`;
  const tag = `sha256-${imageDigest.slice('sha256:'.length)}`;
  const { doc: index } = await getJson(`${base}/v2/${repo}/manifests/${tag}`, OCI_INDEX);
  const entries = index.manifests as Desc[];
  let changed = 0;
  for (const entry of entries) {
    const { doc: manifest } = await getJson(`${base}/v2/${repo}/manifests/${entry.digest}`, OCI_MANIFEST);
    const layers = manifest.layers as Desc[];
    const i = layers.findIndex((l) => l.mediaType === 'application/vnd.dev.sigstore.bundle.v0.3+json');
    if (i < 0) continue;
    const blob = await fetch(`${base}/v2/${repo}/blobs/${layers[i]!.digest}`);
    const bundle = JSON.parse(Buffer.from(await blob.arrayBuffer()).toString('utf8')) as BundleJson;
    const next = Buffer.from(JSON.stringify(mutate(bundle)));
    const d = await pushBlob(base, repo, next, layers[i]!.mediaType);
    layers[i] = { ...layers[i]!, digest: d.digest, size: d.size };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const mediaType = typeof manifest.mediaType === 'string' ? manifest.mediaType : OCI_MANIFEST;
    const digest = await pushManifest(base, repo, sha256(bytes), bytes, mediaType);
    entry.digest = digest;
    entry.size = bytes.length;
    changed++;
  }
  await pushManifest(base, repo, tag, Buffer.from(JSON.stringify(index)), OCI_INDEX);
  return changed;
}
