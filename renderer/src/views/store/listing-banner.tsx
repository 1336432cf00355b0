/*
 * A signed store's listing state (DESIGN 2.7), in the words main built from the store catalogue:
 * the banner for `stale`, `expired`, `refused` (and a signed store never read) says what happened
 * and what to do; the line says whose signature the listing carries. Nothing is decided here.
 */
import type { StoreListingView } from '../../../../electron/ipc/contract/channels';
import { useStoreSlice } from '../../state/store-slice';

const TONE: Record<StoreListingView['state'], 'info' | 'warn' | 'danger'> = { current: 'info', stale: 'warn', expired: 'danger', refused: 'danger', unreadable: 'danger' };

export function ListingBanner({ listing }: { listing: StoreListingView }) {
  const refresh = useStoreSlice((s) => s.refresh);
  const refreshing = useStoreSlice((s) => s.refreshing);
  const b = listing.banner;
  if (!b) return null;
  return (
    <div className={`callout callout--${TONE[listing.state]} listing-banner`} role="alert" data-testid="listing-banner" data-state={listing.state} data-code={b.code}>
      <p>
        <strong data-testid="listing-banner-title">{b.title}.</strong> <span data-testid="listing-banner-sentence">{b.sentence}</span>
      </p>
      <p data-testid="listing-banner-next">
        <strong>What to do:</strong> {b.next.admin}
      </p>
      <p className="muted" data-testid="listing-banner-detail">
        Details for the helpdesk: {b.detail}
      </p>
      <button type="button" className="button button--small" disabled={refreshing} onClick={() => void refresh()}>
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

/** "Listing signed by <store>, version N, valid until <date>" or "Listing not signed". */
export function ListingLine({ listing }: { listing: StoreListingView }) {
  return (
    <p className={`listing-line${listing.signed ? ' listing-line--signed' : ''}`} data-testid="listing-line" data-state={listing.state}>
      {listing.sentence}
    </p>
  );
}
