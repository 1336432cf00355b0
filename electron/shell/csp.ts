/**
 * The Content-Security-Policy sent as a header with the built renderer, by the shell and by the
 * Electron app's `app://` protocol. It repeats renderer/index.html's meta policy (DESIGN 3.1)
 * with the given `connect-src`; the header also carries what a meta tag cannot
 * (`frame-ancestors`).
 */
export function rendererCsp(connectSrc: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The shell's header: `connect-src` opened to this server's own WebSocket only. */
export function shellCsp(port: number): string {
  return rendererCsp(`ws://127.0.0.1:${port}`);
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
