/* The attempt's outcome and its receipt (already in the activity log), with the catalogue's words for the verdict. */
import type { InstallOutcome } from '../../../../electron/ipc/contract/channels';
import { CopyButton } from '../../components/copy-button';

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

/** The outcome as a person says it; the receipt keeps core's word (`rejected`) for searching. */
const OUTCOME_WORD: Record<InstallOutcome['receipt']['outcome'], string> = {
  installed: 'Installed',
  uninstalled: 'Uninstalled',
  rejected: 'Refused',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function InstallOutcomeView({ outcome }: { outcome: InstallOutcome }) {
  const r = outcome.receipt;
  const json = JSON.stringify(r, null, 2);
  const digest = r.digest ?? pinnedDigest(r.image);
  return (
    <div className="install-outcome" data-testid="install-outcome" data-outcome={r.outcome} data-decision={r.decision ?? undefined}>
      {/* One sentence from the receipt explanation (the words Activity uses); the error's code second. */}
      <p className={`callout callout--${TONE[r.outcome]}`} role="status">
        <strong data-testid="install-outcome-word">{OUTCOME_WORD[r.outcome]}</strong>{' '}
        <span data-testid="install-outcome-summary">{outcome.summary}</span>
      </p>
      {outcome.listingBlock ? (
        // The signed store's listing blocked it (DESIGN 2.7): the store catalogue's words lead.
        <div className="callout callout--danger install-outcome__listing" data-testid="install-outcome-listing-block" data-code={outcome.listingBlock.code}>
          <p>
            <strong>{outcome.listingBlock.title}.</strong> {outcome.listingBlock.sentence}
          </p>
          <p>What to do: {outcome.listingBlock.next.admin}</p>
          <p className="muted" data-testid="install-outcome-listing-detail">
            Details for the helpdesk: {outcome.listingBlock.detail}
          </p>
        </div>
      ) : null}
      {outcome.refusal && (
        <div className="callout callout--danger" data-testid="install-outcome-refusal" data-code={outcome.refusal.code}>
          <p className="callout__title">{outcome.refusal.title}</p>
          <p>{outcome.refusal.sentence}</p>
          <p>
            <strong>Next:</strong> {outcome.refusal.next.admin}
          </p>
        </div>
      )}
      {r.error && (
        <p className="install-outcome__error muted" data-testid="install-outcome-error">
          Code for the helpdesk: <code>{r.error.code}</code>
        </p>
      )}
      {!r.verification && r.action !== 'uninstall' && (
        <p className="muted" data-testid="install-outcome-not-checked">
          {outcome.notChecked ?? 'Signature: not checked (verification did not run).'}
        </p>
      )}
      {outcome.verdict && (
        <div className="install-outcome__verdict" data-testid="install-outcome-reason" data-reason={outcome.verdict.code}>
          <p>
            <strong>{outcome.verdict.title}:</strong> {outcome.verdict.sentence}
            {/* The code is for the helpdesk: a failure's; a verified image needs none. */}
            {outcome.verdict.code !== 'VERIFIED' && <> <code className="muted">{outcome.verdict.code}</code></>}
          </p>
          {/* A verified image needs nothing more; the catalogue's "may be installed" is for before the install. */}
          {outcome.verdict.code !== 'VERIFIED' && <p className="muted">What to do: {outcome.verdict.next.admin}</p>}
        </div>
      )}
      {outcome.mode && r.action !== 'uninstall' && <p className="muted">Mode: {outcome.mode.sentence}</p>}
      <dl className="facts">
        {outcome.listingLine && (
          <>
            <dt>Listing</dt>
            <dd data-testid="install-outcome-listing">{outcome.listingLine}</dd>
          </>
        )}
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
