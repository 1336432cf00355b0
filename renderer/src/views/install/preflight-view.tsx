import type { Explanation, PreflightSummary, VerdictWords } from '../../../../electron/ipc/contract/channels';
import { badgeLabel } from '../../../../electron/ipc/contract/labels';
import { CopyButton } from '../../components/copy-button';

/**
 * The pre-flight summary exactly as core built it: the renderer lays it out and decides nothing.
 * The verdict and the mode come with the catalogue's full sentence and the admin's next step
 * (the same words the CLI prints and Activity shows later). Listing data is under its own
 * heading, "from the store listing, not signed" — or, from a signed store (DESIGN 2.7), "from the
 * signed store listing" with the line naming whose signature, version and expiry.
 */
export function PreflightView({ summary: s, verdict, mode }: { summary: PreflightSummary; verdict: VerdictWords; mode: Explanation }) {
  const env = Object.entries(s.listing.environment);
  const tone = s.decision === 'allow' && s.verdict.verified ? 'ok' : s.decision === 'block' ? 'danger' : 'warn';
  return (
    <div className="preflight" data-testid="preflight">
      <div className={`callout callout--${tone}`} data-testid="preflight-verdict">
        {/* What will happen, in words (issue 17 item 3): the decision code stays in the data. */}
        <p>
          <strong>{s.verdict.verified ? "Verified under the cell's key" : `Not verified: ${verdict.title}`}</strong> —{' '}
          <span data-testid="preflight-decision" data-decision={s.decision}>
            {s.verdict.verified ? 'it will be installed when you confirm.' : `${verdict.sentence}.`}
          </span>
        </p>
        <p data-testid="preflight-explanation">{s.explanations.verdict.sentence}</p>
        <p data-testid="preflight-next">
          <strong>Next:</strong> {s.explanations.verdict.next.admin}
        </p>
      </div>
      {s.appVerdict && (
        <p className="callout callout--warn" data-testid="preflight-app-badge">
          The app’s own badge differs: {s.appVerdict.verified ? 'verified' : `not verified: ${badgeLabel(s.appVerdict.reason)}`} under the app’s trusted keys.
        </p>
      )}
      <dl className="facts">
        <dt>Cell</dt>
        <dd data-testid="preflight-cell">
          {s.cell.name} ({s.cell.destination}), root <code>{s.cell.root}</code>
          {!s.cell.rootIsDefault && ' (non-default)'}
        </dd>
        <dt>Mode</dt>
        <dd data-testid="preflight-mode">
          {s.mode.value} <span className="muted">({s.mode.source})</span> — {mode.sentence}
          <div className="muted" data-testid="preflight-mode-next">
            Next: {mode.next.admin}
          </div>
        </dd>
        <dt>Cell key</dt>
        <dd>
          {s.cellKey ? (
            <>
              <code className="fingerprint">{s.cellKey.fingerprint}</code> {s.cellKey.matchesTrustRoot ? '(also in the app’s trust root)' : '(differs from the app’s trust root)'}
            </>
          ) : (
            'none usable'
          )}
        </dd>
        {s.cellVerification && (
          <>
            <dt>Cell-side cosign</dt>
            <dd>{s.cellVerification.ran ? `${s.cellVerification.cosignVersion ?? ''} ${s.cellVerification.verified ? 'verified' : 'NOT verified'}` : s.cellVerification.output}</dd>
          </>
        )}
        <dt>Service</dt>
        <dd>
          {s.service.name} <span className="muted">({s.service.id})</span> {s.service.version}
        </dd>
        {s.upgrade && (
          <>
            <dt>Upgrade</dt>
            <dd data-testid="preflight-upgrade">
              {s.upgrade.from.version ?? '?'} <code className="digest">{s.upgrade.from.digest ?? '?'}</code> → {s.upgrade.to.version} <code className="digest">{s.upgrade.to.digest}</code>
            </dd>
          </>
        )}
        <dt>Image</dt>
        <dd>
          <code>{s.image}</code>
        </dd>
        <dt>Runs (digest)</dt>
        <dd className="preflight__digest">
          <code className="digest" data-testid="preflight-digest">
            {s.digest}
          </code>
          <CopyButton value={s.digest} label="Copy image digest" />
        </dd>
        <dt>Platform</dt>
        <dd data-testid="preflight-arch">
          cell {s.architecture.cell ?? 'unknown'}, image {s.architecture.image?.join(', ') ?? 'unknown'}
          {s.architecture.compatible === false && <strong> — mismatch</strong>}
        </dd>
        <dt>Free disk</dt>
        <dd>{s.freeText}</dd>
      </dl>
      <section className="preflight__listing" aria-labelledby="preflight-listing-title">
        <h4 id="preflight-listing-title">
          Ports, volumes, environment <span className={s.listingSignature?.signed ? 'preflight__signed' : 'preflight__unsigned'}>{s.listing.label}</span>
        </h4>
        {s.listingSignature && (
          <p className={s.listingSignature.signed ? 'listing-signature listing-signature--signed' : 'listing-signature'} data-testid="preflight-listing-signature">
            {s.listingSignature.sentence}
          </p>
        )}
        <dl className="facts">
          <dt>Ports</dt>
          <dd>
            {s.listing.ports.length === 0
              ? 'none'
              : s.listing.ports.map((p) => {
                  const clash = s.portConflicts.some((c) => c.host === p.host && c.protocol === p.protocol);
                  return (
                    <span key={`${p.host}/${p.protocol}`} className={clash ? 'preflight__clash' : undefined}>
                      host {p.host} → container {p.container}/{p.protocol}
                      {clash && ' (already in use on the cell)'}{' '}
                    </span>
                  );
                })}
          </dd>
          <dt>Volumes</dt>
          <dd>{s.listing.volumes.length === 0 ? 'none' : s.listing.volumes.map((v) => <div key={v.name}>{v.name} at <code>{v.path}</code></div>)}</dd>
          <dt>Environment</dt>
          <dd>
            {env.length === 0
              ? 'none'
              : env.map(([k, v]) => (
                  <div key={k}>
                    <code>{k}</code>=<code>{JSON.stringify(v)}</code>
                  </div>
                ))}
          </dd>
        </dl>
      </section>
      {s.warnings.length > 0 && (
        <ul className="preflight__warnings" data-testid="preflight-warnings">
          {s.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
