/**
 * The Content-Security-Policy the shell sends as a header. It repeats renderer/index.html's meta
 * policy (DESIGN 3.1) with `connect-src` opened to this server's own WebSocket only; the header
 * also carries what a meta tag cannot (`frame-ancestors`).
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

const META_CONNECT_NONE = /(<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*?\bconnect-src )'none'/i;

/**
 * The built index.html allows no connection (`connect-src 'none'`: in Electron no WebSocket is
 * needed). A browser enforces the meta policy AND the header, so the shell serves the page with
 * the meta's `connect-src` rewritten to its own WebSocket, exactly as the header says — and
 * nothing else in the page changes.
 */
export function shellHtml(html: string, port: number): string {
  return html.replace(META_CONNECT_NONE, `$1ws://127.0.0.1:${port}`);
}
