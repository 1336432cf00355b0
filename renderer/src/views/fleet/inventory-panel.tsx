/* Cells to and from an Ansible YAML inventory (DESIGN 2.10): main reads and writes the files; imported cells still need their host key confirmed in Cells. */
import { useState } from 'react';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';
import { ErrorView } from '../../components/error-view';
import { PathField } from '../../components/path-field';
import { useFleetSlice } from '../../state/fleet-slice';
import { useNavSlice } from '../../state/nav-slice';

export function InventoryPanel() {
  const { imported, exported, selection, importInventory, exportInventory } = useFleetSlice();
  const go = useNavSlice((s) => s.go);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <details className="fleet-inventory" data-testid="fleet-inventory">
      <summary>Ansible inventory: import or export cells</summary>
      <form className="path-form" onSubmit={(e) => { e.preventDefault(); if (from.trim()) void importInventory(from.trim()); }}>
        <label htmlFor="fleet-inventory-import">Import cells from an inventory file (hosts, ansible_host, ansible_port, ansible_user, groups)</label>
        <div className="path-form__row">
          <PathField id="fleet-inventory-import" data-testid="fleet-inventory-import" value={from} onChange={setFrom} purpose="inventory-import" chooseLabel="Choose an inventory to import" placeholder="/home/you/inventory.yml" onChosen={(p) => { setFrom(p); void importInventory(p); }}>
            <button type="submit" className="button button--inline" disabled={imported.status === 'loading'}>
              Import
            </button>
          </PathField>
        </div>
        {imported.result && (
          <p className="callout callout--warn" data-testid="fleet-inventory-imported">
            Added {imported.result.added.length} cell{imported.result.added.length === 1 ? '' : 's'}: {imported.result.added.map((p) => visibleText(p.name)).join(', ')}. Before first use, confirm each one&rsquo;s host key:{' '}
            <button type="button" className="link-button" onClick={() => go('cells')}>
              open Cells
            </button>{' '}
            and test its connection.
          </p>
        )}
        {imported.error && <ErrorView error={imported.error} variant="line" />}
      </form>
      <form className="path-form" onSubmit={(e) => { e.preventDefault(); if (to.trim()) void exportInventory(to.trim()); }}>
        <label htmlFor="fleet-inventory-export">Export {selection.length ? 'the chosen cells and groups' : 'every cell'} as an inventory (a new .yml file)</label>
        <div className="path-form__row">
          <PathField id="fleet-inventory-export" data-testid="fleet-inventory-export" value={to} onChange={setTo} purpose="inventory-export" chooseLabel="Choose where to export the inventory" suggestedName="inventory.yml" placeholder="/home/you/inventory.yml" onChosen={(p) => { setTo(p); void exportInventory(p); }}>
            <button type="submit" className="button button--inline" disabled={exported.status === 'loading'}>
              Export
            </button>
          </PathField>
        </div>
        {exported.result && <p className="callout callout--ok" data-testid="fleet-inventory-exported">Exported {exported.result.count} cells to {exported.result.path}.</p>}
        {exported.error && <ErrorView error={exported.error} variant="line" />}
      </form>
    </details>
  );
}
