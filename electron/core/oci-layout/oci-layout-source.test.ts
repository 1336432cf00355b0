import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../source/image-source';
import { openOciLayout } from './oci-layout-source';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

let dir: string;

async function putBlob(bytes: Buffer | string): Promise<string> {
  const d = sha(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', d.slice(7)), bytes);
  return d;
}

async function writeIndex(entries: { digest: string; size: number; ref?: string; mediaType?: string }[]) {
  const manifests = entries.map((e) => ({
    mediaType: e.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
    digest: e.digest,
    size: e.size,
    ...(e.ref ? { annotations: { 'org.opencontainers.image.ref.name': e.ref } } : {}),
  }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oci-layout-'));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const manifestA = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [], a: 1 });
const manifestB = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [], b: 2 });

describe('openOciLayout', () => {
  it('serves manifests by digest (with their media type) and tags in both forms', async () => {
    const a = await putBlob(manifestA);
    const b = await putBlob(manifestB);
    await writeIndex([
      { digest: a, size: manifestA.length, ref: 'demo/web:1.0' },
      { digest: b, size: manifestB.length, ref: '1.0', mediaType: 'application/vnd.oci.image.index.v1+json' },
    ]);
    const src = openOciLayout(dir);
    const byDigest = await src.getManifest('any/repo', b);
    expect(byDigest?.digest).toBe(b);
    expect(byDigest?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(byDigest?.bytes.toString()).toBe(manifestB);
    // The repository-qualified name wins; a registry host in the repository is ignored; others get the bare tag.
    expect((await src.getManifest('demo/web', '1.0'))?.digest).toBe(a);
    expect((await src.getManifest('127.0.0.1:5000/demo/web', '1.0'))?.digest).toBe(a);
    expect((await src.getManifest('demo/other', '1.0'))?.digest).toBe(b);
    expect(await src.getManifest('demo/web', '2.0')).toBeNull();
    expect(await src.getManifest('demo/web', sha('absent'))).toBeNull();
    expect(await src.getReferrers('demo/web', a)).toBeNull();
  });

  it('refuses bytes that do not hash to their name', async () => {
    const a = sha(manifestA);
    await writeFile(join(dir, 'blobs', 'sha256', a.slice(7)), manifestB);
    await writeIndex([{ digest: a, size: manifestB.length, ref: 'x' }]);
    const src = openOciLayout(dir);
    await expect(src.getManifest('r', a)).rejects.toMatchObject({ kind: 'digest-mismatch' });
    await expect(src.getManifest('r', 'x')).rejects.toMatchObject({ kind: 'digest-mismatch' });
    await expect(src.getBlob('r', a, 1000)).rejects.toMatchObject({ kind: 'digest-mismatch' });
  });

  it('bounds manifests and blobs', async () => {
    const big = Buffer.alloc(5000, 0x61);
    const d = await putBlob(big);
    const src = openOciLayout(dir, { maxManifestBytes: 1000, maxBlobBytes: 4000 });
    await expect(src.getManifest('r', d)).rejects.toMatchObject({ kind: 'limit' });
    await expect(src.getBlob('r', d, 100_000)).rejects.toMatchObject({ kind: 'limit' });
    await expect(src.getBlob('r', d, 10)).rejects.toMatchObject({ kind: 'limit' });
    const ok = openOciLayout(dir);
    expect((await ok.getBlob('r', d, 5000))?.length).toBe(5000);
  });

  it('never builds a path from a malformed digest', async () => {
    await writeFile(join(dir, 'secret'), 'x');
    const src = openOciLayout(dir);
    for (const bad of ['sha256:../../secret', 'sha512:' + 'a'.repeat(128), 'sha256:' + 'A'.repeat(64), 'sha256:abc']) {
      await expect(src.getBlob('r', bad, 100)).rejects.toBeInstanceOf(SourceError);
      await expect(src.getManifest('r', bad)).rejects.toBeInstanceOf(SourceError);
    }
  });

  it('refuses what is not a layout, and a malformed index, as an unreadable source (never a verdict on a signature)', async () => {
    await rm(join(dir, 'oci-layout'));
    await writeIndex([]);
    await expect(openOciLayout(dir).getManifest('r', 'latest')).rejects.toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/is not an OCI image layout/) });
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:../x', size: 1 }] }));
    await expect(openOciLayout(dir).getManifest('r', 'latest')).rejects.toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/digest is not a sha256 digest/) });
  });

  it('checks the size index.json declares for a tag', async () => {
    const a = await putBlob(manifestA);
    await writeIndex([{ digest: a, size: 3, ref: 'v' }]);
    await expect(openOciLayout(dir).getManifest('r', 'v')).rejects.toMatchObject({ kind: 'invalid' });
  });
});
