import { useCallback } from 'react';
import type { LoadedStoreView, StoreServiceView } from '../../../../electron/ipc/channels';
import { useStoreSlice } from '../../state/store-slice';
import { useVerificationSlice } from '../../state/verification-slice';
import { InstallButton } from '../install/install-button';
import { ServicePage } from './service-page';

/** The store's service page: ServicePage fed from the verification and store slices, with Install. */
export function StoreServicePage({ store, service }: { store: LoadedStoreView; service: StoreServiceView }) {
  const verdict = useVerificationSlice((s) => s.verdicts[service.id]);
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
