// The only URLs the app ever hands to the operating system: absolute `https:` URLs without
// credentials (https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content).
// Everything else — `file:`, `javascript:`, custom schemes, `http:` — is refused.
import { CoreError } from './errors';

export function parseExternalUrl(raw: string): URL {
  if (raw.length > 2048) throw new CoreError('URL_NOT_ALLOWED', 'the link is too long to open');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CoreError('URL_NOT_ALLOWED', 'the link is not a valid absolute URL');
  }
  if (url.protocol !== 'https:') throw new CoreError('URL_NOT_ALLOWED', `only https: links are opened (this one is ${url.protocol})`);
  if (url.username || url.password) throw new CoreError('URL_NOT_ALLOWED', 'links carrying credentials are not opened');
  return url;
}
