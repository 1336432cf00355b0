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
 * fragment, which a connection exchanges for a session. A token seen later (in a process list,
 * in shell history) is already spent; the session lives only in the tab that redeemed it.
 */
export class ShellCredentials {
  private bootstrap: string | null;
  private readonly sessions = new Set<string>();

  constructor(readonly token: string = newSecret()) {
    this.bootstrap = token;
  }

  /** Spends the bootstrap token; returns a new session secret, or null (wrong or used token). */
  redeemToken(candidate: string): string | null {
    if (this.bootstrap === null || !sameSecret(candidate, this.bootstrap)) return null;
    this.bootstrap = null;
    const session = newSecret();
    this.sessions.add(session);
    return session;
  }

  hasSession(candidate: string): boolean {
    for (const s of this.sessions) if (sameSecret(candidate, s)) return true;
    return false;
  }
}
