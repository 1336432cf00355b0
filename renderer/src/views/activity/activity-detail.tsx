/* One receipt explained: the same sections, in the same words, as `pic-store explain`; export and re-check. */
import { useEffect, useRef, useState } from 'react';
import type { ExplainedReceipt, RecheckResult } from '../../../../electron/ipc/contract/channels';
import { CopyButton } from '../../components/copy-button';
import { ErrorView } from '../../components/error-view';
import { Fingerprint } from '../../components/fingerprint';
import { checkLabel } from '../../../../electron/ipc/contract/labels';
import { PathField } from '../../components/path-field';
import { useActivitySlice } from '../../state/activity-slice';
import { useCellsSlice } from '../../state/cells-slice';

const ROLE_LABEL = { admin: 'Admin', developer: 'Service developer', helpdesk: 'Helpdesk' } as const;

/** Core's words (explain-text) for key lists of an attempt that stopped before verification. */
const NOT_CHECKED = 'not checked (verification did not run)';

/** "abc… (origin)" as core lists trusted keys: the fingerprint is what gets copied. */
/** What the chosen cell would do with this image today, in words (the decision code stays in the data). */
const DECISION_NOW = {
  allow: 'Today it would install.',
  warn: 'Today it would install, with a warning.',
  block: 'Today it would refuse it.',
} as const;

function KeyList({ keys, empty, what }: { keys: string[]; empty: string; what: string }) {
  if (!keys.length) return <>{empty}</>;
  return (
    <ul className="plain-list evidence-keys">
      {keys.map((k) => {
        const [fingerprint = k, ...rest] = k.split(' ');
        return (
          <li key={k}>
            <Fingerprint value={fingerprint} label={`Copy ${what} ${fingerprint.slice(0, 12)}`} /> {rest.join(' ')}
          </li>
        );
      })}
    </ul>
  );
}

function Evidence({ x }: { x: ExplainedReceipt['explanation'] }) {
  const e = x.evidence;
  return (
    <dl className="facts" data-testid="explain-evidence">
      <dt>Image</dt>
      <dd>
        <Fingerprint value={e.image} label="Copy image reference" testId="evidence-image" />
      </dd>
      <dt>Digest</dt>
      <dd>{e.digest ? <Fingerprint value={e.digest} label="Copy image digest" testId="evidence-digest" /> : <code>none (not pinned)</code>}</dd>
      <dt>Trusted keys</dt>
      <dd data-testid="evidence-trusted-keys">{e.verificationRan ? <KeyList keys={e.trustedKeys} empty="none" what="trusted key" /> : NOT_CHECKED}</dd>
      <dt>Signed by</dt>
      <dd data-testid="evidence-signed-by">{e.verificationRan ? <KeyList keys={e.foundKeys} empty="no trusted key" what="signing key" /> : NOT_CHECKED}</dd>
      {e.boundDigests.length > 0 && (
        <>
          <dt>Signature binds</dt>
          <dd>
            <ul className="plain-list evidence-keys">
              {e.boundDigests.map((d) => (
                <li key={d}>
                  <Fingerprint value={d} label={`Copy bound digest ${d.slice(7, 19)}`} />
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </dl>
  );
}

function VerdictColumns({ x }: { x: ExplainedReceipt['explanation'] }) {
  const tone = (v: boolean | null) => (v === null ? 'neutral' : v ? 'ok' : 'danger');
  return (
    <div className={x.disagreement ? 'verdicts verdicts--disagree' : 'verdicts'} data-testid="verdicts">
      <div className={`verdict verdict--${tone(x.desktop.verified)}`} data-testid="desktop-verdict">
        <div className="verdict__who">This desktop</div>
        <div className="verdict__what">{x.desktop.summary}</div>
      </div>
      <div className={`verdict verdict--${tone(x.cell.verified)}`} data-testid="cell-verdict">
        <div className="verdict__who">The cell</div>
        <div className="verdict__what">{x.cell.summary}</div>
      </div>
      {x.disagreementSentence && (
        <p className="callout callout--danger verdicts__note" role="alert" data-testid="disagreement">
          <strong>The two verdicts disagree.</strong> {x.disagreementSentence}
        </p>
      )}
    </div>
  );
}

function RecheckPanel() {
  const profiles = useCellsSlice((s) => s.profiles);
  const loadCells = useCellsSlice((s) => s.load);
  const { recheck, recheckWith } = useActivitySlice();
  const [cellId, setCellId] = useState('');
  useEffect(() => {
    void loadCells();
  }, [loadCells]);
  return (
    <section className="detail-section" aria-labelledby="recheck-title">
      <h3 id="recheck-title">Re-check</h3>
      <p className="muted">
        Verifies the same image digest again with today’s trust root — from a registry of your own configured stores, or one you confirm. The mode is read again only from a cell profile you choose here — never from the destination written in the receipt.
      </p>
      <div className="path-form__row">
        <select aria-label="Cell to read the mode from" value={cellId} onChange={(e) => setCellId(e.target.value)}>
          <option value="">No cell (image only)</option>
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.destination})
            </option>
          ))}
        </select>
        <button type="button" className="button button--inline" disabled={recheck.status === 'loading'} onClick={() => void recheckWith(cellId || null)}>
          {recheck.status === 'loading' ? 'Checking…' : 'Re-check now'}
        </button>
      </div>
      {recheck.error && <ErrorView error={recheck.error} title="Re-check failed" />}
      {recheck.result && <RecheckView r={recheck.result} onConfirm={(host) => void recheckWith(cellId || null, host)} busy={recheck.status === 'loading'} />}
    </section>
  );
}

function RecheckView({ r, onConfirm, busy }: { r: RecheckResult; onConfirm: (host: string) => void; busy: boolean }) {
  return (
    <div className="recheck" data-testid="recheck-result" data-image-state={r.imageState}>
      <p className={r.changes.length || r.imageState !== 'checked' ? 'callout callout--warn' : 'callout callout--info'} data-testid="recheck-summary">
        {r.summary}
      </p>
      {r.imageState === 'not-checked' && r.registry && (
        <p>
          <button type="button" className="button button--inline" disabled={busy} onClick={() => onConfirm(r.registry as string)}>
            Check image at {r.registry}
          </button>{' '}
          <span className="muted">Only if you trust that host: the receipt, not your configuration, names it.</span>
        </p>
      )}
      {r.changes.length > 0 && (
        <table className="changes" data-testid="recheck-changes">
          <thead>
            <tr>
              <th>What</th>
              <th>In the receipt</th>
              <th>Now</th>
            </tr>
          </thead>
          <tbody>
            {r.changes.map((c) => (
              <tr key={c.what} data-change={c.what}>
                <td>{c.what}</td>
                <td>{c.before}</td>
                <td>
                  <strong>{c.after}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.explanation && (
        <p>
          <strong>{r.explanation.title}:</strong> {r.explanation.sentence}
        </p>
      )}
      {r.cell && (
        <p>
          <strong>{r.cell.name}:</strong> {r.cell.explanation.sentence}
          {r.decision && (
            <>
              {' '}
              <span data-decision={r.decision}>{DECISION_NOW[r.decision]}</span>
            </>
          )}
        </p>
      )}
      {r.cellError && <ErrorView error={r.cellError} title="The chosen cell could not be read" />}
      <p className="muted">
        {r.imageState === 'checked' ? 'Checked' : 'Not checked'} {r.image} at {r.at}.
      </p>
    </div>
  );
}

function ExportPanel({ x }: { x: ExplainedReceipt }) {
  const { exported, exportTo } = useActivitySlice();
  const [path, setPath] = useState('');
  return (
    <section className="detail-section" aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void exportTo(path.trim());
        }}
      >
        <label htmlFor="export-path">Save the receipt as a file (absolute path)</label>
        <div className="path-form__row">
          <PathField
            id="export-path"
            value={path}
            onChange={setPath}
            placeholder={`/home/you/receipt-${x.receipt.id.slice(0, 8)}.json`}
            purpose="receipt-export"
            suggestedName={`receipt-${x.receipt.id.slice(0, 8).replace(/[^A-Za-z0-9_-]/g, '')}.json`}
            chooseLabel="Choose where to save the receipt"
            onChosen={(p) => {
              setPath(p);
              void exportTo(p);
            }}
          >
            <button type="submit" className="button button--inline">
              Export
            </button>
          </PathField>
          <CopyButton value={x.ticket} label="Copy for a ticket" />
        </div>
      </form>
      <p className="muted">A new file ending in .json, in a folder that exists; an existing file is never replaced.</p>
      {exported.result && (
        <p className="callout callout--ok" data-testid="export-done">
          Saved {exported.result.bytes} bytes to {exported.result.path}
        </p>
      )}
      {exported.error && <ErrorView error={exported.error} title="Export failed" />}
    </section>
  );
}

export function ActivityDetail() {
  const { selected, selectedFrom, detail, close } = useActivitySlice();
  const heading = useRef<HTMLHeadingElement>(null);
  const shownId = selected?.receipt.id;
  // Opening a receipt moves focus to its headline, so reading starts at what was opened.
  useEffect(() => {
    if (shownId) heading.current?.focus();
  }, [shownId]);
  if (detail.error) return <ErrorView error={detail.error} title="This receipt could not be explained" onRetry={close} />;
  if (!selected) return <p className="muted">Loading…</p>;
  const x = selected.explanation;
  const r = selected.receipt;
  return (
    <article className="activity-detail" data-testid="activity-detail" data-receipt-id={r.id}>
      <button type="button" className="button button--small" onClick={close}>
        ← Back to the list
      </button>{' '}
      <span className="muted key-hint">or press Esc</span>
      {selectedFrom === 'imported' && <span className="tag tag--local imported-tag">imported</span>}
      <h3 data-testid="explain-headline" ref={heading} tabIndex={-1}>
        {x.headline}
      </h3>
      <p data-testid="explain-outcome">{x.outcomeSentence}</p>
      {x.verdict ? (
        <div className={`callout ${r.verification?.verified ? 'callout--ok' : 'callout--danger'}`} data-testid="explain-verdict" data-reason={x.verdict.code}>
          <p className="callout__title">
            {x.verdict.title} <code>{x.verdict.code}</code>
          </p>
          <p>{x.verdict.sentence}</p>
          {x.failedCheck && (
            <p data-testid="failed-check">
              Failed check: <strong>{checkLabel(x.failedCheck.id)}</strong> <code className="muted">{x.failedCheck.id}</code> — {x.failedCheck.detail}
            </p>
          )}
        </div>
      ) : (
        <p className="callout callout--info">No verification ran for this attempt.</p>
      )}
      <Evidence x={x} />
      <section className="detail-section" aria-labelledby="mode-title">
        <h3 id="mode-title">Mode</h3>
        {x.mode ? (
          <div data-testid="explain-mode" data-mode-value={x.mode.value} data-mode-source={x.mode.source}>
            <p>
              <strong>{x.mode.title}</strong>
            </p>
            <p>{x.mode.sentence}</p>
            <p className="muted">{x.mode.detail}</p>
          </div>
        ) : (
          <p data-testid="explain-mode">Unknown — the cell could not be reached, so nothing was installed.</p>
        )}
      </section>
      <section className="detail-section" aria-labelledby="verdicts-title">
        <h3 id="verdicts-title">Verdicts side by side</h3>
        <VerdictColumns x={x} />
      </section>
      <section className="detail-section" aria-labelledby="next-title">
        <h3 id="next-title">Next steps</h3>
        <dl className="facts" data-testid="explain-next">
          {(['admin', 'developer', 'helpdesk'] as const).map((role) => (
            <div key={role} className="facts__pair">
              <dt>{ROLE_LABEL[role]}</dt>
              <dd data-role={role}>{x.next[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
      {x.checks.length > 0 && (
        <section className="detail-section" aria-labelledby="checks-title">
          <h3 id="checks-title">Every check</h3>
          <table className="receipt-checks">
            <tbody>
              {x.checks.map((c) => (
                <tr key={c.id} className={`receipt-check receipt-check--${c.status}`}>
                  <td>
                    <span className={`receipt-check__status receipt-check__status--${c.status}`}>{c.status}</span>
                  </td>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <ExportPanel x={selected} />
      <RecheckPanel />
      <details className="detail-section">
        <summary>Raw receipt</summary>
        <pre className="raw" data-testid="raw-receipt">
          {JSON.stringify(r, null, 2)}
        </pre>
      </details>
    </article>
  );
}
