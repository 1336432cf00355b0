import { useEffect, useRef, useState } from 'react';
import type { InstallOutcome } from '../../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../../electron/ipc/contract/domain';
import { api } from '../../api/api';
import { ErrorView } from '../../components/error-view';
import { useInstallsSlice } from '../../state/installs-slice';
import { InstallOutcomeView } from './install-outcome';
import './install.css';

/**
 * Upgrade / Uninstall / Restart / Logs for one service installed on a cell (Cells view). Upgrade
 * opens the install dialog on the listing from the configured stores; Uninstall asks once (volumes
 * kept unless ticked) and shows its receipt. `onChanged` lets the cell refresh its status. The
 * view renders `<InstallDialog />` once for Upgrade.
 */
export function InstalledActions({ cellId, serviceId, serviceName, onChanged }: { cellId: string; serviceId: string; serviceName: string; onChanged?: () => void }) {
  const openDialog = useInstallsSlice((s) => s.open);
  const [busy, setBusy] = useState<string | null>(null);
  const [output, setOutput] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [asking, setAsking] = useState(false);
  const [purge, setPurge] = useState(false);
  const [receipt, setReceipt] = useState<InstallOutcome | null>(null);
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

  const run = async <T,>(what: string, call: () => Promise<{ ok: true; data: T } | { ok: false; error: IpcError }>, done: (t: T) => void) => {
    setBusy(what);
    setError(null);
    const r = await call();
    setBusy(null);
    if (r.ok) done(r.data);
    else setError(r.error);
  };
  const upgrade = () =>
    run('upgrade', () => api().installs.findListing({ serviceId }), (l) => {
      if (l.storeId) openDialog(l.storeId, serviceId, serviceName, cellId);
      else setError({ code: 'NOT_LISTED', message: `no configured store lists ${serviceId}; there is nothing to upgrade to` });
    });
  const op = (o: 'logs' | 'restart' | 'state') => run(o, () => api().installs.service({ cellId, serviceId, op: o }), (r) => setOutput(r.output || '(no output)'));
  const uninstall = () =>
    run('uninstall', () => api().installs.uninstall({ cellId, serviceId, purgeVolumes: purge }), (o) => {
      setAsking(false);
      // The cell is refreshed when the person is done reading the receipt: a refresh removes this row.
      setReceipt(o);
    });

  return (
    <div className="install-actions-wrap" data-testid={`installed-actions-${serviceId}`}>
      <div className="install-actions">
        <button type="button" className="button button--small" aria-disabled={!!busy || undefined} onClick={idle(() => void upgrade())}>
          Upgrade
        </button>
        <button ref={uninstallButton} type="button" className="button button--small" aria-disabled={!!busy || undefined} data-testid="service-uninstall" onClick={idle(() => setAsking(true))}>
          Uninstall
        </button>
        <button type="button" className="button button--small" aria-disabled={!!busy || undefined} onClick={idle(() => void op('restart'))}>
          {busy === 'restart' ? 'Restarting…' : 'Restart'}
        </button>
        <button type="button" className="button button--small" aria-disabled={!!busy || undefined} data-testid="service-logs" onClick={idle(() => void op('logs'))}>
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
          <button type="button" className="button button--small" data-testid="service-receipt-done" onClick={() => { setReceipt(null); onChanged?.(); }}>
            Done — refresh the cell
          </button>
        </>
      )}
      {error && <ErrorView error={error} title="The action did not complete" />}
    </div>
  );
}
