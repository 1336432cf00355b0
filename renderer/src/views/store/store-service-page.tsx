import { useCallback, useEffect } from 'react';
import type { LoadedStoreView, StoreServiceView } from '../../../../electron/ipc/channels';
import { useStoreSlice } from '../../state/store-slice';
import { reportMatches, useVerificationSlice } from '../../state/verification-slice';
import { InstallButton } from '../install/install-button';
import { ServicePage } from './service-page';

/**
 * The store's service page: ServicePage fed from the verification and store slices, with Install.
 * The browse view holds only badge summaries; the full verdict (the Why panel's evidence) is
 * fetched from main when the page opens and again whenever the service's summary changes.
 */
export function StoreServicePage({ store, service }: { store: LoadedStoreView; service: StoreServiceView }) {
  const summary = useVerificationSlice((s) => s.verdicts[service.id]);
  const full = useVerificationSlice((s) => s.reports[service.id]);
  const loadReport = useVerificationSlice((s) => s.loadReport);
  const verdict = summary && reportMatches(summary, full) ? full : undefined;
  const stale = !!summary && !verdict;
  useEffect(() => {
    if (stale) void loadReport(store.ref.id, service.id);
  }, [stale, summary, loadReport, store.ref.id, service.id]);
  const busy = useVerificationSlice((s) => s.reverifying[service.id] ?? false);
  const verifyService = useVerificationSlice((s) => s.verifyService);
  const openService = useStoreSlice((s) => s.openService);
  const onBack = useCallback(() => openService(null), [openService]);
  const m = service.manifest;
  return (
    <ServicePage
      service={service}
      verdict={verdict}
      busy={busy}
      onReverify={() => void verifyService(store.ref.id, service.id)}
      back={{ label: `Back to ${store.name}`, onBack }}
      actions={m && <InstallButton storeId={store.ref.id} serviceId={service.id} serviceName={m.name} />}
    />
  );
}
