import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { ChoosePathButton } from '../../components/choose-path-button';
import { pathFromDrop } from '../../components/path-drop';
import { useStoreSlice } from '../../state/store-slice';

/**
 * Add and remove stores. A location is typed, dropped (a file, or a URL as text) or chosen in a
 * file dialog where the shell has one: main reads it, never the renderer. Removing the last
 * store brings back the demo store.
 */
export function StoreManager() {
  const list = useStoreSlice((s) => s.list);
  const add = useStoreSlice((s) => s.add);
  const remove = useStoreSlice((s) => s.remove);
  const error = useStoreSlice((s) => s.manageError);
  const [location, setLocation] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add(location)) setLocation('');
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const text = pathFromDrop(e.dataTransfer) ?? (e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain')).split('\n')[0]?.trim();
    if (text) setLocation(text);
  };
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
      <form className="store-manager__add" onSubmit={(e) => void submit(e)} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <input ref={field} type="text" aria-label="Store URL or index file path" placeholder="https://…/index.json or /path/to/index.json (or drop it here)" value={location} onChange={(e) => setLocation(e.target.value)} />
        <ChoosePathButton
          purpose="store-index"
          label="Choose a store index file"
          field={field}
          onChosen={(p) => {
            setLocation(p);
            void add(p).then((ok) => ok && setLocation(''));
          }}
        />
        <button type="submit" className="button">
          Add store
        </button>
      </form>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
