/*
 * Upgrade / Uninstall / Restart / Logs for one service installed on a cell (Cells view). Upgrade
 * opens the install dialog on the listing from the configured stores; Uninstall asks once (volumes
 * kept unless ticked) and shows its receipt. `onChanged` lets the cell refresh its status. The
 * view renders `<InstallDialog />` once for Upgrade. The calls and what they answered live in the
 * installs slice; only the question being asked is this component's own.
 */
import { useEffect, useRef, useState } from 'react';
import { ErrorView } from '../../components/error-view';
import { IDLE_INSTALLED_ACTIONS, installedActionsKey, useInstallsSlice } from '../../state/installs-slice';
import { InstallOutcomeView } from './install-outcome';
import './install.css';

export function InstalledActions({ cellId, serviceId, serviceName, onChanged, upgrade: showUpgrade = true }: {
  cellId: string;
  serviceId: string;
  serviceName: string;
  onChanged?: () => void;
  /** False where the view offers its own Update (the Installed view, which knows the service's state). */
  upgrade?: boolean;
}) {
  const { op, output, receipt } = useInstallsSlice((s) => s.installed[installedActionsKey(cellId, serviceId)]) ?? IDLE_INSTALLED_ACTIONS;
  const { upgradeInstalled, serviceOp, uninstall: uninstallService, dismissReceipt, forgetInstalled } = useInstallsSlice.getState();
  const busy = op.status === 'loading' ? op.action : null;
  const error = op.error;
  const [asking, setAsking] = useState(false);
  const [purge, setPurge] = useState(false);
  // What the actions said goes with the row (a refresh that removes it, or leaving the view).
  useEffect(() => () => forgetInstalled(cellId, serviceId), [cellId, serviceId, forgetInstalled]);
  const uninstallButton = useRef<HTMLButtonElement>(null);
  const kept = useRef(false);
  // "Keep it" closes the question and hands focus back to the Uninstall button that asked it.
  useEffect(() => {
    if (!asking && kept.current) {
      kept.current = false;
      uninstallButton.current?.focus();
    }
  }, [asking]);
  // Busy buttons stay focusable (aria-disabled) so focus never drops to <body> mid-action.
  const idle = (f: () => void) => () => {
    if (!busy) f();
  };

  const upgrade = () => upgradeInstalled(cellId, serviceId, serviceName);
  const run = (o: 'logs' | 'restart') => serviceOp(cellId, serviceId, o);
  const uninstall = async () => {
    // The cell is refreshed when the person is done reading the receipt: a refresh removes this row.
    if (await uninstallService(cellId, serviceId, purge)) setAsking(false);
  };

  return (
    <div className="install-actions-wrap" data-testid={`installed-actions-${serviceId}`}>
      <div className="install-actions">
        {showUpgrade && (
          <button type="button" className="button button--small" aria-disabled={!!busy || undefined} onClick={idle(() => void upgrade())}>
            Upgrade
          </button>
        )}
        <button ref={uninstallButton} type="button" className="button button--small" aria-disabled={!!busy || undefined} data-testid="service-uninstall" onClick={idle(() => setAsking(true))}>
          Uninstall
        </button>
        <button type="button" className="button button--small" aria-disabled={!!busy || undefined} onClick={idle(() => void run('restart'))}>
          {busy === 'restart' ? 'Restarting…' : 'Restart'}
        </button>
        <button type="button" className="button button--small" aria-disabled={!!busy || undefined} data-testid="service-logs" onClick={idle(() => void run('logs'))}>
          {busy === 'logs' ? 'Reading…' : 'Logs'}
        </button>
      </div>
      {asking && (
        <div className="callout callout--warn" role="group" aria-label={`Uninstall ${serviceName}`}>
          <p>Stop and remove {serviceName} from this cell? Its named volumes are kept unless you tick the box.</p>
          <label>
            <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} /> Also delete its volumes (data is lost)
          </label>
          <div className="install-actions">
            <button type="button" className="button button--small button--primary" data-testid="service-uninstall-confirm" aria-disabled={!!busy || undefined} onClick={idle(() => void uninstall())}>
              {busy === 'uninstall' ? 'Uninstalling…' : 'Uninstall'}
            </button>
            <button
              type="button"
              className="button button--small"
              autoFocus
              aria-disabled={busy === 'uninstall' || undefined}
              onClick={() => {
                if (busy === 'uninstall') return;
                kept.current = true;
                setAsking(false);
              }}
            >
              Keep it
            </button>
          </div>
        </div>
      )}
      {output !== null && <pre className="install-actions__output" data-testid="service-output">{output}</pre>}
      {receipt && (
        <>
          <InstallOutcomeView outcome={receipt} />
          <button type="button" className="button button--small" data-testid="service-receipt-done" onClick={() => { dismissReceipt(cellId, serviceId); onChanged?.(); }}>
            Done — refresh the cell
          </button>
        </>
      )}
      {error && <ErrorView error={error} title="The action did not complete" />}
    </div>
  );
}
