import { pathToFileURL } from 'node:url';

/** The `file:` URL of the built renderer's index.html, the only page the window ever shows. */
export function appIndexUrl(indexHtmlPath: string): URL {
  return pathToFileURL(indexHtmlPath);
}

/**
 * Whether a URL is the app's own page: the same `file:` path as index.html (hash and query
 * ignored). Used by the navigation guard and by every IPC sender check.
 */
export function isAppUrl(raw: string | undefined | null, index: URL): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === index.protocol && url.host === index.host && decodeURIComponent(url.pathname) === decodeURIComponent(index.pathname);
}
