import { useInstallsSlice } from '../../state/installs-slice';
import { InstallDialog } from './install-dialog';

/** The service page's Install button and the dialog it opens (one place to hook the flow in). */
export function InstallButton({ storeId, serviceId, serviceName, disabled }: { storeId: string; serviceId: string; serviceName: string; disabled?: boolean }) {
  const open = useInstallsSlice((s) => s.open);
  return (
    <>
      <button type="button" className="button button--primary" data-testid="install-open" disabled={disabled} onClick={() => open(storeId, serviceId, serviceName)}>
        Install…
      </button>
      <InstallDialog />
    </>
  );
}
