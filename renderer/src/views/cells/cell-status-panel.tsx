/* What one status round trip told us about a cell: the mode banner first, then the facts and its services. */
import type { CellStatus } from '../../../../electron/ipc/contract/channels';
import { Fingerprint } from '../../components/fingerprint';
import { useInstallsSlice } from '../../state/installs-slice';
import { InstalledActions } from '../install/installed-actions';
import { UninstallReceipt } from '../install/uninstall-receipt';
import { InstalledBadge } from './installed-badge';
import { useUpdatesSlice } from '../../state/updates-slice';
import type { InstalledRow } from '../../../../electron/ipc/contract/channels';

/** Banner tone, from core's verdict: fail-closed and off stand out; a weaker mode is a warning. */
function tone(s: CellStatus): 'danger' | 'warn' | 'ok' {
  if (s.mode.source === 'fail-closed' || s.mode.value === 'off') return 'danger';
  if (s.mode.value === 'warn' || s.notes.length > 0) return 'warn';
  return 'ok';
}

export function CellStatusPanel({ status, cellId, onChanged }: { status: CellStatus; cellId?: string; onChanged?: () => void }) {
  // The store's state per service from main's last update check (Upgrade only where one is listed).
  const updates = useUpdatesSlice((s) => s.view);
  const rowOf = (id: string): InstalledRow | undefined => updates?.cells.find((c) => c.cellId === cellId)?.services.find((r) => r.id === id);
  const modeSource = { config: 'set in cell_config.json', default: 'default', 'fail-closed': 'failing closed' }[status.mode.source];
  // Core writes the banner as the mode line followed by its notes; the notes are listed separately.
  const suffix = status.notes.length > 0 ? ` · ${status.notes.join(' · ')}` : '';
  const modeLine = suffix && status.banner.endsWith(suffix) ? status.banner.slice(0, -suffix.length) : status.banner;
  // An uninstall newer than this status has removed its service: the row goes at once, before
  // the refresh it started answers (issue 17 item 4).
  const removed = useInstallsSlice((s) => (cellId ? s.removed[cellId]?.receipt : undefined));
  const gone = removed?.outcome === 'uninstalled' && Date.parse(removed.at) >= Date.parse(status.checkedAt) ? removed.service.id : null;
  const installed = status.installed.filter((s) => s.id !== gone);
  return (
    <div className="cell-status" data-testid="cell-status">
      <div className={`callout callout--${tone(status)}`} role="status" data-testid="cell-mode-banner" data-mode={status.mode.value} data-source={status.mode.source}>
        <p className="callout__title">{modeLine}</p>
        {status.notes.length > 0 && (
          <ul className="cell-status__notes">
            {status.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </div>
      <dl className="facts">
        <dt>Verification mode</dt>
        <dd data-testid="cell-mode">
          <strong>{status.mode.value}</strong> <span className={status.mode.source === 'fail-closed' ? 'tag tag--danger' : 'tag tag--cell'}>{modeSource}</span>{' '}
          {status.mode.source !== 'config' && <span className="muted">{status.mode.detail}</span>}
        </dd>
        <dt>PIC root</dt>
        <dd>
          <code>{status.root}</code>{' '}
          {!status.rootIsDefault && (
            <span className="tag tag--local" data-testid="cell-root-nondefault">
              non-default
            </span>
          )}{' '}
          {!status.rootExists && <span className="tag tag--danger">missing on the cell</span>}
        </dd>
        <dt>Cell key</dt>
        <dd data-testid="cell-key">
          {status.cellKey ? (
            <>
              <Fingerprint className="cell-fp" value={status.cellKey.fingerprint} label="Copy cell key fingerprint" testId="cell-key-fingerprint" />
              <span className={status.cellKey.matchesTrustRoot ? 'tag tag--bundled' : 'tag tag--local'} data-testid="cell-key-match">
                {status.cellKey.matchesTrustRoot ? 'matches the app’s trust root' : 'differs from the app’s trust root'}
              </span>{' '}
              <span className="muted">{status.cellKey.type}</span>
            </>
          ) : (
            <span className="tag tag--danger" data-testid="cell-key-problem">
              no usable key: {status.cellKeyProblem}
            </span>
          )}
        </dd>
        <dt>Container runtime</dt>
        <dd data-testid="cell-runtime">{status.runtime ? `${status.runtime}${status.runtimeVersion ? ` (${status.runtimeVersion})` : ''}` : 'none found'}</dd>
        <dt>cosign on the cell</dt>
        <dd data-testid="cell-cosign">{status.cosign ?? 'not installed'}</dd>
        <dt>Checked</dt>
        <dd className="muted">
          {new Date(status.checkedAt).toLocaleString()} · {status.elapsedMs} ms
        </dd>
      </dl>
      <h4>Installed services</h4>
      {cellId && <UninstallReceipt cellId={cellId} />}
      {installed.length === 0 ? (
        <p className="muted" data-testid="cell-no-services">
          No services installed by this app.
        </p>
      ) : (
        <table className="cell-services" data-testid="cell-services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Version</th>
              <th scope="col">Digest</th>
              <th scope="col">Badge now</th>
              {cellId && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {installed.map((s) => (
              <tr key={s.id} data-installed-service={s.id}>
                <td>
                  <code>{s.id}</code> {s.name && <span className="muted">{s.name}</span>}
                  {s.problem && <div className="cell-form__error">{s.problem}</div>}
                  {rowOf(s.id) && rowOf(s.id)!.state !== 'current' && (
                    <div className="muted" data-testid="cell-service-state" data-state={rowOf(s.id)!.state}>
                      {rowOf(s.id)!.stateWords.label}
                      {rowOf(s.id)!.revoked && `: ${rowOf(s.id)!.revoked!.reason}`}
                    </div>
                  )}
                </td>
                <td>{s.version ?? '—'}</td>
                <td>
                  {s.digest ? (
                    <code className="cell-digest" title={s.digest}>
                      {s.digest}
                    </code>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <InstalledBadge service={s} checkedAt={status.checkedAt} />
                </td>
                {cellId && (
                  <td>
                    <InstalledActions cellId={cellId} serviceId={s.id} serviceName={s.name ?? s.id} onChanged={onChanged} upgrade={!rowOf(s.id) || rowOf(s.id)!.state === 'update' || rowOf(s.id)!.state === 'held'} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status.skipped.length > 0 && <p className="muted">Not read: {status.skipped.join(', ')}</p>}
    </div>
  );
}
