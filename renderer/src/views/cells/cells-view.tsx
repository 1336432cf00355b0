/* Cells: the admin's cell profiles, each with its host key, mode banner, key and services. */
import { useEffect, useRef, useState } from 'react';
import { ErrorView } from '../../components/error-view';
import { useCellsSlice } from '../../state/cells-slice';
import { InstallDialog } from '../install/install-dialog';
import { CellCard } from './cell-card';
import { CellForm, EMPTY_CELL_FORM } from './cell-form';
import './cells.css';

export function CellsView() {
  const status = useCellsSlice((s) => s.status);
  const error = useCellsSlice((s) => s.error);
  const profiles = useCellsSlice((s) => s.profiles);
  const { load, add } = useCellsSlice.getState();
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const closedForm = useRef(false);
  // Closing the add form (saved or cancelled) hands focus back to the button that opened it.
  useEffect(() => {
    if (!adding && closedForm.current) {
      closedForm.current = false;
      addButton.current?.focus();
    }
  }, [adding]);
  const closeForm = () => {
    closedForm.current = true;
    setAdding(false);
  };
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="view" aria-labelledby="cells-title">
      <div className="cells-head">
        <h2 id="cells-title">Cells</h2>
        {!adding && (
          <button ref={addButton} type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add cell
          </button>
        )}
      </div>
      <p className="muted">
        Cells are reached with your own ssh (your config, agent and keys). Host keys are checked strictly; a new host is connected only after you confirm its
        fingerprint.
      </p>
      {adding && (
        <div className="cell-card cell-card--form">
          <CellForm title="Add a cell" initial={EMPTY_CELL_FORM} submitLabel="Add cell" onSubmit={add} onDone={closeForm} />
        </div>
      )}
      {status === 'loading' && profiles.length === 0 && <p className="muted">Reading cell profiles…</p>}
      {error && <ErrorView error={error} title="Could not read the cell profiles" onRetry={() => void load()} />}
      {status === 'ready' && profiles.length === 0 && !adding && (
        <div className="callout callout--info" data-testid="cells-empty">
          <p className="callout__title">No cells yet</p>
          <p>Add a cell with the ssh destination you use for it (user@host or a Host alias from your ssh config).</p>
        </div>
      )}
      <ul className="cell-list">
        {profiles.map((p) => (
          <CellCard key={p.id} profile={p} />
        ))}
      </ul>
      <InstallDialog />
    </section>
  );
}
