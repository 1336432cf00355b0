// Remote service icons and screenshots (DESIGN 2.1) are fetched by main (DESIGN 3.1) and handed
// to the renderer as `data:` URLs, so the renderer never makes a network request. Only `https:`
// URLs, no redirects at all (so no scheme change), a byte limit, and only the types the manifest
// allows for that kind as recognised from the bytes — PNG/WebP/SVG for icons, PNG/WebP for
// screenshots; a server's Content-Type is not trusted. SVG is only ever shown through `<img>`.
import { CoreError, errorMessage } from '../errors';
import { createAgents, destroyAgents, httpRequest, type HttpAgents } from '../registry/http-transport';

export const MAX_ICON_BYTES = 256 * 1024;
export const MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024;

/** What is fetched: the manifest's `icon`, or one of its `screenshots`. */
export type RemoteImageKind = 'icon' | 'screenshot';

const KINDS: Record<RemoteImageKind, { maxBytes: number; types: readonly IconType[]; accept: string; words: string }> = {
  icon: { maxBytes: MAX_ICON_BYTES, types: ['image/png', 'image/webp', 'image/svg+xml'], accept: 'image/png, image/webp, image/svg+xml', words: 'a PNG, WebP or SVG image' },
  screenshot: { maxBytes: MAX_SCREENSHOT_BYTES, types: ['image/png', 'image/webp'], accept: 'image/png, image/webp', words: 'a PNG or WebP image' },
};

type IconType = 'image/png' | 'image/webp' | 'image/svg+xml';

/** Recognises the image type from its first bytes; null for anything else. */
export function sniffIconType(bytes: Buffer): IconType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  const head = bytes.subarray(0, 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return null;
}

interface IconFetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  agents?: HttpAgents;
  /** Tests serve icons over loopback http; production only ever passes https URLs. */
  allowLoopbackHttp?: boolean;
  /** Icon (the default) or screenshot: which types and how many bytes are accepted. */
  kind?: RemoteImageKind;
}

export async function fetchIconAsDataUrl(raw: string, opts: IconFetchOptions = {}): Promise<string> {
  const kind = opts.kind ?? 'icon';
  const rules = KINDS[kind];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CoreError('ICON_REFUSED', `the ${kind} is not a valid URL`);
  }
  const loopbackHttp = opts.allowLoopbackHttp && url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) throw new CoreError('ICON_REFUSED', `${kind}s are fetched only over https (this one is ${url.protocol})`);
  if (url.username || url.password) throw new CoreError('ICON_REFUSED', `${kind} URLs carrying credentials are refused`);
  const maxBytes = opts.maxBytes ?? rules.maxBytes;
  const agents = opts.agents ?? createAgents(4);
  try {
    const res = await httpRequest({ url, headers: { Accept: rules.accept, 'User-Agent': 'pic-store-manager' }, maxBytes, timeoutMs: opts.timeoutMs ?? 10_000 }, agents);
    if (res.status !== 200) throw new CoreError('ICON_UNAVAILABLE', `${url.host} answered HTTP ${res.status} for the ${kind} (redirects are not followed)`);
    const type = sniffIconType(res.body);
    if (!type || !rules.types.includes(type)) throw new CoreError('ICON_REFUSED', `the ${kind} is not ${rules.words}`);
    return `data:${type};base64,${res.body.toString('base64')}`;
  } catch (e) {
    if (e instanceof CoreError && (e.code === 'ICON_REFUSED' || e.code === 'ICON_UNAVAILABLE')) throw e;
    throw new CoreError('ICON_UNAVAILABLE', `cannot fetch the ${kind}: ${errorMessage(e)}`);
  } finally {
    if (!opts.agents) destroyAgents(agents);
  }
}
