/*
 * The last uninstall's receipt on a cell (issue 17 item 4): the service's row is gone from the
 * list as soon as the uninstall answered, so what happened is shown here, above the list, until
 * the person is done reading it.
 */
import { useInstallsSlice } from '../../state/installs-slice';
import { InstallOutcomeView } from './install-outcome';
import './install.css';

export function UninstallReceipt({ cellId }: { cellId: string }) {
  const outcome = useInstallsSlice((s) => s.removed[cellId]);
  const dismiss = useInstallsSlice((s) => s.dismissRemoved);
  if (!outcome) return null;
  return (
    <div className="uninstall-receipt" data-testid="uninstall-receipt">
      <InstallOutcomeView outcome={outcome} />
      <button type="button" className="button button--small" data-testid="service-receipt-done" onClick={() => dismiss(cellId)}>
        Done
      </button>
    </div>
  );
}
