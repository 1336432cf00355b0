/* The local activity log (or a cell's receipts), newest first, one page at a time; filters and receipt import. */
import { useEffect, useState, type FormEvent } from 'react';
import type { ExplainedReceipt, Receipt } from '../../../../electron/ipc/contract/channels';
import { BADGES, type BadgeKey } from '../../components/badge-meta';
import { errorLabel, modeTitle } from '../../../../electron/ipc/contract/labels';
import { ErrorView } from '../../components/error-view';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';
import { PathField, usePathDrop } from '../../components/path-field';
import { ACTIVITY_PAGE_SIZE, useActivitySlice, type ActivityFilters } from '../../state/activity-slice';
import { useCellsSlice } from '../../state/cells-slice';

const OUTCOMES = ['installed', 'uninstalled', 'rejected', 'failed', 'cancelled'] as const;

function reasonOf(r: Receipt): string {
  return r.verification?.reason ?? r.error?.code ?? '';
}

/** The catalogue's short label: the badge's words for a verdict, the error catalogue's for an error. */
function reasonLabel(code: string): string {
  if (!code) return '—';
  return code in BADGES ? BADGES[code as BadgeKey].label : errorLabel(code);
}

function ReceiptRow({ receipt, onOpen }: { receipt: Receipt; onOpen: () => void }) {
  return (
    <tr className={`activity-row activity-row--${receipt.outcome}`} data-testid="activity-row" data-receipt-id={receipt.id}>
      <td className="activity-row__time">{receipt.at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}</td>
      <td>{receipt.action}</td>
      <td>
        {visibleText(receipt.service.name)} <span className="muted">{visibleText(receipt.service.version)}</span>
      </td>
      <td>{visibleText(receipt.cell.name)}</td>
      <td>
        <span className={`outcome outcome--${receipt.outcome}`}>{receipt.outcome}</span>
      </td>
      <td data-testid="activity-reason">
        {/* The catalogue's short label first; the code second, for searching and tickets. */}
        <span className="activity-row__label">{reasonLabel(reasonOf(receipt))} </span>
        {reasonOf(receipt) && <code className="muted">{reasonOf(receipt)}</code>}
      </td>
      <td data-mode-value={receipt.mode?.value} data-mode-source={receipt.mode?.source}>{receipt.mode ? modeTitle(receipt.mode) : 'Unknown (cell not reached)'}</td>
      <td>
        <button type="button" className="button button--small" onClick={onOpen} aria-label={`Explain ${receipt.service.name} ${receipt.at}`}>
          Explain
        </button>
      </td>
    </tr>
  );
}

function Filters() {
  const filters = useActivitySlice((s) => s.filters);
  const setFilters = useActivitySlice((s) => s.setFilters);
  const [draft, setDraft] = useState<ActivityFilters>(filters);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(draft).filter(([, v]) => v)) as ActivityFilters;
    void setFilters(clean);
  };
  return (
    <form className="activity-filters" onSubmit={submit} aria-label="Filter receipts">
      <label>
        Outcome
        <select value={draft.outcome ?? ''} onChange={(e) => setDraft({ ...draft, outcome: (e.target.value || undefined) as ActivityFilters['outcome'] })}>
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label>
        Cell
        <input value={draft.cell ?? ''} onChange={(e) => setDraft({ ...draft, cell: e.target.value })} placeholder="name or destination" />
      </label>
      <label>
        Service
        <input value={draft.service ?? ''} onChange={(e) => setDraft({ ...draft, service: e.target.value })} placeholder="id or name" />
      </label>
      <label>
        Reason
        <input value={draft.reason ?? ''} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} placeholder="e.g. Unsigned" />
      </label>
      <button type="submit" className="button">
        Apply
      </button>
    </form>
  );
}

function ImportForm() {
  const importFrom = useActivitySlice((s) => s.importFrom);
  const op = useActivitySlice((s) => s.importOp);
  const [path, setPath] = useState('');
  const { onDragOver, onDrop } = usePathDrop(setPath);
  return (
    <form
      className="path-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void importFrom(path.trim());
      }}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <label htmlFor="import-path">Import a receipt someone sent you (absolute path of the .json file)</label>
      <div className="path-form__row">
        <PathField
          id="import-path"
          value={path}
          onChange={setPath}
          placeholder="/home/you/Downloads/receipt.json"
          purpose="receipt-import"
          chooseLabel="Choose a receipt file to import"
          onChosen={(p) => {
            setPath(p);
            void importFrom(p);
          }}
        >
          <button type="submit" className="button button--inline" disabled={op.status === 'loading'}>
            Import
          </button>
        </PathField>
      </div>
      {op.error && <ErrorView error={op.error} title="That file is not a receipt this app can show" />}
    </form>
  );
}

function Imported({ items, onOpen }: { items: ExplainedReceipt[]; onOpen: (r: Receipt) => void }) {
  if (!items.length) return null;
  return (
    <section aria-labelledby="imported-title">
      <h3 id="imported-title">Imported this session</h3>
      <ul className="plain-list">
        {items.map((x) => (
          <li key={x.receipt.id} data-receipt-id={x.receipt.id}>
            <button type="button" className="link-button" onClick={() => onOpen(x.receipt)}>
              {x.explanation.headline}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Receipts on a cell": switch the list to what a configured cell stores, read over SSH on demand. */
function SourcePicker() {
  const source = useActivitySlice((s) => s.source);
  const setSource = useActivitySlice((s) => s.setSource);
  const profiles = useCellsSlice((s) => s.profiles);
  const loadCells = useCellsSlice((s) => s.load);
  useEffect(() => {
    void loadCells();
  }, [loadCells]);
  const value = source.kind === 'cell' ? source.cellId : '';
  return (
    <label className="activity-source">
      Receipts on a cell
      <select aria-label="Receipts on a cell" data-testid="activity-source" value={value} onChange={(e) => void setSource(e.target.value ? { kind: 'cell', cellId: e.target.value } : { kind: 'log' })}>
        <option value="">This machine’s activity log</option>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.destination}) — read store/receipts.jsonl
          </option>
        ))}
      </select>
      {source.kind === 'cell' && (
        <button type="button" className="button button--small" onClick={() => void useActivitySlice.getState().load()}>
          Read again
        </button>
      )}
    </label>
  );
}

/** One page (100 receipts) at a time: 10,000 stay instant. */
export function ActivityList() {
  const { status, error, page, offset, imported, load, goTo, open, source } = useActivitySlice();
  const cellName = useCellsSlice((s) => (source.kind === 'cell' ? (s.profiles.find((p) => p.id === source.cellId)?.name ?? source.cellId) : null));
  const filtered = useActivitySlice((s) => Object.keys(s.filters).length > 0);
  const total = page?.total ?? 0;
  const shown = page?.receipts.length ?? 0;
  // Nothing recorded at all (not "nothing matches"): lead with what fills this view, not a filter form.
  const emptyLog = !!page && total === 0 && !filtered && page.skippedCount === 0;
  return (
    <>
      <ImportForm />
      <Imported items={imported} onOpen={(r) => void open(r, 'imported')} />
      <SourcePicker />
      <h3 data-testid="activity-source-title">{cellName ? `Receipts stored on ${cellName}` : 'Local activity'}</h3>
      {!emptyLog && <Filters />}
      {error && <ErrorView error={error} title={cellName ? `The receipts on ${cellName} could not be read` : 'The activity log could not be read'} onRetry={() => void load()} />}
      {page && page.skippedCount > 0 && (
        <p className="callout callout--warn" data-testid="skipped-lines">
          {page.skippedCount} line(s) of the log could not be read and were skipped (first: line {page.skipped[0]?.line}, {page.skipped[0]?.reason}). Nothing was removed.
        </p>
      )}
      {status === 'loading' && !page && <p className="muted">Loading…</p>}
      {emptyLog && (
        <div className="callout callout--info empty-state" data-testid="activity-empty">
          <p className="callout__title">{cellName ? `No receipts on ${cellName} yet` : 'No receipts yet'}</p>
          <p>
            {cellName
              ? 'This cell has no store/receipts.jsonl entries: nothing has been installed or uninstalled on it by this app.'
              : 'Every install or uninstall attempt, refused ones included, leaves a receipt here. Install a service from the Store onto a cell, or import a receipt someone sent you with the field above.'}
          </p>
        </div>
      )}
      {page && total === 0 && !emptyLog && (
        <p className="muted" data-testid="activity-empty">
          No receipts{filtered ? ' match these filters' : ' yet'}.
        </p>
      )}
      {page && total > 0 && (
        <>
          <p className="muted" data-testid="activity-count">
            Showing {offset + 1}–{offset + shown} of {total.toLocaleString('en')} receipts, newest first
          </p>
          <table className="activity-table">
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Action</th>
                <th>Service</th>
                <th>Cell</th>
                <th>Outcome</th>
                <th>Reason</th>
                <th>Mode</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {page.receipts.map((r) => (
                <ReceiptRow key={r.id} receipt={r} onOpen={() => void open(r, 'log')} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" className="button" disabled={offset === 0} onClick={() => void goTo(offset - ACTIVITY_PAGE_SIZE)}>
              Newer
            </button>
            <button type="button" className="button" disabled={offset + shown >= total} onClick={() => void goTo(offset + ACTIVITY_PAGE_SIZE)}>
              Older
            </button>
          </div>
        </>
      )}
    </>
  );
}
