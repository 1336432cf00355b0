// The compose file for one service (DESIGN 2.2). Built as a plain object and serialised by the
// `yaml` library — never a string template — so no manifest string can add keys, services or
// documents. Every string value has `$` doubled (`$$`) so compose never interpolates it, the image
// is always `repo@sha256:…` (the digest that was checked), and volumes are named volumes only.
import { stringify } from 'yaml';
import { CoreError } from '../errors';
import { isSha256Digest, parseImageReference, pinnedReference } from '../reference/image-reference';
import type { ServiceManifest } from '../store/manifest-schema';
import { assertServiceId } from '../cell/remote-quote';

/** `$` → `$$`: the compose escape, so `${HOME}` or `$(…)` stay literal text. */
export function escapeCompose(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Applies escapeCompose to every string in a plain JSON-like tree (keys are ours and safe). */
function escapeTree(v: unknown): unknown {
  if (typeof v === 'string') return escapeCompose(v);
  if (Array.isArray(v)) return v.map(escapeTree);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeTree(x)]));
  return v;
}

/** The image by digest: `name@sha256:…`, whatever tag the listing carried. */
export function pinnedImage(image: string, digest: string): string {
  if (!isSha256Digest(digest)) throw new CoreError('DIGEST_INVALID', `"${digest}" is not a sha256 digest`);
  const r = parseImageReference(image);
  if (!r.ok) throw new CoreError('REFERENCE_INVALID', `"${image}" is not a valid image reference: ${r.reason}`);
  if (r.ref.digest && r.ref.digest !== digest) {
    throw new CoreError('DIGEST_MISMATCH', `the listing pins ${r.ref.digest} but ${digest} was checked`);
  }
  return pinnedReference(r.ref, digest);
}

interface ComposeDocument {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, Record<string, never>>;
}

/** The compose document as data (tests inspect the structure; composeYaml serialises it). */
export function composeDocument(manifest: ServiceManifest, digest: string): ComposeDocument {
  const id = assertServiceId(manifest.id);
  const service: Record<string, unknown> = {
    image: pinnedImage(manifest.image, digest),
    restart: 'unless-stopped',
    labels: { 'org.pic.service': id, 'org.pic.version': manifest.version, 'org.pic.digest': digest },
  };
  if (manifest.ports?.length) service.ports = manifest.ports.map((p) => `${p.host}:${p.container}/${p.protocol}`);
  if (manifest.environment && Object.keys(manifest.environment).length) service.environment = { ...manifest.environment };
  const doc: ComposeDocument = { services: { [id]: service } };
  if (manifest.volumes?.length) {
    // Long syntax: a container path with ':' cannot be mistaken for another field.
    service.volumes = manifest.volumes.map((v) => ({ type: 'volume', source: v.name, target: v.path }));
    doc.volumes = Object.fromEntries(manifest.volumes.map((v) => [v.name, {}]));
  }
  return escapeTree(doc) as ComposeDocument;
}

/** The YAML text written to `services/<id>/docker-compose.yml`. */
export function composeYaml(manifest: ServiceManifest, digest: string): string {
  const body = stringify(composeDocument(manifest, digest), { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  return `# Written by PIC Store Manager. The image is pinned by digest; do not edit by hand.\n${body}`;
}
