import type { SchemaError, ServiceManifest } from '../../../core/store/manifest-schema';
import type { StoreServiceView } from '../../contract/channels/store';

/**
 * One listed service as the store's card and page take it — for a store's index and for a
 * developer's previewed listing alike, so both render through the very same components. Icons
 * travel only as data: URLs the renderer can show, or https: URLs main fetches on request.
 */
export function serviceView(s: {
  index: number;
  id: string | null;
  manifest: ServiceManifest | null;
  errors: SchemaError[];
  /** A previewed invalid listing's valid fields: its icon and screenshots are still shown. */
  partial?: Pick<ServiceManifest, 'icon' | 'screenshots'> | null;
}): StoreServiceView {
  const assets = s.manifest ?? s.partial ?? null;
  const icon = assets?.icon ?? null;
  return {
    index: s.index,
    id: s.id ?? `#${s.index}`,
    manifest: s.manifest,
    errors: s.errors,
    iconData: icon?.startsWith('data:') ? icon : null,
    iconUrl: icon?.startsWith('https:') ? icon : null,
    screenshots: (assets?.screenshots ?? []).map((u) => ({ data: u.startsWith('data:') ? u : null, url: u.startsWith('https:') ? u : null })),
  };
}
