// Every Electron security guard of the app, in one place (DESIGN 3.1), each citing by URL anchor
// the item of the Electron security checklist it implements:
// https://www.electronjs.org/docs/latest/tutorial/security
// The window options (context isolation, sandbox, no Node integration) live in the one window
// factory, window.ts; the CSP in renderer/index.html and as a header in app-protocol.ts
// (https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy),
// with the app:// protocol itself; the sender check in ipc-main-transport.ts; the fuses in
// electron-builder.yml.
import { app, session, shell, type Session, type WebContents } from 'electron';
import { parseExternalUrl } from '../core/external-url';

interface GuardOptions {
  isAppUrl: (url: string) => boolean;
  /** Development builds only (`!app.isPackaged`): otherwise DevTools are closed if anything opens them. */
  devTools?: boolean;
}

/**
 * Parsed https: URLs only.
 * https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
export async function openExternalSafely(raw: string): Promise<boolean> {
  let url: URL;
  try {
    url = parseExternalUrl(raw);
  } catch {
    return false;
  }
  await shell.openExternal(url.href);
  return true;
}

/**
 * An installed service's address (the Open action): main's updates service already checked it is
 * plain http to a configured cell's host and a port that cell publishes (isAllowedOpenUrl); this
 * re-checks the scheme and that no credentials ride along before handing it to the OS.
 * https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
export async function openServiceAddress(url: URL): Promise<boolean> {
  if (url.protocol !== 'http:' || url.username || url.password) return false;
  await shell.openExternal(url.href);
  return true;
}

/** The guards for one WebContents (the window, and anything it might try to create). */
export function guardWebContents(contents: WebContents, opts: GuardOptions): void {
  // Always deny; an https link goes to the browser.
  // https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url);
    return { action: 'deny' };
  });
  // The window never leaves the app's own page.
  // https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
  const blockForeign = (event: { preventDefault(): void }, url: string): void => {
    if (!opts.isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => blockForeign(event, event.url));
  contents.on('will-redirect', (event) => blockForeign(event, event.url));
  // The app uses no <webview>, so none attaches.
  // https://www.electronjs.org/docs/latest/tutorial/security#12-verify-webview-options-before-creation
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // DESIGN 3.1, DevTools only in development builds: the window's devTools webPreference is off
  // in a packaged app already; should anything open them anyway, they are closed at once.
  if (!opts.devTools) contents.on('devtools-opened', () => contents.closeDevTools());
}

/**
 * Everything is denied, except the app's own page writing to the clipboard (the Trust panel's
 * copy-fingerprint button).
 * https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function permissionRequestHandler(opts: GuardOptions) {
  return (_wc: WebContents, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }): void => {
    callback(permission === 'clipboard-sanitized-write' && opts.isAppUrl(details.requestingUrl ?? ''));
  };
}

/** Same policy for synchronous permission checks. */
export function permissionCheckHandler(opts: GuardOptions) {
  return (_wc: WebContents | null, permission: string, _origin: string, details: { requestingUrl?: string }): boolean =>
    permission === 'clipboard-sanitized-write' && opts.isAppUrl(details.requestingUrl ?? '');
}

/** Installs the guards app-wide: on every WebContents ever created, and on the default session. */
export function installSecurityGuards(opts: GuardOptions, target: Session = session.defaultSession): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, opts));
  target.setPermissionRequestHandler(permissionRequestHandler(opts));
  target.setPermissionCheckHandler(permissionCheckHandler(opts));
}
