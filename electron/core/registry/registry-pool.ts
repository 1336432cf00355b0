import { RegistrySource } from './registry-source';
import type { ImageReference } from '../reference/image-reference';
import type { SourceProvider } from '../verification/verify-image';

/**
 * One registry source per registry host, created on first use and closed together: the
 * composition used by the CLI, the store verifier and the integration tests.
 */
export class RegistrySourcePool {
  private readonly sources = new Map<string, RegistrySource>();
  constructor(private readonly make: (registry: string) => RegistrySource) {}

  readonly provider: SourceProvider = (ref: ImageReference) => {
    let s = this.sources.get(ref.registry);
    if (!s) {
      s = this.make(ref.registry);
      this.sources.set(ref.registry, s);
    }
    return s;
  };

  close(): void {
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
  }
}
