/* The attempt's outcome and its receipt (already in the activity log), with the catalogue's words for the verdict. */
import type { InstallOutcome } from '../../../../electron/ipc/contract/channels';
import { CopyButton } from '../../components/copy-button';
import { ErrorView } from '../../components/error-view';

/**
 * The digest an `image@sha256:…` reference pins. Display only: when the attempt stopped before
 * verification the receipt records no checked digest, yet the exact image is still known.
 */
function pinnedDigest(image: string): string | null {
  return /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1] ?? null;
}

const TONE: Record<InstallOutcome['receipt']['outcome'], 'ok' | 'warn' | 'danger'> = {
  installed: 'ok',
  uninstalled: 'ok',
  rejected: 'danger',
  failed: 'danger',
  cancelled: 'warn',
};

export function InstallOutcomeView({ outcome }: { outcome: InstallOutcome }) {
  const r = outcome.receipt;
  const json = JSON.stringify(r, null, 2);
  const digest = r.digest ?? pinnedDigest(r.image);
  return (
    <div className="install-outcome" data-testid="install-outcome" data-outcome={r.outcome}>
      <p className={`callout callout--${TONE[r.outcome]}`} role="status">
        <strong data-testid="install-outcome-word">{r.outcome}</strong> — {r.action} of {r.service.name} {r.service.version} on {r.cell.name}
        {r.decision && (
          <>
            {' '}
            (decision: <strong data-testid="install-outcome-decision">{r.decision}</strong>)
          </>
        )}
      </p>
      {outcome.refusal && (
        <div className="callout callout--danger" data-testid="install-outcome-refusal" data-code={outcome.refusal.code}>
          <p className="callout__title">{outcome.refusal.title}</p>
          <p>{outcome.refusal.sentence}</p>
          <p>
            <strong>Next:</strong> {outcome.refusal.next.admin}
          </p>
        </div>
      )}
      {r.error && <ErrorView error={r.error} variant="coded" className="install-outcome__error" testId="install-outcome-error" />}
      {!r.verification && r.action === 'install' && (
        <p className="muted" data-testid="install-outcome-not-checked">
          Signature: not checked (verification did not run).
        </p>
      )}
      {outcome.verdict && (
        <div className="install-outcome__verdict" data-testid="install-outcome-reason" data-reason={outcome.verdict.code}>
          <p>
            <strong>{outcome.verdict.title}</strong> <code>{outcome.verdict.code}</code>: {outcome.verdict.sentence}
          </p>
          <p className="muted">What to do: {outcome.verdict.next.admin}</p>
        </div>
      )}
      {outcome.mode && <p className="muted">Mode: {outcome.mode.sentence}</p>}
      <dl className="facts">
        <dt>Receipt id</dt>
        <dd>
          <code data-testid="receipt-id">{r.id}</code>
        </dd>
        <dt>Image</dt>
        <dd>
          <code className="digest" data-testid="install-outcome-image">
            {r.image}
          </code>{' '}
          <CopyButton value={r.image} label="Copy image reference" />
        </dd>
        <dt>Digest</dt>
        <dd>
          {digest ? (
            <>
              <code className="digest" data-testid="install-outcome-digest">
                {digest}
              </code>{' '}
              <CopyButton value={digest} label="Copy image digest" />
            </>
          ) : (
            <code className="digest" data-testid="install-outcome-digest">
              none (not pinned)
            </code>
          )}
        </dd>
      </dl>
      <details className="install-outcome__json">
        <summary>Receipt JSON</summary>
        <pre data-testid="receipt-json">{json}</pre>
      </details>
      <CopyButton value={json} label="Copy receipt JSON" />
    </div>
  );
}
