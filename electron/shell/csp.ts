/**
 * The Content-Security-Policy the shell sends as a header. It repeats renderer/index.html's meta
 * policy (DESIGN 3.1) and narrows `connect-src` to this server's own WebSocket; the header also
 * carries what a meta tag cannot (`frame-ancestors`, `base-uri`, `form-action`).
 */
export function shellCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
