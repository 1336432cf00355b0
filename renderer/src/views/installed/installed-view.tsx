/*
 * Installed: every service the app installed, across every configured cell, with the store's
 * state for each (DESIGN 2.9). Main checks on start, after a store refresh and on "Check now";
 * each cell's last reading is shown with its time until the next one. Withdrawn services get a
 * banner with the store's reason and their stop/uninstall actions.
 */
import { useEffect, useRef } from 'react';
import { ErrorView } from '../../components/error-view';
import { useInstallsSlice } from '../../state/installs-slice';
import { useUpdatesSlice } from '../../state/updates-slice';
import { InstallDialog } from '../install/install-dialog';
import { InstalledServiceRow } from './installed-row';
import './installed.css';

export function InstalledView() {
  const view = useUpdatesSlice((s) => s.view);
  const status = useUpdatesSlice((s) => s.status);
  const error = useUpdatesSlice((s) => s.error);
  const { load, check } = useUpdatesSlice.getState();
  const dialogStep = useInstallsSlice((s) => s.dialog?.step ?? null);
  const lastStep = useRef(dialogStep);
  useEffect(() => {
    if (status === 'idle') void load();
  }, [status, load]);
  // An update or uninstall finished: read the cells again so the states follow.
  useEffect(() => {
    if (dialogStep === 'finished' && lastStep.current !== 'finished') void check();
    lastStep.current = dialogStep;
  }, [dialogStep, check]);
  const checking = !!view?.checking;
  const revoked = (view?.cells ?? []).flatMap((c) => c.services.filter((s) => s.state === 'revoked').map((s) => ({ cell: c.cell, s })));
  const total = (view?.cells ?? []).reduce((n, c) => n + c.services.length, 0);

  return (
    <section className="view" aria-labelledby="installed-title">
      <div className="cells-head">
        <h2 id="installed-title">Installed</h2>
        <button type="button" className="button button--primary" data-testid="installed-check" aria-disabled={checking || undefined} onClick={() => !checking && void check()}>
          {checking ? 'Checking cells…' : 'Check for updates now'}
        </button>
      </div>
      <p className="muted" data-testid="installed-checked">
        {view?.checkedAt ? `Last checked ${new Date(view.checkedAt).toLocaleString()}.` : 'Not checked yet.'} Every configured cell is read and compared with the stores when the app
        starts, when a store is refreshed, and when you ask.
      </p>
      {error && <ErrorView error={error} title="Could not check the cells" onRetry={() => void check()} />}
      {revoked.map(({ cell, s }) => (
        <div key={`${cell} ${s.id}`} className="callout callout--danger" role="alert" data-testid="revoked-banner">
          <p className="callout__title">
            {s.stateWords.label}: {s.name ?? s.id} on {cell}
          </p>
          <p>{s.explanation?.sentence ?? s.revoked?.reason}</p>
          <p>
            <strong>Next:</strong> {s.explanation?.next.admin ?? s.stateWords.sentence}
          </p>
        </div>
      ))}
      {(view?.stores ?? []).filter((s) => s.error).map((s) => (
        <ErrorView key={s.url} error={s.error!} title={`The store ${s.name} could not be read`} variant="line" />
      ))}
      {view && view.cells.length === 0 && !checking && (
        <div className="callout callout--info" data-testid="installed-empty">
          <p className="callout__title">No cells yet</p>
          <p>Add a cell in Cells; what it runs shows here.</p>
        </div>
      )}
      {view?.cells.map((c) => (
        <section key={c.cellId} className="installed-cell" aria-labelledby={`installed-cell-${c.cellId}`} data-testid="installed-cell">
          <h3 id={`installed-cell-${c.cellId}`}>
            {c.cell} <code className="muted">{c.destination}</code>{' '}
            <span className="muted installed-cell__time">read {new Date(c.checkedAt).toLocaleString()}</span>
          </h3>
          {!c.reachable && c.error && <ErrorView error={c.error} title={`Could not read ${c.cell}`} variant="line" />}
          {c.reachable && c.services.length === 0 && <p className="muted">No services installed by this app.</p>}
          {c.services.length > 0 && (
            <table className="cell-services installed-table">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Version</th>
                  <th scope="col">Digest, signer, badge</th>
                  <th scope="col">Container, ports</th>
                  <th scope="col">In the store</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {c.services.map((s) => (
                  <InstalledServiceRow key={s.id} cellId={c.cellId} cell={c.cell} checkedAt={c.checkedAt} row={s} onChanged={() => void check()} />
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {view && total === 0 && view.cells.length > 0 && <p className="muted">Nothing installed by this app on any cell yet.</p>}
      <InstallDialog />
    </section>
  );
}
