/*
 * One installed service in the Installed view: where it runs, what it runs (version, short
 * digest with copy, signer), its container, its ports, the store's state for it in the update
 * catalogue's words, and its actions. Open goes through main; Update opens the install dialog on
 * the listing main judged it against; the rest are the Cells view's own actions.
 */
import type { InstalledRow } from '../../../../electron/ipc/contract/channels';
import { containerWords } from '../../../../electron/ipc/contract/labels';
import { CopyButton } from '../../components/copy-button';
import { ErrorView } from '../../components/error-view';
import { useInstallsSlice } from '../../state/installs-slice';
import { rowKey, useUpdatesSlice } from '../../state/updates-slice';
import { InstalledBadge } from '../cells/installed-badge';
import { InstalledActions } from '../install/installed-actions';

const TONE = { current: 'ok', update: 'info', held: 'warn', revoked: 'danger', 'end-of-life': 'warn', unlisted: 'muted' } as const;

const short = (digest: string) => `${digest.slice(0, 19)}…`;

export function InstalledServiceRow({ cellId, cell, checkedAt, row, onChanged }: { cellId: string; cell: string; checkedAt: string; row: InstalledRow; onChanged: () => void }) {
  const opened = useUpdatesSlice((s) => s.opened[rowKey(cellId, row.id)]);
  const open = useUpdatesSlice((s) => s.open);
  const name = row.name ?? row.id;
  const updatable = (row.state === 'update' || row.state === 'held') && row.storeId !== null;
  return (
    <tr data-installed-row={row.id} data-cell={cell} data-state={row.state}>
      <td>
        <strong>{name}</strong> <code className="muted">{row.id}</code>
        <div className="muted">on {cell}</div>
      </td>
      <td data-testid="installed-version">{row.installed.version ?? 'unknown'}</td>
      <td>
        {row.installed.digest ? (
          <span className="copyable">
            <code className="digest" title={row.installed.digest} data-testid="installed-digest">
              {short(row.installed.digest)}
            </code>
            <CopyButton value={row.installed.digest} label={`Copy the digest of ${name}`} />
          </span>
        ) : (
          'unknown'
        )}
        <div className="muted installed__signer" data-testid="installed-signer">
          {row.installed.signers.length ? `signed by ${row.installed.signers.map((f) => f.slice(0, 23)).join(', ')}…` : 'no signer recorded'}
        </div>
        <InstalledBadge service={{ id: row.id, reference: row.reference }} checkedAt={checkedAt} />
      </td>
      <td data-testid="installed-container" data-container={row.installed.container.state}>
        {containerWords(row.installed.container)}
        <div className="muted" data-testid="installed-ports">
          {row.ports.length ? row.ports.map((p) => `${p.host}/${p.protocol}`).join(', ') : 'no host ports'}
        </div>
      </td>
      <td>
        <span className={`tag installed__state installed__state--${TONE[row.state]}`} data-testid="installed-state" title={row.stateWords.sentence}>
          {row.stateWords.label}
        </span>
        {row.listed && row.state !== 'current' && (
          <div className="muted">
            {row.listed.store} lists {row.listed.version}
          </div>
        )}
        {row.explanation && <div data-testid="installed-explanation">{row.explanation.sentence}</div>}
        {row.endOfLife && (
          <div data-testid="installed-eol">
            {row.endOfLife.reason}
            {row.endOfLife.replacedBy && (
              <>
                {' '}
                — replaced by <code>{row.endOfLife.replacedBy}</code>
              </>
            )}
          </div>
        )}
        {!row.explanation && !row.endOfLife && row.note && row.state !== 'current' && <div className="muted">{row.note}</div>}
      </td>
      <td>
        <div className="install-actions">
          {row.openUrl && (
            <button type="button" className="button button--small" data-testid="installed-open" onClick={() => void open(cellId, row.id)}>
              Open
            </button>
          )}
          {updatable && (
            <button type="button" className="button button--small button--primary" data-testid="installed-update" onClick={() => useInstallsSlice.getState().open(row.storeId!, row.id, name, cellId)}>
              Update to {row.listed?.version}
            </button>
          )}
        </div>
        {opened?.result && (
          <p className="installed__address" data-testid="installed-address">
            {opened.result.opened ? 'Opened ' : 'Its address: '}
            <a href={opened.result.url} target="_blank" rel="noopener noreferrer">
              {opened.result.url}
            </a>
          </p>
        )}
        {opened?.error && <ErrorView error={opened.error} title="Could not open it" variant="inline" />}
        <InstalledActions cellId={cellId} serviceId={row.id} serviceName={name} onChanged={onChanged} upgrade={false} />
      </td>
    </tr>
  );
}
