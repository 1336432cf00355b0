import type { InstalledListing } from '../cell/installed-inventory';

/**
 * The Open action (DESIGN 2.9, 3.1): a service whose installed listing publishes a `tcp` port is
 * opened at `http://<cell host>:<host port>/` — the host always the cell profile's (never anything
 * a listing says), the port its first tcp port. Main opens only URLs this module allows: plain
 * http to a configured cell's host and a port that cell's installed services publish.
 */
export interface OpenTarget {
  url: string;
  host: string;
  port: number;
}

/** The host part of a profile destination (`user@host`, `host`, `user@[::1]`); `hostName` (from `ssh -G`) wins for a Host alias. */
export function cellWebHost(destination: string, hostName?: string | null): string | null {
  const raw = (hostName ?? destination.slice(destination.lastIndexOf('@') + 1)).trim();
  const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (!host || !/^[A-Za-z0-9.:-]+$/.test(host) || host.startsWith('-')) return null;
  return host;
}

/** The address to open, or null when the listing publishes no tcp port or the host is not usable. */
export function openTarget(destination: string, listing: Pick<InstalledListing, 'ports'> | null | undefined, hostName?: string | null): OpenTarget | null {
  const host = cellWebHost(destination, hostName);
  const port = listing?.ports.find((p) => p.protocol === 'tcp')?.host;
  if (!host || !port) return null;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`, host, port };
}

/**
 * Whether main may open `url` for Open: http, no credentials, and host:port equal to one of the
 * targets built from the configured cells' inventories. Anything else is refused.
 */
export function isAllowedOpenUrl(url: string, targets: readonly OpenTarget[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || u.username || u.password) return false;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = Number(u.port || 80);
  return targets.some((t) => t.host.toLowerCase() === host.toLowerCase() && t.port === port);
}
