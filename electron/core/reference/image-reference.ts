// Container image references, parsed by the Docker/OCI grammar (distribution/reference) with
// Docker Hub normalisation. Verification needs three facts from the string: which registry to
// ask, which repository holds the image (and its signatures), and which digest is pinned.
// Only `sha256:` + 64 lowercase hex counts as a digest (DESIGN 2.3); anything else is refused
// with the reason, so "malformed" is never confused with "unsigned".

export interface ImageReference {
  /** The string as given. */
  original: string;
  /** Registry host[:port] as written, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry (`library/nginx`, `demo/web`). */
  repository: string;
  /** `registry/repository`: the identity signatures and cache entries are keyed by. */
  name: string;
  tag: string | null;
  /** `sha256:<64 hex>` or null for a tag-only reference. */
  digest: string | null;
}

type ReferenceParseResult =
  | { ok: true; ref: ImageReference }
  | { ok: false; reason: string };

const DOCKER_HUB = 'docker.io';
const MAX_NAME_LENGTH = 255;
const MAX_REFERENCE_LENGTH = 1024;

const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:.]+(?:%[a-zA-Z0-9._-]+)?\]$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** True for a well-formed `sha256:<64 lowercase hex>`. */
export function isSha256Digest(s: string): boolean {
  return SHA256_DIGEST.test(s);
}

/** Parses a reference; never throws. */
export function parseImageReference(input: string): ReferenceParseResult {
  const fail = (reason: string): ReferenceParseResult => ({ ok: false, reason });
  if (typeof input !== 'string' || input.length === 0) return fail('the image reference is empty');
  if (input.length > MAX_REFERENCE_LENGTH) return fail(`the image reference is longer than ${MAX_REFERENCE_LENGTH} characters`);
  if (input !== input.trim() || /\s/.test(input)) return fail('the image reference contains whitespace');
  if (/[^\x21-\x7e]/.test(input)) return fail('the image reference contains characters outside printable ASCII');
  if (input.includes('://')) return fail('an image reference has no URL scheme (remove "https://")');

  let rest = input;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (d.includes('@')) return fail('the image reference has more than one "@"');
    if (!ANY_DIGEST.test(d)) return fail(`"${d}" is not a digest (expected sha256:<64 lowercase hex>)`);
    const [alg, hex = ''] = d.split(':');
    if (alg !== 'sha256') return fail(`digest algorithm "${alg}" is not accepted (only sha256)`);
    if (!/^[a-f0-9]*$/.test(hex)) {
      return /^[a-fA-F0-9]*$/.test(hex)
        ? fail('the sha256 digest must be lowercase hex')
        : fail('the sha256 digest contains characters that are not hex');
    }
    if (hex.length !== 64) return fail(`the sha256 digest has ${hex.length} hex characters, expected 64`);
    digest = d;
  }

  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(`"${tag}" is not a valid tag`);
  }
  if (rest.length === 0) return fail('the image reference has no repository name');

  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[') || first !== first.toLowerCase())) {
    const hostErr = checkRegistryHost(first);
    if (hostErr) return fail(hostErr);
    registry = first;
    parts.shift();
  }
  for (const p of parts) {
    if (p.length === 0) return fail('the repository path has an empty component');
    if (!PATH_COMPONENT.test(p)) {
      return p !== p.toLowerCase()
        ? fail(`repository component "${p}" must be lowercase`)
        : fail(`repository component "${p}" has characters the reference grammar does not allow`);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  const name = `${registry}/${repository}`;
  if (name.length > MAX_NAME_LENGTH) return fail(`the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  return { ok: true, ref: { original: input, registry, repository, name, tag, digest } };
}

/** Why `host` (`name` or `name:port`, as written in a reference) cannot name a registry, or null. */
export function checkRegistryHost(host: string): string | null {
  return checkHostGrammar(host) ?? checkHostAsUrl(host);
}

/**
 * The registry is reached at `https://<host>`: a host the WHATWG URL parser refuses
 * (`example.123`, `256.1.1.1`, `1.2.3.4.5`, `[1:2]`, IPv6 zones) or rewrites into another
 * host (`127.1` → `127.0.0.1`, `0x7f.0.0.1`) is not a registry we can name unambiguously.
 */
function checkHostAsUrl(host: string): string | null {
  let url: URL;
  try {
    url = new URL(`https://${host}`);
  } catch {
    return `registry host "${host}" is not a valid host name or address`;
  }
  const portAt = host.startsWith('[') ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
  const name = (portAt >= 0 ? host.slice(0, portAt) : host).toLowerCase();
  const port = portAt >= 0 ? Number(host.slice(portAt + 1)) : null;
  if (url.hostname !== name || url.username || url.password || url.pathname !== '/') {
    return `registry host "${host}" would be read as "${url.hostname}"; write the registry host as it is reached`;
  }
  if (port !== null && Number(url.port || 443) !== port) return `registry port in "${host}" is not a valid port`;
  return null;
}

function checkHostGrammar(host: string): string | null {
  let h = host;
  const ipv6 = h.startsWith('[');
  if (ipv6) {
    const end = h.indexOf(']');
    if (end < 0) return `registry host "${host}" has an unclosed "["`;
    const port = h.slice(end + 1);
    if (port && !/^:[0-9]{1,5}$/.test(port)) return `registry port in "${host}" is not a number`;
    if (!IPV6_HOST.test(h.slice(0, end + 1))) return `registry host "${host}" is not a valid IPv6 address`;
    return null;
  }
  const c = h.indexOf(':');
  if (c >= 0) {
    const port = h.slice(c + 1);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0) return `registry port "${port}" is not a valid port`;
    h = h.slice(0, c);
  }
  if (!h.split('.').every((d) => DOMAIN_COMPONENT.test(d))) return `registry host "${host}" is not a valid host name`;
  return null;
}

/** `name@digest`, the form every install and signature lookup uses. */
export function pinnedReference(ref: ImageReference, digest: string): string {
  return `${ref.name}@${digest}`;
}

/** Host part without port, lowercased, brackets removed (for loopback checks). */
export function registryHostname(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']')).toLowerCase();
  const c = registry.lastIndexOf(':');
  return (c >= 0 ? registry.slice(0, c) : registry).toLowerCase();
}

/** The host the distribution API is reached at (Docker Hub's API lives elsewhere). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
