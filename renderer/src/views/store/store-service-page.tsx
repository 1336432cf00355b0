/*
 * The store's service page: ServicePage fed from the verification and store slices, with Install.
 * The browse view holds only badge summaries; the full verdict (the Why panel's evidence) is
 * fetched from main when the page opens and again whenever the service's summary changes.
 */
import { useCallback, useEffect } from 'react';
import type { LoadedStoreView, StoreServiceView } from '../../../../electron/ipc/contract/channels';
import { useStoreSlice } from '../../state/store-slice';
import { BADGES } from '../../components/badge-meta';
import { reportMatches, runActive, useVerificationSlice } from '../../state/verification-slice';
import { InstallButton } from '../install/install-button';
import { InstalledOn } from '../installed/installed-on';
import { ServicePage } from '../../components/service-page';
import { ListingLine } from './listing-banner';

export function StoreServicePage({ store, service }: { store: LoadedStoreView; service: StoreServiceView }) {
  const summary = useVerificationSlice((s) => s.verdicts[service.index]);
  const full = useVerificationSlice((s) => s.reports[service.index]);
  const loadReport = useVerificationSlice((s) => s.loadReport);
  const verdict = summary && reportMatches(summary, full) ? full : undefined;
  const stale = !!summary && !verdict;
  useEffect(() => {
    if (stale) void loadReport(store.ref.id, service.id, service.index);
  }, [stale, summary, loadReport, store.ref.id, service.id, service.index]);
  const busy = useVerificationSlice((s) => s.reverifying[service.index] ?? false);
  const reverifyError = useVerificationSlice((s) => s.reverifyErrors[service.index] ?? null);
  const active = useVerificationSlice(runActive);
  const missing = summary || active ? 'pending' : 'unchecked';
  const reason = summary?.reason;
  const verifyService = useVerificationSlice((s) => s.verifyService);
  const openService = useStoreSlice((s) => s.openService);
  const onBack = useCallback(() => openService(null), [openService]);
  const m = service.manifest;
  return (
    <ServicePage
      service={service}
      verdict={verdict}
      busy={busy}
      onReverify={() => void verifyService(store.ref.id, service.id, service.index)}
      back={{ label: `Back to ${store.name}`, onBack }}
      missing={missing}
      reverifyError={reverifyError}
      signedListing={store.listing.signed ? store.listing.sentence : null}
      actions={
        m && (
          // The decision stays in core (the install plan); this only says what to expect.
          <div className={`install-action${reason === 'VERIFIED' ? '' : ' install-action--caution'}`} data-testid="install-action">
            <InstallButton storeId={store.ref.id} serviceId={service.id} serviceName={m.name} />
            <ListingLine listing={store.listing} />
            <InstalledOn serviceId={service.id} />
            {reason !== 'VERIFIED' && (
              <span className="install-action__note" data-testid="install-caution">
                {reason ? `Enforcing cells will refuse this image (${BADGES[reason].label}).` : 'Not verified yet: enforcing cells refuse an image until it verifies.'}
              </span>
            )}
          </div>
        )
      }
    />
  );
}
