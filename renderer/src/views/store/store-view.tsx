/* The Store view: picker, demo/stale/error states, then the browse view or one service page. */
import { useEffect, useState } from 'react';
import { ErrorView } from '../../components/error-view';
import { useStoreSlice } from '../../state/store-slice';
import { useTrustSlice } from '../../state/trust-slice';
import { useVerificationSlice } from '../../state/verification-slice';
import { BrowseView } from './browse-view';
import { StoreServicePage } from './store-service-page';
import { StoreManager } from './store-manager';
import { ListingBanner, ListingLine } from './listing-banner';
import './store.css';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';

const ERROR_HELP: Record<string, string> = {
  INDEX_UNREADABLE: 'The store could not be fetched. Check the URL or path and your network, then try again — or pick another store.',
  INDEX_INVALID: 'The store answered, but its index is not a valid store index. Tell the store maintainers; pick another store meanwhile.',
  DATA_FILE_CORRUPT: 'Your stores.json cannot be read. Fix or remove it in your data directory, then try again.',
  STORE_UNREACHABLE: 'This signed store could not be reached, and no listing from it has been accepted yet. Check its address and your network, then try again.',
  STORE_METADATA_INVALID: 'This signed store’s metadata does not verify with the root it was added with, so nothing from it is shown. Do not install from it; ask its maintainers.',
};

export function StoreView() {
  const { status, error, list, current, currentId, openIndex } = useStoreSlice();
  const init = useStoreSlice((s) => s.init);
  const select = useStoreSlice((s) => s.select);
  const reload = useStoreSlice((s) => s.reload);
  const verifyStore = useVerificationSlice((s) => s.verifyStore);
  const focusSearch = useStoreSlice((s) => s.focusSearch);
  const refresh = useStoreSlice((s) => s.refresh);
  const refreshing = useStoreSlice((s) => s.refreshing);
  const [manage, setManage] = useState(false);
  // While no store key is installed the first-run note (TrustBanner) explains the demo store.
  const storeKeyInstalled = useTrustSlice((s) => s.trust?.storeKeyInstalled ?? false);

  // `/` (outside a field) and Ctrl/Cmd+K: to the search field — from a service page too, which
  // goes back to the list (with its search, filters, sort and layout as they were).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      if ((e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !inField && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        if (document.querySelector('[role="dialog"][aria-modal="true"], dialog[open]')) return;
        e.preventDefault();
        focusSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focusSearch]);

  useEffect(() => {
    if (!list) void init();
  }, [list, init]);
  useEffect(() => {
    if (current) void verifyStore(current.ref.id);
  }, [current, verifyStore]);

  const service = openIndex !== null && current ? current.services.find((s) => s.index === openIndex) : undefined;
  if (service && current) return <StoreServicePage store={current} service={service} />;

  return (
    <section className="view store-view" aria-labelledby="store-title">
      <header className="store-view__head">
        <h2 id="store-title">{current ? visibleText(current.name) : 'Store'}</h2>
        {list && list.stores.length > 1 && (
          <select aria-label="Store" value={currentId ?? ''} onChange={(e) => void select(e.target.value)}>
            {list.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {visibleText(s.name)}
              </option>
            ))}
          </select>
        )}
        {current && !current.listing.banner && (
          <button type="button" className="button button--small" disabled={refreshing} onClick={() => void refresh()}>
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        )}
        <button type="button" className="button button--small" aria-expanded={manage} onClick={() => setManage(!manage)}>
          Manage stores
        </button>
      </header>
      {current && <ListingLine listing={current.listing} />}
      {current && <ListingBanner listing={current.listing} />}
      {manage && <StoreManager />}
      {/* The first-run note already says what the demo store is and what to do next; say it once. */}
      {current?.ref.isDemo && storeKeyInstalled && (
        <p className="callout callout--info" data-testid="demo-label">
          <strong>Demo store.</strong> {current.trustLabel}. Add your organisation’s store under “Manage stores”.
        </p>
      )}
      {current?.stale && (
        <div className="callout callout--warn" role="status" data-testid="stale-banner">
          <strong>Showing the last good copy from {new Date(current.stale.fetchedAt).toLocaleString()}.</strong> The store could not be loaded now: {current.stale.error.message}{' '}
          <button type="button" className="button button--small" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      )}
      {status === 'loading' && !current && <p role="status">Loading the store index…</p>}
      {status === 'error' && error && (
        <div data-testid="store-error" data-code={error.code}>
          <ErrorView error={error} title={ERROR_HELP[error.code] ?? 'The store could not be loaded.'} onRetry={() => void (list?.configError ? init() : reload())} />
        </div>
      )}
      {status === 'ready' && !current && list && list.stores.length === 0 && (
        <p className="callout callout--info">No store is configured and the demo store is missing from this installation. Add a store under “Manage stores”.</p>
      )}
      {current && status !== 'error' && <BrowseView store={current} />}
    </section>
  );
}
