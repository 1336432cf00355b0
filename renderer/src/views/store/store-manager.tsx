import { useState, type DragEvent, type FormEvent } from 'react';
import { useStoreSlice } from '../../state/store-slice';

/**
 * Add and remove stores. A location is typed or dropped as text (a URL or a path): main reads
 * it, never the renderer. Removing the last store brings back the demo store.
 */
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
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const text = e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain');
    if (text) setLocation(text.split('\n')[0]?.trim() ?? '');
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
        <input type="text" aria-label="Store URL or index file path" placeholder="https://…/index.json or /path/to/index.json (or drop it here)" value={location} onChange={(e) => setLocation(e.target.value)} />
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
