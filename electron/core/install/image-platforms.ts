import type { ImageSource } from '../source/image-source';

/**
 * The platforms an image offers, read at the verified digest: an index lists its children's
 * platforms; a single manifest's config names its architecture. Used only for the pre-flight's
 * "cell CPU vs image" line, so any failure is "unknown", never an error.
 */
export async function imagePlatforms(source: ImageSource, repository: string, digest: string, signal?: AbortSignal): Promise<string[] | null> {
  try {
    const m = await source.getManifest(repository, digest, signal);
    if (!m) return null;
    const doc = JSON.parse(m.bytes.toString('utf8')) as { manifests?: { platform?: { architecture?: string; os?: string; variant?: string } }[]; config?: { digest?: string } };
    if (Array.isArray(doc.manifests)) {
      const out = doc.manifests
        .map((x) => x.platform)
        .filter((p): p is { architecture: string; os?: string; variant?: string } => !!p && typeof p.architecture === 'string' && p.architecture !== 'unknown')
        .map((p) => `${p.os ?? 'linux'}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`);
      return [...new Set(out)].slice(0, 64);
    }
    if (doc.config?.digest) {
      const cfg = await source.getBlob(repository, doc.config.digest, 1024 * 1024, signal);
      if (!cfg) return null;
      const c = JSON.parse(cfg.toString('utf8')) as { architecture?: unknown; os?: unknown; variant?: unknown };
      if (typeof c.architecture !== 'string') return null;
      return [`${typeof c.os === 'string' ? c.os : 'linux'}/${c.architecture}${typeof c.variant === 'string' ? `/${c.variant}` : ''}`];
    }
    return null;
  } catch {
    return null;
  }
}
