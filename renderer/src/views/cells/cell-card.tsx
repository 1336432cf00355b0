/* One cell: its profile, its actions, and what its last check found. */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { CellProfile } from '../../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../../electron/ipc/contract/domain';
import { ErrorView } from '../../components/error-view';
import { useCellsSlice } from '../../state/cells-slice';
import { CellForm } from './cell-form';
import { CellStatusPanel } from './cell-status-panel';
import { HostKeyDialog } from './host-key-dialog';

const DEFAULT_ROOT = '/opt/pic';

function formOf(p: CellProfile) {
  return { name: p.name, destination: p.destination, port: p.port === undefined ? '' : String(p.port), identityFile: p.identityFile ?? '', root: p.root, sshConfig: p.sshConfig ?? '', groups: (p.groups ?? []).join(', ') };
}

export function CellCard({ profile }: { profile: CellProfile }) {
  const check = useCellsSlice((s) => s.checks[profile.id]);
  const { check: runCheck, cancelCheck, edit, remove, confirmHostKey, dismissCheck } = useCellsSlice.getState();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removeError, setRemoveError] = useState<IpcError | null>(null);
  const titleId = `cell-${profile.id}-title`;
  const result = check?.result;
  const editButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the form or the confirmation it opened is gone (the control that opened it).
  const returnFocusTo = useRef<RefObject<HTMLButtonElement | null> | null>(null);
  useEffect(() => {
    if (editing || confirmRemove || !returnFocusTo.current) return;
    returnFocusTo.current.current?.focus();
    returnFocusTo.current = null;
  }, [editing, confirmRemove]);
  const connecting = check?.status === 'loading';

  if (editing) {
    return (
      <li className="cell-card" data-testid="cell-card">
        <CellForm title={`Edit “${profile.name}”`} initial={formOf(profile)} submitLabel="Save changes" onSubmit={(f) => edit(profile.id, f)} onDone={() => {
            returnFocusTo.current = editButton;
            setEditing(false);
          }}
        />
      </li>
    );
  }

  return (
    <li className="cell-card" data-testid="cell-card" aria-labelledby={titleId}>
      <div className="cell-card__head">
        <div className="cell-card__id">
          <h3 id={titleId} className="cell-card__name">
            {profile.name}
          </h3>
          <code className="muted" data-testid="cell-destination">
            {profile.destination}
            {profile.port !== undefined ? ` port ${profile.port}` : ''}
          </code>{' '}
          {profile.root !== DEFAULT_ROOT && <span className="tag tag--local">root {profile.root}</span>}
          {(profile.groups ?? []).map((g) => (
            <span key={g} className="tag" data-testid="cell-group">
              {g}
            </span>
          ))}
        </div>
        <div className="cell-card__actions">
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to <body> while connecting. */}
          <button
            type="button"
            className="button button--primary"
            aria-disabled={connecting || undefined}
            onClick={() => {
              if (!connecting) void runCheck(profile.id);
            }}
          >
            {connecting ? 'Connecting…' : result?.kind === 'status' ? 'Refresh status' : 'Test connection'}
          </button>
          <button ref={editButton} type="button" className="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          {!confirmRemove ? (
            <button ref={removeButton} type="button" className="button" onClick={() => setConfirmRemove(true)}>
              Remove
            </button>
          ) : (
            <span className="cell-card__confirm" role="group" aria-label={`Remove ${profile.name}?`}>
              Remove this profile?{' '}
              <button
                type="button"
                className="button button--danger"
                onClick={async () => {
                  const r = await remove(profile.id);
                  if (!r.ok) setRemoveError(r.error);
                  setConfirmRemove(false);
                }}
              >
                Remove
              </button>{' '}
              <button
                type="button"
                className="button"
                autoFocus
                onClick={() => {
                  returnFocusTo.current = removeButton;
                  setConfirmRemove(false);
                }}
              >
                Keep
              </button>
            </span>
          )}
        </div>
      </div>
      {removeError && <ErrorView error={removeError} title="The profile could not be removed" />}
      {check?.status === 'loading' && (
        <p className="muted cell-card__progress" role="status">
          Connecting with your ssh…{' '}
          <button type="button" className="button button--small" onClick={() => void cancelCheck(profile.id)}>
            Cancel
          </button>
        </p>
      )}
      {check?.error?.code === 'CANCELLED' ? (
        <p className="muted" data-testid="cell-check-cancelled">
          Cancelled. Nothing was changed on the cell.
        </p>
      ) : (
        check?.error && <ErrorView error={check.error} title={`Could not read ${profile.name}`} onRetry={() => void runCheck(profile.id)} />
      )}
      {result?.kind === 'status' && <CellStatusPanel status={result.status} cellId={profile.id} onChanged={() => void runCheck(profile.id)} />}
      {result?.kind === 'host-key-changed' && (
        <div className="callout callout--danger" role="alert" data-testid="host-key-changed">
          <p className="callout__title">Refused: the host key of this cell has changed</p>
          <p>{result.message}</p>
          {result.presented.map((k) => (
            <p key={k.fingerprint}>
              It now presents {k.type} <code className="fingerprint">{k.fingerprint}</code>
            </p>
          ))}
        </div>
      )}
      {result?.kind === 'host-key-unknown' && (
        <HostKeyDialog
          cellName={profile.name}
          prompt={result}
          onCancel={() => dismissCheck(profile.id)}
          onConfirm={async (fp) => {
            const r = await confirmHostKey(profile.id, fp);
            return r.ok ? null : r.error;
          }}
        />
      )}
    </li>
  );
}
