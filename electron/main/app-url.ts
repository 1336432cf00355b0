/*
 * The app page's address. The window shows the built renderer from the privileged `app://`
 * custom protocol, never from `file:` (Electron security checklist #18,
 * https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 */
export const APP_SCHEME = 'app';
/** The one host under app://: a standard scheme needs one, and anything else is not ours. */
export const APP_HOST = 'pic-store';

/** `app://pic-store/index.html`, the only page the window ever shows. */
export function appIndexUrl(): URL {
  return new URL(`${APP_SCHEME}://${APP_HOST}/index.html`);
}

/**
 * Whether a URL is the app's own page: app://pic-store/index.html (hash and query ignored); a
 * `file:` URL, another host or another page is not. Used by the navigation guard, the
 * permission handlers and every IPC sender check (checklist #17,
 * https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages).
 */
export function isAppUrl(raw: string | undefined | null, index: URL = appIndexUrl()): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === index.protocol && url.host === index.host && url.username === '' && url.password === '' && url.port === '' && url.pathname === index.pathname;
}
