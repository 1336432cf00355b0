/*
 * Fleets (DESIGN 2.10): one service onto many cells. Choose the listing and the cells (by name or
 * group), let core plan every cell (progress as each is read, cancellable), read the plan as a
 * table, save it, and apply it batch by batch with live progress.
 */
import { useEffect, useState } from 'react';
import { ErrorView } from '../../components/error-view';
import { PathField } from '../../components/path-field';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';
import { useCellsSlice } from '../../state/cells-slice';
import { useFleetSlice } from '../../state/fleet-slice';
import { useStoreSlice } from '../../state/store-slice';
import { InventoryPanel } from './inventory-panel';
import { PlanTable } from './plan-table';
import { RunPanel } from './run-panel';
import './fleet.css';

function ServiceChoice() {
  const list = useStoreSlice((s) => s.list);
  const current = useStoreSlice((s) => s.current);
  const select = useStoreSlice((s) => s.select);
  const storeId = useFleetSlice((s) => s.storeId);
  const service = useFleetSlice((s) => s.service);
  const choose = useFleetSlice((s) => s.choose);
  const storeNow = storeId ?? current?.ref.id ?? null;
  const services = current && current.ref.id === storeNow ? current.services.filter((s) => s.manifest) : [];
  return (
    <div className="fleet-choice">
      <label>
        Store
        <select data-testid="fleet-store" value={storeNow ?? ''} onChange={(e) => { choose({ storeId: e.target.value, service: null }); void select(e.target.value); }}>
          {(list?.stores ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {visibleText(s.name)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service and version
        <select
          data-testid="fleet-service"
          value={service ? `${service.id}\n${service.version}` : ''}
          onChange={(e) => {
            const [id, version] = e.target.value.split('\n');
            choose({ storeId: storeNow, service: id && version ? { id, version } : null });
          }}
        >
          <option value="">Choose a service…</option>
          {services.map((s) => (
            <option key={s.index} value={`${s.manifest!.id}\n${s.manifest!.version}`}>
              {visibleText(s.manifest!.name)} {visibleText(s.manifest!.version)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function CellChoice() {
  const profiles = useCellsSlice((s) => s.profiles);
  const selection = useFleetSlice((s) => s.selection);
  const toggle = useFleetSlice((s) => s.toggle);
  const groups = [...new Set(profiles.flatMap((p) => p.groups ?? []))].sort();
  const box = (word: string, label: string, kind: 'group' | 'cell') => (
    <label key={`${kind} ${word}`} className="fleet-pick">
      <input type="checkbox" data-testid={`fleet-pick-${kind}`} data-word={word} checked={selection.includes(word)} onChange={() => toggle(word)} /> {label}
    </label>
  );
  if (profiles.length === 0) return <p className="muted">No cells yet: add them in Cells, or import an Ansible inventory below.</p>;
  return (
    <fieldset className="fleet-cells">
      <legend>Cells</legend>
      {groups.length > 0 && <div className="fleet-cells__row">Groups: {groups.map((g) => box(g, `${visibleText(g)} (${profiles.filter((p) => p.groups?.includes(g)).length})`, 'group'))}</div>}
      <div className="fleet-cells__row">Cells: {profiles.map((p) => box(p.name, visibleText(p.name), 'cell'))}</div>
    </fieldset>
  );
}

function SavePlan() {
  const saved = useFleetSlice((s) => s.saved);
  const plan = useFleetSlice((s) => s.plan);
  const savePlan = useFleetSlice((s) => s.savePlan);
  const [path, setPath] = useState('');
  if (!plan) return null;
  const name = `fleet-plan-${plan.plan.id.slice(0, 8)}.json`;
  return (
    <form className="path-form" onSubmit={(e) => { e.preventDefault(); if (path.trim()) void savePlan(path.trim()); }}>
      <label htmlFor="fleet-save-path">Save this plan as a file (pic-store fleet apply reads it back)</label>
      <div className="path-form__row">
        <PathField id="fleet-save-path" data-testid="fleet-save-path" value={path} onChange={setPath} purpose="fleet-plan-export" chooseLabel="Choose where to save the plan" suggestedName={name} placeholder={`/home/you/${name}`} onChosen={(p) => { setPath(p); void savePlan(p); }}>
          <button type="submit" className="button button--inline" disabled={saved.status === 'loading'}>
            Save plan
          </button>
        </PathField>
      </div>
      {saved.status === 'ready' && saved.result && <p className="callout callout--ok" data-testid="fleet-saved">Saved to {saved.result.path}.</p>}
      {saved.error && <ErrorView error={saved.error} variant="line" />}
    </form>
  );
}

export function FleetView() {
  const { status, error, planning, plan, storeId, service, selection } = useFleetSlice();
  const { makePlan, cancelPlan } = useFleetSlice.getState();
  const cellsStatus = useCellsSlice((s) => s.status);
  const storeStatus = useStoreSlice((s) => s.status);
  useEffect(() => {
    if (cellsStatus === 'idle') void useCellsSlice.getState().load();
    if (storeStatus === 'idle') void useStoreSlice.getState().init();
  }, [cellsStatus, storeStatus]);
  const current = useStoreSlice((s) => s.current);
  const ready = !!(storeId ?? current?.ref.id) && !!service && selection.length > 0;
  return (
    <section className="view view--wide fleet" aria-labelledby="fleet-title">
      <h2 id="fleet-title">Fleet</h2>
      <p className="muted">One service onto many cells: every cell is judged under its own mode and key, first in the plan and again at its turn.</p>
      <ServiceChoice />
      <CellChoice />
      <InventoryPanel />
      <div className="fleet-actions">
        <button type="button" className="button" data-testid="fleet-make-plan" disabled={!ready || status === 'loading'} onClick={() => { if (!storeId && current) useFleetSlice.setState({ storeId: current.ref.id }); void makePlan(); }}>
          {status === 'loading' ? 'Planning…' : 'Make the plan'}
        </button>
        {status === 'loading' && (
          <button type="button" className="button" data-testid="fleet-cancel-plan" onClick={() => void cancelPlan()}>
            Cancel planning
          </button>
        )}
      </div>
      {planning && (
        <p data-testid="fleet-planning" aria-live="polite">
          {planning.total === 0 ? 'Reading the cells…' : `Read ${planning.rows.length} of ${planning.total} cells${planning.rows.length ? ` (last: ${visibleText(planning.rows.at(-1)!.cell)})` : ''}…`}
        </p>
      )}
      {error && <ErrorView error={error} title={plan ? 'The run could not start' : 'The plan could not be made'} />}
      {plan && (
        <>
          <h3>Plan</h3>
          <PlanTable view={plan} />
          <SavePlan />
          <RunPanel />
        </>
      )}
    </section>
  );
}
