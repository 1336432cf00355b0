/* Run settings (batches, concurrency, failure limit), Apply, and the run's live per-cell progress with Stop, Cancel and Retry. */
import { ErrorView } from '../../components/error-view';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';
import { useFleetSlice, type FleetRunState } from '../../state/fleet-slice';
import { WhyCell } from './plan-table';

const PHASE_WORDS: Record<string, string> = {
  status: 'reading the cell',
  verify: 'verifying the image',
  'cell-verify': "running the cell's own cosign",
  lock: 'taking the cell lock',
  stage: 'staging',
  pull: 'pulling by digest',
  swap: 'swapping',
  up: 'starting',
  rollback: 'rolling back',
  done: 'done',
};

function Settings({ disabled }: { disabled: boolean }) {
  const settings = useFleetSlice((s) => s.settings);
  const setSettings = useFleetSlice((s) => s.setSettings);
  return (
    <fieldset className="fleet-settings" disabled={disabled}>
      <legend>How to roll it out</legend>
      <label>
        Batches
        <input data-testid="fleet-batches" value={settings.batches} onChange={(e) => setSettings({ batches: e.target.value })} aria-describedby="fleet-batches-help" />
        <span id="fleet-batches-help" className="muted">A canary first, then a tenth, then the rest: cell counts or percentages, the last one repeats.</span>
      </label>
      <label>
        Cells at once
        <input data-testid="fleet-concurrency" type="number" min={1} max={64} value={settings.concurrency} onChange={(e) => setSettings({ concurrency: Number(e.target.value) })} />
      </label>
      <label>
        Stop when more than this share of a batch fails (%)
        <input data-testid="fleet-max-fail" type="number" min={0} max={100} placeholder="only when a whole batch fails" value={settings.maxFailPercent} onChange={(e) => setSettings({ maxFailPercent: e.target.value })} />
      </label>
    </fieldset>
  );
}

function RunTable({ run }: { run: FleetRunState }) {
  const names = Object.keys(run.cells);
  return (
    <table className="activity-table fleet-run" data-testid="fleet-run-table">
      <thead>
        <tr>
          <th scope="col">Cell</th>
          <th scope="col">Batch</th>
          <th scope="col">Now</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const c = run.cells[name]!;
          return (
            <tr key={name} data-testid="fleet-run-row" data-cell={name} data-state={c.state} data-outcome={c.kind ?? ''}>
              <th scope="row">{visibleText(name)}</th>
              <td>{c.batch ?? '—'}</td>
              <td>
                {c.state === 'ended' ? <span className={`outcome outcome--${c.kind}`}>{c.outcome}</span> : c.state === 'running' ? `working: ${PHASE_WORDS[c.phase ?? ''] ?? 'starting'}` : 'waiting for its batch'}
              </td>
              <td>{c.why ? <WhyCell why={c.why} fallback="" /> : null}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RunPanel() {
  const run = useFleetSlice((s) => s.run);
  const plan = useFleetSlice((s) => s.plan);
  const { apply, stop, cancel } = useFleetSlice.getState();
  if (!plan) return null;
  const busy = run?.status === 'running' || run?.status === 'stopping' || run?.status === 'cancelling';
  const todo = plan.plan.cells.filter((c) => c.action === 'install' || c.action === 'upgrade').length;
  // A cell refused at its turn changed since the plan: retrying the same plan would refuse it again, so it needs a new plan.
  const ended = run?.result ? Object.values(run.result.receipt.cells) : [];
  const retryable = ended.some((c) => c.outcome === 'failed' || (c.outcome === 'not-tried' && c.batch !== null));
  const refused = ended.filter((c) => c.outcome === 'rejected').length;
  return (
    <section className="fleet-run-panel" aria-labelledby="fleet-run-title">
      <h3 id="fleet-run-title">Apply</h3>
      <Settings disabled={busy} />
      <div className="fleet-actions">
        <button type="button" className="button" data-testid="fleet-apply" disabled={busy || todo === 0} onClick={() => void apply()}>
          Apply to {todo} cell{todo === 1 ? '' : 's'}
        </button>
        {busy && (
          <>
            <button type="button" className="button" data-testid="fleet-stop" disabled={run?.status !== 'running'} onClick={() => void stop()}>
              {run?.status === 'stopping' ? 'Stopping after this batch…' : 'Stop after this batch'}
            </button>
            <button type="button" className="button" data-testid="fleet-cancel" disabled={run?.status === 'cancelling'} onClick={() => void cancel()}>
              {run?.status === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          </>
        )}
        {!busy && retryable && (
          <button type="button" className="button" data-testid="fleet-retry" onClick={() => void apply(true)}>
            Retry the failed and untried cells
          </button>
        )}
      </div>
      {!busy && refused > 0 && (
        <p className="muted" data-testid="fleet-plan-again">
          {refused === 1 ? 'One cell was' : `${refused} cells were`} refused at {refused === 1 ? 'its' : 'their'} turn because {refused === 1 ? 'it' : 'they'} changed since the plan was made. A retry leaves {refused === 1 ? 'it' : 'them'} out: plan again to review {refused === 1 ? 'it' : 'them'}.
        </p>
      )}
      {run && (
        <div data-testid="fleet-run" data-status={run.status} aria-live="polite">
          <p data-testid="fleet-run-status">
            {run.status === 'running' && run.batches.length === 0 && 'Starting…'}
            {run.status === 'running' && run.batches.length > 0 && `Running batch ${run.batches.length} (${run.batches.at(-1)?.cells.length ?? 0} cell${run.batches.at(-1)?.cells.length === 1 ? '' : 's'})…`}
            {run.status === 'stopping' && 'Stopping: the running batch finishes, no further batch starts.'}
            {run.status === 'cancelling' && 'Cancelling: cells not started will not be tried.'}
            {run.status === 'finished' && run.result && <span data-testid="fleet-run-ended">{run.result.ended}</span>}
          </p>
          {run.error && <ErrorView error={run.error} title="The run could not go on" />}
          <RunTable run={run} />
        </div>
      )}
    </section>
  );
}
