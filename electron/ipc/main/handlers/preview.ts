import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { CoreError } from '../../../core/errors';
import { verifyForPreview } from '../../../core/preview/preview-verify';
import { readListing, type ListingPreview } from '../../../core/preview/read-listing';
import type { ListingPreviewView } from '../../contract/channels/preview';
import { serviceView } from '../services/service-view';
import { watchListing, type ListingWatch } from '../../../core/preview/watch-listing';
import { readPlainHttpRegistries } from '../../../core/store/stores-config';
import { loadTrustRoot } from '../../../core/trust/trust-root';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

const absolutePath = z.string().min(1).max(4096).refine((p) => isAbsolute(p) && !p.includes('\0'), 'must be an absolute path');

function listingView(listing: ListingPreview): ListingPreviewView {
  return { ...listing, services: listing.services.map(serviceView) };
}

/**
 * Handlers of the `preview` domain. One listing is watched at a time (the preview view shows
 * one); opening another replaces the watch. The file is always (re-)read here in main.
 */
export function registerPreviewHandlers(router: IpcRouter, services: AppServices): void {
  let watching: { path: string; watch: ListingWatch } | null = null;

  router.handle('preview:open', {
    args: z.object({ path: absolutePath }).strict(),
    run: async ({ path }) => {
      if (watching?.path !== path) {
        watching?.watch.close();
        watching = { path, watch: watchListing(path, () => void readListing(path).then((p) => router.emit('preview:changed', listingView(p)))) };
      }
      return listingView(await readListing(path));
    },
  });

  router.handle('preview:close', {
    args: z.undefined(),
    run: () => {
      const was = watching !== null;
      watching?.watch.close();
      watching = null;
      return { closed: was };
    },
  });

  router.handle('preview:verify', {
    args: z
      .object({ path: absolutePath, serviceIndex: z.number().int().min(0).max(10_000), devKeyPath: absolutePath.optional(), ociLayoutDir: absolutePath.optional() })
      .strict(),
    run: async ({ path, serviceIndex, devKeyPath, ociLayoutDir }) => {
      const listing = await readListing(path);
      const service = listing.services.find((s) => s.index === serviceIndex);
      if (!service) throw new CoreError('SERVICE_NOT_FOUND', `${path} has no service at position ${serviceIndex}`);
      if (!service.manifest) {
        throw new CoreError('MANIFEST_INVALID', `fix the listing first: ${service.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
      }
      const trustRoot = await loadTrustRoot({ appConfigDir: services.appConfigDir, dataDir: services.dataDir });
      return verifyForPreview({
        image: service.manifest.image,
        serviceId: service.manifest.id,
        trustRoot,
        ociLayoutDir: ociLayoutDir ?? listing.ociLayoutDir,
        devKeyPath: devKeyPath ?? null,
        plainHttpRegistries: await readPlainHttpRegistries(services.dataDir).catch(() => []),
      });
    },
  });
}
