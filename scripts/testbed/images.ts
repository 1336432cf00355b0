// Pushes tiny, distinct images straight through the distribution API (no daemon): a config
// blob, one layer blob, and an OCI manifest; multi-arch indexes; arbitrary manifests under
// tags (signatures). Used by integration tests and the benchmark.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export function sha256(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(method: string, url: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method, agent, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.setTimeout(15_000, () => r.destroy(new Error(`${method} ${url} timed out`)));
    r.end(body);
  });
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
  artifactType?: string;
}

/** Uploads one blob (monolithic POST+PUT); returns its descriptor. */
export async function pushBlob(base: string, repo: string, bytes: Buffer, mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const digest = sha256(bytes);
  const head = await request('HEAD', `${base}/v2/${repo}/blobs/${digest}`);
  if (head.status !== 200) {
    const start = await request('POST', `${base}/v2/${repo}/blobs/uploads/`);
    if (start.status !== 202 || !start.headers.location) throw new Error(`blob upload start: HTTP ${start.status} ${start.body.toString()}`);
    const loc = new URL(start.headers.location, base);
    loc.searchParams.set('digest', digest);
    const put = await request('PUT', loc.toString(), bytes, { 'Content-Type': 'application/octet-stream' });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${put.body.toString()}`);
  }
  return { mediaType, digest, size: bytes.length };
}

/** Puts a manifest (any bytes) under a tag or its digest; returns the digest. */
export async function pushManifest(base: string, repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
  const put = await request('PUT', `${base}/v2/${repo}/manifests/${reference}`, bytes, { 'Content-Type': mediaType });
  if (put.status !== 201) throw new Error(`manifest put ${repo}:${reference}: HTTP ${put.status} ${put.body.toString()}`);
  return sha256(bytes);
}

export interface PushedImage {
  repo: string;
  digest: string;
  /** `host/repo@digest` */
  ref: string;
  manifest: Buffer;
}

/** A tiny distinct single-platform image: a config and one layer holding `content`. */
export async function pushImage(host: string, repo: string, opts: { tag?: string; content?: string; arch?: string } = {}): Promise<PushedImage> {
  const base = `http://${host}`;
  const content = opts.content ?? `pic test ${randomBytes(8).toString('hex')}`;
  const layer = await pushBlob(base, repo, Buffer.from(content), 'application/vnd.oci.image.layer.v1.tar');
  const config = await pushBlob(base, repo, Buffer.from(JSON.stringify({ architecture: opts.arch ?? 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })), 'application/vnd.oci.image.config.v1+json');
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }));
  const digest = await pushManifest(base, repo, opts.tag ?? sha256(manifest), manifest, OCI_MANIFEST);
  return { repo, digest, ref: `${host}/${repo}@${digest}`, manifest };
}

/** A multi-arch index over two fresh children. */
export async function pushIndex(host: string, repo: string, tag?: string): Promise<PushedImage & { children: PushedImage[] }> {
  const children = [await pushImage(host, repo, { arch: 'amd64' }), await pushImage(host, repo, { arch: 'arm64' })];
  const manifests = children.map((c, i) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.manifest.length, platform: { architecture: i === 0 ? 'amd64' : 'arm64', os: 'linux' } }));
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  const digest = await pushManifest(`http://${host}`, repo, tag ?? sha256(index), index, OCI_INDEX);
  return { repo, digest, ref: `${host}/${repo}@${digest}`, manifest: index, children };
}

/** Copies a single-platform image (its blobs and manifest) into another repository, as a mirror would. */
export async function copyImage(host: string, fromRepo: string, toRepo: string, manifest: Buffer, reference?: string): Promise<string> {
  const base = `http://${host}`;
  const doc = JSON.parse(manifest.toString('utf8')) as { mediaType?: string; config: { digest: string }; layers: { digest: string }[] };
  for (const d of [doc.config.digest, ...doc.layers.map((l) => l.digest)]) {
    const got = await request('GET', `${base}/v2/${fromRepo}/blobs/${d}`);
    if (got.status !== 200) throw new Error(`copy blob ${d}: HTTP ${got.status}`);
    await pushBlob(base, toRepo, got.body);
  }
  return pushManifest(base, toRepo, reference ?? sha256(manifest), manifest, doc.mediaType ?? OCI_MANIFEST);
}
