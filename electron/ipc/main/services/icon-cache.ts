/**
 * Remote icons and screenshots fetched by main (DESIGN 2.1, 3.1: size and type limits per kind,
 * no redirects to other schemes) and handed to the renderer as `data:` URLs — one fetch per URL
 * and kind per process; a failed fetch is forgotten so the next request tries again.
 */
import { fetchIconAsDataUrl, type RemoteImageKind } from '../../../core/store/icon-fetch';

export class IconCache {
  private readonly images = new Map<string, Promise<string>>();

  async dataUrl(url: string, kind: RemoteImageKind = 'icon'): Promise<{ dataUrl: string }> {
    const key = `${kind} ${url}`;
    let p = this.images.get(key);
    if (!p) {
      p = fetchIconAsDataUrl(url, { kind });
      this.images.set(key, p);
      p.catch(() => this.images.delete(key));
    }
    return { dataUrl: await p };
  }
}
