import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits, URL-safe: fits a URL fragment and a WebSocket subprotocol token. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The shell's credentials (DESIGN 3.2): one single-use bootstrap token, printed in the URL
 * fragment, which a connection exchanges for a session. The session travels only in an
 * HttpOnly, SameSite=Strict cookie (see sessionCookie), so every tab of the browser profile that
 * redeemed the token shares it, and no page script can read it.
 */
export class ShellCredentials {
  private bootstrap: string | null;
  private readonly sessions = new Set<string>();

  /** `onRedeemed` runs once, when the token is spent (the shell then removes its hand-over file). */
  constructor(
    readonly token: string = newSecret(),
    private readonly onRedeemed?: () => void,
  ) {
    this.bootstrap = token;
  }

  /** Spends the bootstrap token; returns a new session secret, or null (wrong or used token). */
  redeemToken(candidate: string): string | null {
    if (this.bootstrap === null || !sameSecret(candidate, this.bootstrap)) return null;
    this.bootstrap = null;
    this.onRedeemed?.();
    const session = newSecret();
    this.sessions.add(session);
    return session;
  }

  hasSession(candidate: string): boolean {
    for (const s of this.sessions) if (sameSecret(candidate, s)) return true;
    return false;
  }
}

/**
 * The session cookie's name. Cookies are scoped by host, not port, so the port is in the name:
 * two shells on 127.0.0.1 never overwrite each other's session.
 */
export const sessionCookieName = (port: number): string => `pic-store-shell-${port}`;

/** `Set-Cookie` for a session: host-only, a browser-session cookie, unreadable by scripts. */
export function sessionCookie(port: number, session: string): string {
  return `${sessionCookieName(port)}=${session}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The session offered in a request's `Cookie` header for this port, if any. */
export function sessionFromCookie(header: string | undefined, port: number): string | null {
  const name = sessionCookieName(port);
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
