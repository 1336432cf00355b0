import { useEffect } from 'react';
import type { StoreServiceView } from '../../../electron/ipc/contract/channels';
import { useStoreSlice } from '../state/store-slice';
import { withoutInvisible } from '../../../electron/ipc/contract/visible-text';

/** The service's icon: inline data: icons as given, remote ones fetched by main; else initials. */
export function ServiceIcon({ service, size }: { service: StoreServiceView; size: 'small' | 'large' }) {
  const remote = useStoreSlice((s) => (service.iconUrl ? s.icons[service.iconUrl] : undefined));
  const fetchIcon = useStoreSlice((s) => s.fetchIcon);
  useEffect(() => {
    if (service.iconUrl) fetchIcon(service.iconUrl);
  }, [service.iconUrl, fetchIcon]);
  const src = service.iconData ?? remote ?? null;
  // The letters of the fallback: visible characters only (a bidi override or zero-width
  // character in a store-provided name must not reach the page, issue 12 item 7).
  const name = withoutInvisible(service.manifest?.name ?? service.id) || '?';
  if (src && src.startsWith('data:image/')) return <img className={`service-icon service-icon--${size}`} src={src} alt="" />;
  return (
    <span className={`service-icon service-icon--${size} service-icon--initials`} aria-hidden="true">
      {name.slice(0, 2).toUpperCase()}
    </span>
  );
}
