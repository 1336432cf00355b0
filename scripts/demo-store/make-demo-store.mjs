#!/usr/bin/env node
// Builds the embedded demo store (config/demo-store/): a few tiny images in an OCI image layout,
// signed with REAL cosign under a demo key generated fresh on every run. Only the public half
// is kept; the private key lives in a temp dir that is deleted before the script exits.
//
//   node scripts/demo-store/make-demo-store.mjs [--out DIR | DIR]     (default: config/demo-store)
//
// How: start a throwaway docker-registry on 127.0.0.1:5000 (the images are named
// localhost:5000/…, the conventional local-registry name, so the signatures' docker-reference
// matches the store's image references), push the images, sign them with cosign (classic, and
// one `attest --new-bundle-format --type https://sigstore.dev/cosign/sign/v1`), then copy
// images, `.sig` tags, `sha256-<hex>` fallback indexes, referrer manifests and bundle blobs
// into an OCI layout with `org.opencontainers.image.ref.name` annotations `repo:tag`. Finally the
// index is published as a signed TUF directory store (sign-demo-store.mjs, throwaway keys).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { EXPECTED, SERVICES } from './demo-services.mjs';
import { signDemoStore } from './sign-demo-store.mjs';
import { demoAssets } from './demo-assets.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The output directory: `--out DIR` (or `--out=DIR`), a bare DIR, else the committed config/demo-store. */
function outDir(args) {
  let out = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') {
      if (args[i + 1] === undefined) throw new Error('--out needs a directory');
      out = args[++i];
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a} (usage: make-demo-store.mjs [--out DIR])`);
    else if (out === null) out = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (out === '') throw new Error('--out needs a directory');
  return resolve(out ?? join(HERE, '..', '..', 'config', 'demo-store'));
}

const PORT = 5000;
const HOST = `localhost:${PORT}`;
const REG = `http://127.0.0.1:${PORT}`;
const COSIGN =
  process.env.PIC_TESTBED_COSIGN ||
  join(process.env.PIC_TESTBED_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pic-store-testbed'), 'cosign', 'usr', 'bin', 'cosign');
const SIGN_TYPE = 'https://sigstore.dev/cosign/sign/v1';

const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A one-file ustar archive, deterministic (mtime 0, root-owned). */
function tarOneFile(name, content) {
  const body = Buffer.from(content);
  const h = Buffer.alloc(512, 0);
  const put = (s, off, len) => h.write(s, off, len, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(body.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512, 0);
  return Buffer.concat([h, body, pad, Buffer.alloc(1024, 0)]);
}

async function pushBlob(repo, bytes) {
  const digest = sha(bytes);
  const head = await fetch(`${REG}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return digest;
  const start = await fetch(`${REG}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start ${repo}: ${start.status}`);
  const loc = new URL(start.headers.get('location'), REG);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`upload ${repo} ${digest}: ${put.status}`);
  return digest;
}

async function pushImage(repo, tag, fileName, text) {
  const raw = tarOneFile(fileName, text);
  const layer = gzipSync(raw, { level: 9 });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/cat', `/${fileName}`] },
      rootfs: { type: 'layers', diff_ids: [sha(raw)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await pushBlob(repo, config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await pushBlob(repo, layer), size: layer.length }],
    }),
  );
  const res = await fetch(`${REG}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (res.status !== 201) throw new Error(`push ${repo}:${tag}: ${res.status}`);
  return sha(manifest);
}

const ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function getManifest(repo, ref) {
  const res = await fetch(`${REG}/v2/${repo}/manifests/${ref}`, { headers: { accept: ACCEPT } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`manifest ${repo}:${ref}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, digest: sha(bytes), doc: JSON.parse(bytes.toString('utf8')) };
}

async function getBlob(repo, digest) {
  const res = await fetch(`${REG}/v2/${repo}/blobs/${digest}`);
  if (!res.ok) throw new Error(`blob ${repo} ${digest}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (sha(bytes) !== digest) throw new Error(`blob ${digest} does not match its digest`);
  return bytes;
}

function cosign(home, args, env = {}) {
  execFileSync(COSIGN, args, {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, COSIGN_PASSWORD: 'demo', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
}

/** Copies a manifest (and, recursively, what it names) from the registry into the layout. */
async function copyManifestTree(layout, repo, m, depth = 0) {
  if (depth > 3) throw new Error('manifest nesting too deep');
  writeBlob(layout, m.bytes);
  const doc = m.doc;
  if (doc.config?.digest) writeBlob(layout, await getBlob(repo, doc.config.digest));
  for (const l of doc.layers ?? []) writeBlob(layout, await getBlob(repo, l.digest));
  for (const child of doc.manifests ?? []) {
    const c = await getManifest(repo, child.digest);
    if (c) await copyManifestTree(layout, repo, c, depth + 1);
  }
}

function writeBlob(layout, bytes) {
  writeFileSync(join(layout, 'blobs', 'sha256', sha(bytes).slice(7)), bytes);
}

/**
 * The images are named localhost:5000/… so the port is fixed. If something already listens
 * there, the pushes would go to it (and the readiness probe would believe it is ours): refuse.
 */
function assertPortFree() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', (e) =>
      fail(new Error(e.code === 'EADDRINUSE' ? `127.0.0.1:${PORT} is in use; the demo images are named ${HOST}/…, so stop what listens there first` : `cannot listen on 127.0.0.1:${PORT}: ${e.message}`)),
    );
    probe.listen(PORT, '127.0.0.1', () => probe.close(() => ok()));
  });
}

async function main() {
  const OUT = outDir(process.argv.slice(2));
  if (!existsSync(COSIGN)) throw new Error(`cosign not found at ${COSIGN} (run scripts/testbed/install-deps.sh)`);
  await assertPortFree();
  const tmp = mkdtempSync(join(tmpdir(), 'pic-demo-store-'));
  let registry = null;
  try {
    const data = join(tmp, 'regdata');
    mkdirSync(data);
    writeFileSync(
      join(tmp, 'reg.yml'),
      `version: 0.1\nlog: { level: warn, accesslog: { disabled: true } }\nstorage: { filesystem: { rootdirectory: ${data} } }\nhttp: { addr: 127.0.0.1:${PORT} }\n`,
    );
    registry = spawn('docker-registry', ['serve', join(tmp, 'reg.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let regErr = '';
    registry.stderr.on('data', (d) => (regErr += d));
    let up = false;
    for (let i = 0; i < 50 && !up; i++) {
      await sleep(100);
      if (registry.exitCode !== null) throw new Error(`docker-registry exited: ${regErr}`);
      up = await fetch(`${REG}/v2/`).then((r) => r.ok, () => false);
    }
    if (!up) throw new Error('the temporary registry did not come up within 5 s');

    // Keys: the demo key (public half kept) and a stranger's key (both halves discarded).
    const demoHome = join(tmp, 'demo');
    const otherHome = join(tmp, 'other');
    mkdirSync(demoHome);
    mkdirSync(otherHome);
    cosign(demoHome, ['generate-key-pair']);
    cosign(otherHome, ['generate-key-pair']);
    writeFileSync(join(demoHome, 'pred.json'), '{}');

    const digests = {};
    for (const s of SERVICES) {
      digests[s.id] = await pushImage(`demo/${s.id}`, '1.0', `srv/${s.id}.txt`, `${s.name}: a PIC demo store image.\n`);
    }
    const ref = (s) => `${HOST}/demo/${s.id}@${digests[s.id]}`;
    const classic = (home, s) => cosign(home, ['sign', '-y', '--key', 'cosign.key', '--tlog-upload=false', ref(s)]);
    for (const s of SERVICES) {
      if (s.kind === 'verified' || s.kind === 'tag-only') classic(demoHome, s);
      if (s.kind === 'other-key') classic(otherHome, s);
      if (s.kind === 'bundle') {
        cosign(demoHome, ['attest', '-y', '--new-bundle-format', '--key', 'cosign.key', '--tlog-upload=false', '--type', SIGN_TYPE, '--predicate', 'pred.json', ref(s)]);
      }
    }

    // The OCI layout, written fresh.
    const layout = join(OUT, 'oci');
    rmSync(layout, { recursive: true, force: true });
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const entries = [];
    const addTag = (repo, tag, m) =>
      entries.push({
        mediaType: m.doc.mediaType,
        digest: m.digest,
        size: m.bytes.length,
        annotations: { 'org.opencontainers.image.ref.name': `${repo}:${tag}` },
      });
    const donor = SERVICES.find((s) => s.kind === 'verified');
    for (const s of SERVICES) {
      const repo = `demo/${s.id}`;
      const hex = digests[s.id].slice(7);
      const image = await getManifest(repo, '1.0');
      await copyManifestTree(layout, repo, image);
      addTag(repo, '1.0', image);
      // The transplant: the donor's valid signature, attached under this image's .sig tag.
      const sig =
        s.kind === 'transplant'
          ? { repo: `demo/${donor.id}`, m: await getManifest(`demo/${donor.id}`, `sha256-${digests[donor.id].slice(7)}.sig`) }
          : { repo, m: await getManifest(repo, `sha256-${hex}.sig`) };
      if (sig.m) {
        await copyManifestTree(layout, sig.repo, sig.m);
        addTag(repo, `sha256-${hex}.sig`, sig.m);
      }
      const referrers = await getManifest(repo, `sha256-${hex}`);
      if (referrers) {
        await copyManifestTree(layout, repo, referrers);
        addTag(repo, `sha256-${hex}`, referrers);
      }
    }
    writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: entries }, null, 1) + '\n');

    const services = SERVICES.map(({ kind, ...s }) => ({
      id: s.id,
      name: s.name,
      version: '1.0',
      image: kind === 'tag-only' ? `${HOST}/demo/${s.id}:1.0` : `${HOST}/demo/${s.id}@${digests[s.id]}`,
      tagline: s.tagline,
      description: s.description,
      category: s.category,
      developer: { name: 'PIC demo', url: 'https://example.org/pic-demo' },
      ...(s.ports ? { ports: s.ports } : {}),
      ...(s.environment ? { environment: s.environment } : {}),
      ...(s.volumes ? { volumes: s.volumes } : {}),
      ...demoAssets(s),
    }));
    writeFileSync(join(OUT, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'PIC Demo Store', ociLayout: 'oci', services }, null, 2) + '\n');
    writeFileSync(join(OUT, 'expected.json'), JSON.stringify(Object.fromEntries(SERVICES.map((s) => [s.id, EXPECTED[s.kind]])), null, 2) + '\n');
    writeFileSync(join(OUT, 'cosign.pub'), readFileSync(join(demoHome, 'cosign.pub')));
    const pub = readFileSync(join(OUT, 'cosign.pub'), 'utf8');
    if (!pub.includes('BEGIN PUBLIC KEY') || pub.includes('PRIVATE')) throw new Error('the demo key written is not a public key');
    // The listing itself signed too (DESIGN 2.7), with throwaway TUF keys discarded after signing.
    signDemoStore(OUT);
    console.log(`demo store written to ${OUT} (${SERVICES.length} services, ${entries.length} tags)`);
  } finally {
    if (registry && registry.exitCode === null) registry.kill('SIGTERM');
    // Discards both private keys with everything else.
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`make-demo-store: ${e.message}`);
  process.exitCode = 1;
});
