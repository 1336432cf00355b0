import { defineDomain, type Invoke } from '../domain';
import type { ListingPreview } from '../../../core/preview/read-listing';
import type { PreviewVerdict } from '../../../core/preview/preview-verify';

import type { StoreServiceView } from './store';

import type { PartialManifest } from '../../../core/store/partial-manifest';
export type { PreviewService } from '../../../core/preview/read-listing';

/** A read listing as the renderer gets it: its services in the store's own card/page shape. */
export type ListingPreviewView = Omit<ListingPreview, 'services'> & { services: PreviewServiceView[] };
/** A previewed service: the store's shape, plus what can be drawn of it when it is invalid. */
export type PreviewServiceView = StoreServiceView & { partial: PartialManifest | null };
export type { PartialManifest } from '../../../core/store/partial-manifest';
export type { PreviewVerdict, DevKeyVerdict } from '../../../core/preview/preview-verify';
export type { ModeRow } from '../../../core/preview/mode-table';

/**
 * The `preview` domain (service developers): main opens a manifest or index by path, watches it
 * and pushes `changed` with the re-read listing; `verify` checks one listed image against the
 * app's trust root (and, separately, a developer key that is never added to it).
 */
export const preview = defineDomain<
  {
    open: Invoke<{ path: string }, ListingPreviewView>;
    close: Invoke<void, { closed: boolean }>;
    verify: Invoke<{ path: string; serviceIndex: number; devKeyPath?: string; ociLayoutDir?: string }, PreviewVerdict>;
  },
  { changed: ListingPreviewView }
>()('preview', ['open', 'close', 'verify'], ['changed']);
