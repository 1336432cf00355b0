/*
 * Upgrade / Uninstall / Restart / Logs for one service installed on a cell (Cells view). Upgrade
 * opens the install dialog on the listing from the configured stores; Uninstall asks once, in red
 * (volumes kept unless ticked), and once it is done the cell refreshes at once — its receipt is
 * shown by the cell (UninstallReceipt), since this row goes. The view renders `<InstallDialog />`
 * once for Upgrade. The calls and what they answered live in the installs slice; only the
 * question being asked is this component's own.
 */
import { useEffect, useRef, useState } from 'react';
import { ErrorView } from '../../components/error-view';
import { IDLE_INSTALLED_ACTIONS, installedActionsKey, useInstallsSlice } from '../../state/installs-slice';
import { LogPane } from '../../components/log-pane';
import './install.css';

export function InstalledActions({ cellId, serviceId, serviceName, onChanged, upgrade: showUpgrade = true }: {
  cellId: string;
  serviceId: string;
  serviceName: string;
  onChanged?: () => void;
  /** False where the view offers its own Update (the Installed view, which knows the service's state). */
  upgrade?: boolean;
}) {
  const { op, output } = useInstallsSlice((s) => s.installed[installedActionsKey(cellId, serviceId)]) ?? IDLE_INSTALLED_ACTIONS;
  const { upgradeInstalled, serviceOp, uninstall: uninstallService, forgetInstalled } = useInstallsSlice.getState();
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
    // The list updates at once (issue 17 item 4): the cell shows the receipt, this row goes.
    if (await uninstallService(cellId, serviceId, purge)) {
      setAsking(false);
      onChanged?.();
    }
  };

  return (
    <div className="install-actions-wrap" data-testid={`installed-actions-${serviceId}`}>
      <div className="install-actions">
        {showUpgrade && (
          <button type="button" className="button button--small" aria-disabled={!!busy || undefined} onClick={idle(() => void upgrade())}>
            Upgrade
          </button>
        )}
        <button ref={uninstallButton} type="button" className="button button--small button--danger-quiet" aria-disabled={!!busy || undefined} data-testid="service-uninstall" onClick={idle(() => setAsking(true))}>
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
        <div className="callout callout--danger install-actions__confirm" role="group" aria-label={`Uninstall ${serviceName}`} data-testid="service-uninstall-question">
          <p>
            <strong>Uninstall {serviceName}?</strong> It is stopped and removed from this cell. Its named volumes are kept unless you tick the box.
          </p>
          <label>
            <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} /> Also delete its volumes (data is lost)
          </label>
          <div className="install-actions">
            <button type="button" className="button button--small button--danger" data-testid="service-uninstall-confirm" aria-disabled={!!busy || undefined} onClick={idle(() => void uninstall())}>
              {busy === 'uninstall' ? 'Uninstalling…' : `Uninstall ${serviceName}`}
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
      {output !== null && <LogPane text={output} label={`Output of ${serviceName}`} testId="service-output" />}
      {error && <ErrorView error={error} title="The action did not complete" />}
    </div>
  );
}
