// The plain-http policy (DESIGN 2.3), apart from the registry client so the store, the stores
// list and the cell's cosign apply the same rule: https everywhere, plain http only to loopback
// or to a host an admin listed, and never a redirect from https down to http.
import { registryApiHost, registryHostname } from '../reference/image-reference';
import { SourceError } from '../source/image-source';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Whether plain http may be spoken to `host` (a URL's or a reference's `name[:port]`), DESIGN
 * 2.3: loopback always; any other host only if an admin listed it, as `name:port` (that port)
 * or `name` (any port). Everything else is https-only.
 */
export function plainHttpAllowed(host: string, listed: readonly string[] = []): boolean {
  const h = host.toLowerCase();
  const name = registryHostname(h);
  if (isLoopbackHost(name)) return true;
  return listed.some((entry) => {
    const e = entry.toLowerCase();
    return e === h || e === name;
  });
}

/** The URL the distribution API of `registry` is reached at: https unless plainHttpAllowed. */
export function registryBaseUrl(registry: string, insecureHosts: readonly string[] = []): URL {
  const apiHost = registryApiHost(registry);
  const scheme = plainHttpAllowed(apiHost, insecureHosts) ? 'http' : 'https';
  try {
    return new URL(`${scheme}://${apiHost}`);
  } catch {
    throw new SourceError('invalid', `registry host "${registry}" cannot be reached as a URL`);
  }
}

/**
 * Why a redirect from `from` to `to` must not be followed, or null (DESIGN 2.3): only http(s),
 * never https → http, and plain http only where plainHttpAllowed.
 */
export function redirectRefusal(from: URL, to: URL, insecureHosts: readonly string[] = []): string | null {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `redirected to a ${to.protocol} URL; refused`;
  if (from.protocol === 'https:' && to.protocol === 'http:') return `redirected from https to plain http (${to.host}); refused`;
  if (to.protocol === 'http:' && !plainHttpAllowed(to.host, insecureHosts)) return `redirected to plain http on ${to.host}, which is not loopback or an allowed host; refused`;
  return null;
}
