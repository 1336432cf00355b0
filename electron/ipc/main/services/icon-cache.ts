/**
 * Remote icons fetched by main (DESIGN 3.1: size and type limits, no redirects to other schemes)
 * and handed to the renderer as `data:` URLs — one fetch per URL per process; a failed fetch is
 * forgotten so the next request tries again.
 */
import { fetchIconAsDataUrl } from '../../../core/store/icon-fetch';

export class IconCache {
  private readonly icons = new Map<string, Promise<string>>();

  async dataUrl(url: string): Promise<{ dataUrl: string }> {
    let p = this.icons.get(url);
    if (!p) {
      p = fetchIconAsDataUrl(url);
      this.icons.set(url, p);
      p.catch(() => this.icons.delete(url));
    }
    return { dataUrl: await p };
  }
}
