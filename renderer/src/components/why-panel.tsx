import type { ServiceVerdict } from '../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../electron/ipc/contract/domain';
import { Badge } from './badge';
import { CopyButton } from './copy-button';
import { ErrorView } from './error-view';
import { checkLabel } from '../../../electron/ipc/contract/labels';
import { keyName, originWords } from './key-name';

const STATUS_WORD = { pass: 'Passed', fail: 'Failed', warn: 'Warning', skip: 'Not checked' } as const;
const STATUS_ICON = { pass: '✔', fail: '✖', warn: '⚠', skip: '–' } as const;
/**
 * The transparency-log row (DESIGN 2.8): the deciding entry's log, index and "signed no later
 * than", or why none was judged — and what the store's policy means.
 */
function TlogFact({ report }: { report: ServiceVerdict['report'] }) {
  const check = report.checks.find((c) => c.id === 'transparency-log');
  const entry = report.signatures.find((s) => s.tlog?.status === 'verified' && !s.problem)?.tlog;
  const policy = report.transparencyLogPolicy;
  return (
    <div data-testid="why-tlog" data-status={check?.status ?? ''}>
      <dt>Transparency log</dt>
      <dd>
        {check?.status === 'pass' && entry ? (
          <>
            entry <strong data-testid="why-tlog-index">{entry.index}</strong> in <code data-testid="why-tlog-log">{entry.log}</code> — signed no later than{' '}
            <span data-testid="why-tlog-time">{entry.integratedTime}</span>
          </>
        ) : (
          <span>{check?.detail ?? 'not checked'}</span>
        )}
        {policy === 'if-present' && (
          <span className="muted" data-testid="why-tlog-policy">
            {' '}
            (store policy &ldquo;if-present&rdquo;: an unlogged signature is accepted; only &ldquo;required&rdquo; protects against a registry that strips log entries)
          </span>
        )}
        {policy === 'required' && (
          <span className="muted" data-testid="why-tlog-policy">
            {' '}
            (store policy &ldquo;required&rdquo;: a signature counts only with a valid entry from a trusted log)
          </span>
        )}
      </dd>
    </div>
  );
}

/** A full stop, unless the text already ends in one or in an ellipsis (a short fingerprint). */
function endSentence(text: string): string {
  return /[.…]$/.test(text) ? text : `${text}.`;
}

const ROLE_LABEL = { developer: 'Service developer', helpdesk: 'Helpdesk' } as const;

/**
 * "Why this badge": every check with its status and detail, the key that verified (or the keys
 * tried, with origin), the signatures seen, when and whether cached — and for failures the
 * catalogue's sentence and next step per role. Everything shown was decided in core.
 */
export function WhyPanel({
  verdict,
  onReverify,
  busy,
  missing = 'pending',
  error = null,
}: {
  verdict: ServiceVerdict | undefined;
  onReverify: () => void;
  busy: boolean;
  /** Without a verdict: being checked (`pending`), or no check is coming (`unchecked`). */
  missing?: 'pending' | 'unchecked';
  /** Why the last re-verify failed: shown here, where it was asked for. */
  error?: IpcError | null;
}) {
  const reverify = (
    <button type="button" className="button button--small" aria-disabled={busy || undefined} data-testid="why-reverify" onClick={() => !busy && onReverify()}>
      {busy ? 'Re-verifying…' : 'Re-verify'}
    </button>
  );
  const failure = error && (
    <div data-testid="why-error">
      <ErrorView error={error} title="Re-verify failed; the badge shown is the last verdict reached." />
    </div>
  );
  if (!verdict) {
    return (
      <section className="why" aria-labelledby="why-title" data-testid="why-panel" data-reason={missing}>
        <div className="why__head">
          <h3 id="why-title">Why this badge</h3>
          {missing === 'unchecked' && reverify}
        </div>
        {failure}
        <p>
          {missing === 'unchecked' ? (
            <>
              <Badge code="unchecked" /> Not checked: verification was cancelled or failed before reaching this service. Re-verify to check it now.
            </>
          ) : (
            <>
              <Badge code="pending" /> This service is still being checked.
            </>
          )}
        </p>
      </section>
    );
  }
  const { report, explanation } = verdict;
  const failed = report.checks.find((c) => c.status === 'fail');
  const verifiedBy = report.signatures.filter((s) => s.keyFingerprint && !s.problem);
  const formats = [...new Set(report.signatures.map((s) => s.format))];
  const identities = [...new Set(report.signatures.map((s) => s.identity).filter((x): x is string => !!x))];
  const bound = [...new Set(report.signatures.map((s) => s.boundDigest).filter((x): x is string => !!x))];
  const failedDigests = failed ? [...new Set(failed.detail.match(/sha256:[0-9a-f]{64}/g) ?? [])] : [];
  return (
    <section className="why" aria-labelledby="why-title" data-testid="why-panel" data-reason={report.reason} data-failed-check={failed?.id ?? ''}>
      <div className="why__head">
        <h3 id="why-title">Why this badge</h3>
        {reverify}
      </div>
      {failure}
      {/* One sentence first: who vouches for the image, then the admin's next step (issue 17 item 2). */}
      <p className="why__lead" data-testid="why-vouch">
        {verifiedBy[0]?.keyFingerprint
          ? endSentence(`Signed by ${keyName(report.trustedKeys.find((k) => k.fingerprint === verifiedBy[0]!.keyFingerprint), verifiedBy[0].keyFingerprint)}`)
          : 'No trusted key vouches for this image: a default (enforce) cell will refuse it.'}{' '}
        <span data-testid="why-admin-next">{explanation.next.admin}</span>
      </p>
      <p className="why__verdict">
        <Badge code={report.reason} size="large" /> <span data-testid="why-sentence">{explanation.sentence}</span>
      </p>
      {failed && (
        <p className="why__failed" data-testid="why-failed-check">
          Failing check: <strong>{checkLabel(failed.id)}</strong> <code className="muted">{failed.id}</code> — {failed.detail}
          {failedDigests.map((d) => (
            <span key={d} className="why__copy">
              <code>{d.slice(0, 19)}…</code> <CopyButton value={d} label={`Copy digest ${d}`} />
            </span>
          ))}
        </p>
      )}
      {!report.verified && (
        <dl className="why__next">
          {/* The admin's step leads the panel; the other roles' follow here, each once. */}
          {(['developer', 'helpdesk'] as const).map((r) => (
            <div key={r}>
              <dt>{ROLE_LABEL[r]}: next step</dt>
              <dd>{explanation.next[r]}</dd>
            </div>
          ))}
        </dl>
      )}
      {report.errors && report.errors.length > 0 && (
        <>
          <h4>Listing errors</h4>
          <ul className="why__errors">
            {report.errors.map((e, i) => (
              <li key={i}>
                <code>{e.path || '/'}</code> {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Checks</h4>
      <ol className="checks">
        {report.checks.map((c) => (
          <li key={c.id} className={`check check--${c.status}`} data-check-id={c.id} data-status={c.status}>
            <span className="check__icon" aria-hidden="true">
              {STATUS_ICON[c.status]}
            </span>
            <span className="check__label">
              {checkLabel(c.id)} <code className="check__id">{c.id}</code>
            </span>
            <span className="check__status">{STATUS_WORD[c.status]}</span>
            <span className="check__detail">{c.detail}</span>
          </li>
        ))}
      </ol>
      <h4>Keys</h4>
      {verifiedBy.length > 0 ? (
        <ul className="why__keys">
          {verifiedBy.map((s, i) => (
            <li key={i} data-testid="verified-key">
              Verified by key <code>{s.keyFingerprint}</code> ({originWords(report.trustedKeys.find((k) => k.fingerprint === s.keyFingerprint)?.origin)}){' '}
              <CopyButton value={s.keyFingerprint ?? ''} label="Copy key fingerprint" />
            </li>
          ))}
        </ul>
      ) : (
        <ul className="why__keys">
          {report.trustedKeys.length === 0 && <li>No trusted key was available.</li>}
          {report.trustedKeys.map((k) => (
            <li key={k.fingerprint} data-testid="tried-key">
              Tried <code>{k.fingerprint}</code> ({originWords(k.origin)}
              {k.type ? `, ${k.type}` : ''}) <CopyButton value={k.fingerprint} label={`Copy key fingerprint ${k.fingerprint}`} />
            </li>
          ))}
        </ul>
      )}
      <dl className="why__facts">
        <div>
          <dt>Image</dt>
          <dd>
            <code>{report.image}</code> <CopyButton value={report.image} label="Copy image reference" />
          </dd>
        </div>
        {bound.length > 0 && (
          <div>
            <dt>Signature binds</dt>
            <dd data-testid="why-bound">
              {bound.map((d) => (
                <span key={d} className="why__copy">
                  <code>{d}</code> <CopyButton value={d} label={`Copy bound digest ${d}`} />
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Signature format</dt>
          <dd>{formats.length ? formats.join(', ') : 'none found'}</dd>
        </div>
        <TlogFact report={report} />
        <div>
          <dt>Payload identity</dt>
          <dd>{identities.length ? identities.join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Checked</dt>
          <dd data-testid="why-when">
            <span data-testid="why-verified-at" data-verified-at={report.verifiedAt ?? ''}>
              {report.verifiedAt ? new Date(report.verifiedAt).toLocaleString() : 'unknown'}
            </span>{' '}
            · <span data-testid="why-cached">{report.cached ? 'from the badge cache' : 'fresh'}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
