/*
 * Add and remove stores. A location is typed, dropped (a file, or a URL as text) or chosen in a
 * file dialog where the shell has one: main reads it, never the renderer. Removing the last
 * store brings back the demo store.
 */
import { useState, type FormEvent } from 'react';
import { ErrorView } from '../../components/error-view';
import { PathField, usePathDrop } from '../../components/path-field';
import { useStoreSlice } from '../../state/store-slice';

export function StoreManager() {
  const list = useStoreSlice((s) => s.list);
  const add = useStoreSlice((s) => s.add);
  const remove = useStoreSlice((s) => s.remove);
  const error = useStoreSlice((s) => s.manageError);
  const [location, setLocation] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add(location)) setLocation('');
  };
  const { onDragOver, onDrop } = usePathDrop(setLocation, { acceptText: true });
  return (
    <section className="store-manager" aria-labelledby="stores-title">
      <h3 id="stores-title">Stores</h3>
      <ul className="store-manager__list">
        {list?.usingDemo && <li>The embedded demo store is shown because no store is configured.</li>}
        {list?.stores
          .filter((s) => !s.isDemo)
          .map((s) => (
            <li key={s.id}>
              <span>{s.name}</span> <code>{s.url}</code>{' '}
              <button type="button" className="button button--small" aria-label={`Remove store ${s.name}`} onClick={() => void remove(s.url)}>
                Remove
              </button>
            </li>
          ))}
      </ul>
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
            void add(p).then((ok) => ok && setLocation(''));
          }}
        />
        <button type="submit" className="button">
          Add store
        </button>
      </form>
      {error && <ErrorView error={error} variant="line" />}
    </section>
  );
}
