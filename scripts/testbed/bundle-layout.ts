// Copies repositories from a test registry into an OCI image layout, the way the demo store is
// made: every tag (images, `.sig` tags, `sha256-<hex>` fallback indexes) under a
// `repo:tag` ref.name annotation, and every manifest, config, layer and child it names.
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { MANIFEST_ACCEPT } from '../../electron/core/registry/registry-source';
import { sha256 } from './images';

function get(url: string, accept?: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = http.get(url, { headers: accept ? { Accept: accept } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.setTimeout(15_000, () => r.destroy(new Error(`GET ${url} timed out`)));
  });
}

interface Doc {
  mediaType?: string;
  config?: { digest: string };
  layers?: { digest: string }[];
  manifests?: { digest: string }[];
}

export async function copyRegistryToLayout(host: string, repos: readonly string[], dir: string): Promise<void> {
  const base = `http://${host}`;
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const put = (bytes: Buffer) => writeFile(join(dir, 'blobs', 'sha256', sha256(bytes).slice(7)), bytes);
  const copyTree = async (repo: string, ref: string, depth: number): Promise<{ bytes: Buffer; doc: Doc }> => {
    if (depth > 3) throw new Error('manifest nesting too deep');
    const m = await get(`${base}/v2/${repo}/manifests/${ref}`, MANIFEST_ACCEPT);
    if (m.status !== 200) throw new Error(`manifest ${repo}:${ref}: HTTP ${m.status}`);
    await put(m.body);
    const doc = JSON.parse(m.body.toString('utf8')) as Doc;
    for (const d of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
      const b = await get(`${base}/v2/${repo}/blobs/${d.digest}`);
      if (b.status !== 200) throw new Error(`blob ${repo} ${d.digest}: HTTP ${b.status}`);
      await put(b.body);
    }
    for (const c of doc.manifests ?? []) await copyTree(repo, c.digest, depth + 1);
    return { bytes: m.body, doc };
  };
  const entries = [];
  for (const repo of repos) {
    const list = await get(`${base}/v2/${repo}/tags/list`);
    const tags = (JSON.parse(list.body.toString('utf8')) as { tags?: string[] | null }).tags ?? [];
    for (const tag of tags) {
      const { bytes, doc } = await copyTree(repo, tag, 0);
      entries.push({
        mediaType: doc.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(bytes),
        size: bytes.length,
        annotations: { 'org.opencontainers.image.ref.name': `${repo}:${tag}` },
      });
    }
  }
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: entries }));
}
