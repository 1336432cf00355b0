/*
 * Add and remove stores. A location is typed, dropped (a file, or a URL as text) or chosen in a
 * file dialog where the shell has one: main reads it, never the renderer. A signed store (DESIGN
 * 2.7) is added with its root file: main reads the store and checks the root first, and its key
 * ids, threshold and expiry are shown for the admin to confirm before anything is saved.
 * Removing the last store brings back the demo store.
 */
import { useState, type FormEvent } from 'react';
import type { StoreAddPreview, StoreRef } from '../../../../electron/ipc/contract/channels';
import { ErrorView } from '../../components/error-view';
import { PathField, usePathDrop } from '../../components/path-field';
import { useStoreSlice } from '../../state/store-slice';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';

const STATE_WORDS: Record<StoreRef['listing']['state'], string> = {
  current: 'current',
  stale: 'stale (store unreachable)',
  refused: 'update refused',
  expired: 'expired',
  unreadable: 'not read yet',
};

function StoreRow({ store, onRemove }: { store: StoreRef; onRemove: () => void }) {
  const l = store.listing;
  return (
    <li className="store-manager__row" data-testid="store-row" data-state={l.state} data-signed={store.signed}>
      <div>
        <strong>{visibleText(store.name)}</strong> {store.isDemo ? <span className="muted">(demo)</span> : !store.removable && <span className="muted">(comes with this installation)</span>} <code>{store.url}</code>
      </div>
      <div className="store-manager__facts">
        <span data-testid="store-row-signed">{store.signed ? 'Signed' : 'Not signed'}</span>
        {store.signed && (
          <>
            {' · '}
            <span data-testid="store-row-version">{l.version === null ? 'no listing accepted yet' : `version ${l.version}`}</span>
            {l.expiresText && (
              <>
                {' · '}
                <span data-testid="store-row-expiry">valid until {l.expiresText}</span>
              </>
            )}
          </>
        )}
        {' · '}
        <span data-testid="store-row-state">{STATE_WORDS[l.state]}</span>
      </div>
      {store.removable && (
        <button type="button" className="button button--small" aria-label={`Remove store ${store.name}`} onClick={onRemove}>
          Remove
        </button>
      )}
    </li>
  );
}

/** The root the admin is asked to trust, and what main read from the store with it. */
function ConfirmRoot({ preview, onAdded }: { preview: StoreAddPreview; onAdded: () => void }) {
  const confirmAdd = useStoreSlice((s) => s.confirmAdd);
  const cancelAdd = useStoreSlice((s) => s.cancelAdd);
  const checking = useStoreSlice((s) => s.checking);
  const root = preview.root;
  return (
    <section className="callout callout--info store-manager__confirm" aria-labelledby="confirm-root-title" data-testid="store-add-confirm">
      <h4 id="confirm-root-title">Trust this signed store?</h4>
      <p>
        <strong data-testid="store-add-name">{visibleText(preview.name)}</strong> at <code>{preview.url}</code> — {preview.listing.sentence}.
      </p>
      {root && (
        <dl className="facts">
          <dt>Root keys</dt>
          <dd data-testid="store-add-keyids">
            {root.keyIds.map((k) => (
              <code key={k} className="fingerprint">
                {k}
              </code>
            ))}
          </dd>
          <dt>Threshold</dt>
          <dd data-testid="store-add-threshold">
            {root.threshold} of {root.keyIds.length} root {root.keyIds.length === 1 ? 'key' : 'keys'} must sign a new root
          </dd>
          <dt>Root valid until</dt>
          <dd data-testid="store-add-expiry">{root.expiresText}</dd>
        </dl>
      )}
      <p className="muted">Compare the key ids with what the store’s maintainers published through a channel you trust. Only metadata signed by these keys will be accepted from this store.</p>
      <div className="store-manager__confirm-actions">
        <button type="button" className="button" disabled={checking} onClick={() => void confirmAdd().then((ok) => ok && onAdded())}>
          Trust and add store
        </button>
        <button type="button" className="button button--secondary" onClick={cancelAdd}>
          Cancel
        </button>
      </div>
    </section>
  );
}

export function StoreManager() {
  const list = useStoreSlice((s) => s.list);
  const add = useStoreSlice((s) => s.add);
  const remove = useStoreSlice((s) => s.remove);
  const error = useStoreSlice((s) => s.manageError);
  const pending = useStoreSlice((s) => s.pendingAdd);
  const checking = useStoreSlice((s) => s.checking);
  const [location, setLocation] = useState('');
  const [rootPath, setRootPath] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const signed = !!rootPath.trim();
    if ((await add(location, rootPath)) && !signed) setLocation('');
  };
  const { onDragOver, onDrop } = usePathDrop(setLocation, { acceptText: true });
  return (
    <section className="store-manager" aria-labelledby="stores-title">
      <h3 id="stores-title">Stores</h3>
      <ul className="store-manager__list">
        {list?.usingDemo && <li>The embedded demo store is shown because no store is configured.</li>}
        {list?.stores.map((s) => <StoreRow key={s.id} store={s} onRemove={() => void remove(s.url)} />)}
      </ul>
      {pending ? (
        <ConfirmRoot
          preview={pending.preview}
          onAdded={() => {
            setLocation('');
            setRootPath('');
          }}
        />
      ) : (
        <form className="store-manager__add" onSubmit={(e) => void submit(e)} onDragOver={onDragOver} onDrop={onDrop}>
          <PathField
            type="text"
            aria-label="Store URL or index file path"
            placeholder="https://…/index.json or /path/to/index.json (or drop it here)"
            value={location}
            onChange={setLocation}
            purpose="store-index"
            chooseLabel="Choose a store index file"
            onChosen={(p) => {
              setLocation(p);
              if (!rootPath.trim()) void add(p).then((ok) => ok && setLocation(''));
            }}
          />
          <PathField
            type="text"
            aria-label="Root file of a signed store (optional)"
            placeholder="/path/to/1.root.json — only for a signed store"
            value={rootPath}
            onChange={setRootPath}
            purpose="store-root"
            chooseLabel="Choose the signed store's root file"
            onChosen={setRootPath}
          />
          <button type="submit" className="button" disabled={checking}>
            {rootPath.trim() ? 'Check signed store' : 'Add store'}
          </button>
          {checking && <span role="status">Reading the store…</span>}
        </form>
      )}
      {error && <ErrorView error={error} variant="line" />}
    </section>
  );
}
