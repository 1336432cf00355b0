/*
 * The host-key confirmation: a modal `<dialog>` (focus kept inside, Escape cancels) showing the
 * host, key type and SHA256 fingerprint. Nothing is recorded or sent to the cell until Confirm;
 * main then fetches the key again and records it only if it still has this fingerprint.
 */
import { useEffect, useRef, useState } from 'react';
import type { CellCheckResult } from '../../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../../electron/ipc/contract/domain';
import { ErrorView } from '../../components/error-view';
import { Fingerprint } from '../../components/fingerprint';

type Unknown = Extract<CellCheckResult, { kind: 'host-key-unknown' }>;

export function HostKeyDialog({ cellName, prompt, onConfirm, onCancel }: {
  cellName: string;
  prompt: Unknown;
  onConfirm: (fingerprint: string) => Promise<IpcError | null>;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // Focus the safe choice: Enter on an unread dialog must never record a key.
    cancelRef.current?.focus();
    return () => d?.close();
  }, []);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const e = await onConfirm(prompt.preferred.fingerprint);
    setBusy(false);
    if (e) setError(e);
  };
  const where = prompt.port === 22 ? prompt.hostname : `${prompt.hostname} port ${prompt.port}`;

  return (
    <dialog
      ref={ref}
      className="host-key-dialog"
      aria-labelledby="host-key-title"
      aria-describedby="host-key-what"
      data-testid="host-key-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h3 id="host-key-title">Confirm the host key of “{cellName}”</h3>
      <p id="host-key-what">
        This is the first connection to <strong>{where}</strong>, so its identity is not known yet. Compare the fingerprint below with the one the cell’s
        administrator reads on the cell (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>). Nothing has been sent to the cell, and nothing is
        recorded until you confirm.
      </p>
      <dl className="facts">
        <dt>Host</dt>
        <dd data-testid="host-key-host">{prompt.hostToken}</dd>
        <dt>Key type</dt>
        <dd data-testid="host-key-type">{prompt.preferred.type}</dd>
        <dt>Fingerprint</dt>
        <Fingerprint as="dd" className="cell-fp" value={prompt.preferred.fingerprint} label="Copy host key fingerprint" testId="host-key-fingerprint" />
      </dl>
      {prompt.keys.length > 1 && (
        <details className="host-key-dialog__others">
          <summary>Other keys this host presents ({prompt.keys.length - 1})</summary>
          <ul>
            {prompt.keys
              .filter((k) => k.fingerprint !== prompt.preferred.fingerprint)
              .map((k) => (
                <li key={k.fingerprint}>
                  {k.type} <code className="fingerprint">{k.fingerprint}</code>
                </li>
              ))}
          </ul>
        </details>
      )}
      {error && <ErrorView error={error} title="The host key was not recorded" />}
      <div className="cell-form__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Recording…' : 'Confirm and connect'}
        </button>
        <button type="button" className="button" ref={cancelRef} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
