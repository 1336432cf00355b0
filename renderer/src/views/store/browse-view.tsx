import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { LoadedStoreView, VerdictSummary } from '../../../../electron/ipc/contract/channels';
import { BADGES, BADGE_ORDER, type BadgeKey } from '../../components/badge-meta';
import { ErrorView } from '../../components/error-view';
import { SummaryChart } from '../../components/summary-chart';
import { DEFAULT_BROWSE, useStoreSlice, type BrowseState } from '../../state/store-slice';
import { runActive, useVerificationSlice } from '../../state/verification-slice';
import { buildRows, countBadges, filterRows, sortRows, type SortKey } from './filters';
import { ServiceGrid } from './service-grid';

const NO_VERDICTS: Record<number, VerdictSummary> = {};

/** The browse view: summary, progress, search + filters + sort, and the virtualised cards. */
export function BrowseView({ store }: { store: LoadedStoreView }) {
  const verdicts = useVerificationSlice((s) => s.verdicts);
  const stale = useVerificationSlice((s) => s.stale);
  const run = useVerificationSlice((s) => s.run);
  const verifyStatus = useVerificationSlice((s) => s.status);
  const verifyError = useVerificationSlice((s) => s.error);
  const verifyStore = useVerificationSlice((s) => s.verifyStore);
  const cancel = useVerificationSlice((s) => s.cancel);
  const openService = useStoreSlice((s) => s.openService);
  const storeId = store.ref.id;
  const saved = useStoreSlice((s) => s.browse[storeId]) ?? DEFAULT_BROWSE;
  const setBrowse = useStoreSlice((s) => s.setBrowse);
  const update = useCallback((patch: Partial<BrowseState>) => setBrowse(storeId, patch), [setBrowse, storeId]);
  const { query, category, sort, layout } = saved;
  const badge = saved.badge as BadgeKey | '';
  const searchPending = useStoreSlice((s) => s.searchFocusPending);
  const searchFocused = useStoreSlice((s) => s.searchFocused);
  const searchRef = useRef<HTMLInputElement>(null);
  const deferredVerdicts = useDeferredValue(verdicts);
  // A service without a verdict is "Checking…" while a run is under way, else "Not checked".
  const missing: BadgeKey = runActive({ status: verifyStatus, run }) ? 'pending' : 'unchecked';
  // Read once per mount: where the list was and which card was opened, to come back to them.
  const [restore] = useState(() => ({ scrollTop: saved.scrollTop, focusIndex: saved.openedIndex }));

  const rows = useMemo(() => buildRows(store.services), [store.services]);
  const categories = useMemo(() => [...new Set(rows.map((r) => r.category).filter(Boolean))].sort(), [rows]);
  // Verdicts stream in while the store is verified; only a badge filter or sort needs them, so
  // otherwise the 5,000 rows are not re-filtered and re-sorted on every progress batch.
  // Sorting is memoised apart from filtering, so a keystroke filters an already sorted list.
  const sortVerdicts = sort === 'badge' ? deferredVerdicts : NO_VERDICTS;
  const sorted = useMemo(() => sortRows(rows, sortVerdicts, sort), [rows, sortVerdicts, sort]);
  const filterVerdicts = badge ? deferredVerdicts : NO_VERDICTS;
  const filtered = useMemo(() => filterRows(sorted, filterVerdicts, { query, category, badge }, missing), [sorted, filterVerdicts, query, category, badge, missing]);
  const counts = useMemo(() => countBadges(store.services, verdicts, missing), [store.services, verdicts, missing]);

  // Search keystroke → repaint, measured with performance marks (DESIGN 4; read by bench:ui).
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    typed.current = false;
    requestAnimationFrame(() => {
      performance.mark('search:painted');
      try {
        performance.measure('search-latency', 'search:input', 'search:painted');
      } catch {
        // No start mark (cleared): nothing to measure.
      }
    });
  }, [filtered, query]);

  // `/` and Ctrl/Cmd+K are handled by the store view (they work on the service page too).
  useEffect(() => {
    if (!searchPending) return;
    searchFocused();
    searchRef.current?.focus();
    searchRef.current?.select();
  }, [searchPending, searchFocused]);

  const onScrolled = useCallback((top: number) => update({ scrollTop: top }), [update]);
  const onFocusRestored = useCallback(() => update({ openedIndex: null }), [update]);

  const running = run?.running ?? false;
  const unchecked = counts.unchecked ?? 0;
  const total = store.services.length;
  return (
    <div className="browse">
      <SummaryChart counts={counts} total={total} />
      <div className="verify-bar">
        {running && run ? (
          <>
            <progress className="verify-bar__progress" max={run.total || 1} value={run.done} aria-label="Verifying the store" data-testid="verify-progress" />
            <span className="verify-bar__text">
              Verifying {run.done} of {run.total}…
            </span>
            <button type="button" className="button button--small" onClick={() => void cancel()}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <span className="verify-bar__text" data-testid="verify-status">
              {verifyStatus === 'error'
                ? `Verification stopped${run ? ` after ${run.done} of ${run.total}` : ''}.`
                : run?.cancelled
                  ? `Verification cancelled after ${run.done} of ${run.total}.${unchecked ? ` ${unchecked} not checked; earlier results are kept.` : ''}`
                  : run
                    ? `All ${run.total} services checked.`
                    : verifyStatus === 'loading'
                      ? 'Starting verification…'
                      : 'Not checked yet.'}
            </span>
            <button type="button" className="button button--small" onClick={() => void verifyStore(storeId, true)}>
              Re-verify all
            </button>
          </>
        )}
      </div>
      {verifyStatus === 'error' && verifyError && (
        <div data-testid="verify-error">
          <ErrorView error={verifyError} title="The store could not be verified. Services without a verdict are shown as “Not checked”." onRetry={() => void verifyStore(storeId, true)} />
        </div>
      )}
      <div className="toolbar" role="search">
        <input
          ref={searchRef}
          type="search"
          className="toolbar__search"
          placeholder="Search name, tagline, id, developer (Ctrl+K or /)"
          aria-label="Search services"
          value={query}
          onChange={(e) => {
            performance.clearMarks('search:input');
            performance.mark('search:input');
            typed.current = true;
            update({ query: e.target.value });
          }}
        />
        <select aria-label="Category" value={category} onChange={(e) => update({ category: e.target.value })}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label="Badge" value={badge} onChange={(e) => update({ badge: e.target.value })}>
          <option value="">All badges</option>
          {BADGE_ORDER.filter((k) => counts[k]).map((k) => (
            <option key={k} value={k}>
              {BADGES[k].label} ({counts[k]})
            </option>
          ))}
        </select>
        <select aria-label="Sort by" value={sort} onChange={(e) => update({ sort: e.target.value as SortKey })}>
          <option value="name">Name</option>
          <option value="badge">Verified first</option>
          <option value="category">Category</option>
          <option value="developer">Developer</option>
        </select>
        <div className="segmented" role="group" aria-label="Layout">
          <button type="button" aria-pressed={layout === 'grid'} onClick={() => update({ layout: 'grid' })}>
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'list'} onClick={() => update({ layout: 'list' })}>
            List
          </button>
        </div>
      </div>
      <p className="browse__count" aria-live="polite" data-testid="result-count">
        {filtered.length === total ? `${total} services` : `${filtered.length} of ${total} services`}
      </p>
      {total === 0 ? (
        <p className="callout callout--info">This store lists no services yet. Add another store, or ask its maintainers to publish listings.</p>
      ) : filtered.length === 0 ? (
        <p className="callout callout--info" data-testid="no-results">
          Nothing matches. Clear the search or pick “All categories” / “All badges”.
        </p>
      ) : (
        <ServiceGrid
          rows={filtered}
          verdicts={verdicts}
          stale={stale}
          missing={missing}
          layout={layout}
          onOpen={openService}
          initialScrollTop={restore.scrollTop}
          focusIndex={restore.focusIndex}
          onScrolled={onScrolled}
          onFocusRestored={onFocusRestored}
        />
      )}
    </div>
  );
}
