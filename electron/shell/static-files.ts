import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, posix, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps a request path to a file strictly inside `root` (the built renderer), or null. Refuses
 * encoded or literal `..`, backslashes, NUL, and symlinks that lead outside: the shell serves
 * only the built files (DESIGN 3.2), nothing else on the disk; so does the app:// protocol.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (!decoded.startsWith('/')) return null;
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const rel = posix.normalize(decoded === '/' ? '/index.html' : decoded).replace(/^\/+/, '');
  if (rel === '' || rel.startsWith('..')) return null;
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(join(realRoot, ...rel.split('/')));
  } catch {
    return null;
  }
  if (!real.startsWith(realRoot + sep)) return null;
  const st = await stat(real);
  return st.isFile() ? real : null;
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response: the CSP plus the usual hardening for a local-only app. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/** The renderer's pages are small; anything larger is not one of ours to rewrite. */
const MAX_HTML_BYTES = 1024 * 1024;

/**
 * Serves one GET/HEAD request from the built renderer; anything else is a plain refusal.
 * `rewriteHtml`, when given, transforms .html pages before they are sent (the shell's CSP port).
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, csp: string, rewriteHtml?: (html: string) => string): Promise<void> {
  const headers = securityHeaders(csp);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  const pathname = (req.url ?? '/').split('?')[0]?.split('#')[0] ?? '/';
  const file = await resolveStaticFile(root, pathname).catch(() => null);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const st = await stat(file);
  if (rewriteHtml && extname(file).toLowerCase() === '.html' && st.size <= MAX_HTML_BYTES) {
    const body = Buffer.from(rewriteHtml(await readFile(file, 'utf8')), 'utf8');
    res.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(file), 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(file), 'Content-Length': String(st.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
