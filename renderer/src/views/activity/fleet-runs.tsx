/* Fleet runs in Activity (DESIGN 2.10): each run's fleet receipt — how it ended, and every cell's outcome, with the cell's own receipt a click away. */
import { useEffect } from 'react';
import type { FleetRunView } from '../../../../electron/ipc/contract/channels';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';
import { ErrorView } from '../../components/error-view';
import { useActivitySlice } from '../../state/activity-slice';
import { useFleetSlice } from '../../state/fleet-slice';
import { WhyCell } from '../fleet/plan-table';

function FleetRun({ run }: { run: FleetRunView }) {
  const page = useActivitySlice((s) => s.page);
  const open = useActivitySlice((s) => s.open);
  const r = run.receipt;
  const counts = r.cells.reduce<Record<string, number>>((acc, c) => ({ ...acc, [run.cells[c.cell]?.outcome ?? c.outcome]: (acc[run.cells[c.cell]?.outcome ?? c.outcome] ?? 0) + 1 }), {});
  return (
    <details data-testid="fleet-run-receipt" data-run-id={r.id} data-stopped-after={r.stoppedAfterBatch ?? ''}>
      <summary>
        <span className="activity-row__time">{r.at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}</span> — {visibleText(r.service.name)} {visibleText(r.service.version)} on {r.cells.length} cell{r.cells.length === 1 ? '' : 's'}:{' '}
        {Object.entries(counts).map(([k, n]) => `${n} ${k.toLowerCase()}`).join(', ')}
      </summary>
      <p data-testid="fleet-run-receipt-ended">{run.ended}</p>
      <p className="muted">
        Batches {r.settings.batches.join(', ')}; {r.settings.concurrency} cells at once; {r.settings.maxFailPercent === null ? 'stops only when a whole batch fails' : `stops when more than ${r.settings.maxFailPercent}% of a batch fails`}. Run {r.id}, plan {r.planId}.
      </p>
      <table className="activity-table">
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Batch</th>
            <th scope="col">Outcome</th>
            <th scope="col">Why</th>
            <th scope="col">Receipt</th>
          </tr>
        </thead>
        <tbody>
          {r.cells.map((c) => {
            const receipt = c.receiptId ? page?.receipts.find((x) => x.id === c.receiptId) : undefined;
            return (
              <tr key={c.cell} data-testid="fleet-run-receipt-cell" data-cell={c.cell} data-outcome={c.outcome} data-receipt-id={c.receiptId ?? ''}>
                <th scope="row">{visibleText(c.cell)}</th>
                <td>{c.batch ?? '—'}</td>
                <td>
                  <span className={`outcome outcome--${c.outcome}`}>{run.cells[c.cell]?.outcome ?? c.outcome}</span>
                </td>
                <td>{run.cells[c.cell]?.why ? <WhyCell why={run.cells[c.cell]!.why} fallback="" /> : null}</td>
                <td>
                  {receipt ? (
                    <button type="button" className="button button--small" onClick={() => void open(receipt, 'log')} aria-label={`Explain ${c.cell}'s receipt`}>
                      Explain
                    </button>
                  ) : c.receiptId ? (
                    <code className="muted" title="not on the page of receipts shown below">{c.receiptId.slice(0, 8)}</code>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

export function FleetRuns() {
  const runs = useFleetSlice((s) => s.runs);
  const loadRuns = useFleetSlice((s) => s.loadRuns);
  useEffect(() => {
    void loadRuns();
  }, [loadRuns]);
  if (runs.error) return <ErrorView error={runs.error} title="Fleet runs could not be listed" />;
  if (!runs.result?.length) return null;
  return (
    <section className="fleet-runs detail-section" aria-labelledby="fleet-runs-title" data-testid="fleet-runs">
      <h3 id="fleet-runs-title">Fleet runs</h3>
      {runs.result.map((run) => (
        <FleetRun key={run.receipt.id} run={run} />
      ))}
    </section>
  );
}
