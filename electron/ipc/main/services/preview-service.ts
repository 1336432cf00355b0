/**
 * The developer's listing preview: one listing watched at a time (the preview view shows one;
 * opening another replaces the watch), always (re-)read here in main, and verified against the
 * app's trust root and, for information only, a developer key the person points at.
 */
import type { CoreServices } from '../../../core/core-services';
import { CoreError } from '../../../core/errors';
import { watchFile, type FileWatch } from '../../../core/file-watch';
import { invalidListingVerdict, verifyForPreview, type PreviewVerdict } from '../../../core/preview/preview-verify';
import { readListing, type ListingPreview } from '../../../core/preview/read-listing';
import type { ListingPreviewView } from '../../contract/channels/preview';
import type { AppEvents } from '../event-hub';
import { serviceView } from './service-view';

function listingView(listing: ListingPreview): ListingPreviewView {
  // An invalid service keeps what can be drawn (its valid fields, its icon) beside its errors.
  return { ...listing, services: listing.services.map((s) => ({ ...serviceView(s), partial: s.partial })) };
}

export interface PreviewVerifyRequest {
  path: string;
  serviceIndex: number;
  devKeyPath?: string;
  ociLayoutDir?: string;
}

export class PreviewService {
  private watching: { path: string; watch: FileWatch } | null = null;

  constructor(
    private readonly core: CoreServices,
    private readonly events: AppEvents,
  ) {}

  async open(path: string): Promise<ListingPreviewView> {
    if (this.watching?.path !== path) {
      this.watching?.watch.close();
      const onChange = () => void readListing(path).then((p) => this.events.emit('preview:changed', listingView(p)), () => undefined);
      this.watching = { path, watch: watchFile(path, onChange) };
    }
    return listingView(await readListing(path));
  }

  close(): { closed: boolean } {
    const was = this.watching !== null;
    this.watching?.watch.close();
    this.watching = null;
    return { closed: was };
  }

  async verify({ path, serviceIndex, devKeyPath, ociLayoutDir }: PreviewVerifyRequest): Promise<PreviewVerdict> {
    const listing = await readListing(path);
    const service = listing.services.find((s) => s.index === serviceIndex);
    if (!service) throw new CoreError('SERVICE_NOT_FOUND', `${path} has no service at position ${serviceIndex}`);
    if (!service.manifest) return invalidListingVerdict(service, await this.core.trustRoot());
    return verifyForPreview({
      image: service.manifest.image,
      serviceId: service.manifest.id,
      trustRoot: await this.core.trustRoot(),
      ociLayoutDir: ociLayoutDir ?? listing.ociLayoutDir,
      devKeyPath: devKeyPath ?? null,
      plainHttpRegistries: await this.core.plainHttpRegistries(),
    });
  }

  dispose(): void {
    this.close();
  }
}
