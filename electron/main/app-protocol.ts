/*
 * The `app://` protocol that serves the built renderer to the window (DESIGN 3.1; Electron
 * security checklist #18,
 * https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 * A `file:` page may read any file the user can, and with the GrantFileProtocolExtraPrivileges
 * fuse off it would lose what it needs anyway; this handler answers only for files inside
 * dist/renderer, and sends the CSP as a response header too (checklist #7,
 * https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy).
 */
import { protocol, type Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { rendererCsp } from '../shell/csp';
import { contentTypeOf, resolveStaticFile, securityHeaders } from '../shell/static-files';
import { APP_HOST, APP_SCHEME } from './app-url';

/** Electron's page needs no connection at all (its IPC is not a fetch): the meta's own `'none'`. */
export const APP_CSP = rendererCsp("'none'");

/**
 * The scheme's privileges: standard (a real origin, so 'self' and relative URLs work) and
 * secure (a secure context, like https). No CORS, no service workers, no CSP bypass.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
} as const;

/** Must run before the app is ready: Electron accepts privileged schemes only then. */
export function registerAppScheme(target: Pick<Protocol, 'registerSchemesAsPrivileged'> = protocol): void {
  target.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

const refusal = (status: number, text: string): Response =>
  new Response(`${text}\n`, { status, headers: { ...securityHeaders(APP_CSP), 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * The handler: GET/HEAD of app://pic-store/<path> for a file strictly inside `rendererDir`
 * (the same path checks as the shell: no `..`, no encoded escapes, no symlink out); anything
 * else is a plain refusal.
 */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refusal(400, 'bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refusal(404, 'not found');
    const file = await resolveStaticFile(rendererDir, url.pathname).catch(() => null);
    if (!file) return refusal(404, 'not found');
    const body = await readFile(file);
    const headers = { ...securityHeaders(APP_CSP), 'Content-Type': contentTypeOf(file), 'Content-Length': String(body.length) };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}

/** Serves dist/renderer under app:// (after ready). */
export function serveAppProtocol(rendererDir: string, target: Pick<Protocol, 'handle'> = protocol): void {
  target.handle(APP_SCHEME, appProtocolHandler(rendererDir));
}
