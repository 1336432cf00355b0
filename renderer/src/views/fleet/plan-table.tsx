/* The fleet plan as a table (DESIGN 2.10): per cell its mode, what it runs, what the plan does, why, and an upgrade's review. */
import type { FleetPlanCell, FleetPlanView, FleetWords, ReceiptReview } from '../../../../electron/ipc/contract/channels';
import { visibleText } from '../../../../electron/ipc/contract/visible-text';

const FIELD_WORDS = { ports: 'port', volumes: 'volume', environment: 'variable' } as const;
const CHANGE_MARK = { added: '+', removed: '−', changed: '~' } as const;

/** An upgrade's review in a line, the changes listed under it (added and changed ones are consented to by applying the plan). */
export function ReviewCell({ review }: { review: ReceiptReview | null }) {
  if (!review) return <span className="muted">—</span>;
  const count = (c: 'added' | 'removed' | 'changed') => review.changes.filter((x) => x.change === c).length;
  const summary = review.changes.length === 0 ? 'no ports, volumes or environment change' : `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`;
  return (
    <details className="fleet-review" data-testid="fleet-review">
      <summary>
        {visibleText(review.version.from ?? '?')} → {visibleText(review.version.to)}: {summary}
        {review.signers.changed && <strong className="fleet-review__signer"> · signed by another key</strong>}
      </summary>
      <ul>
        {review.changes.map((c) => (
          <li key={`${c.field} ${c.name}`}>
            {CHANGE_MARK[c.change]} {FIELD_WORDS[c.field]} <code>{visibleText(c.name)}</code>: {c.change === 'changed' ? `${visibleText(c.from ?? '')} → ${visibleText(c.to ?? '')}` : visibleText((c.change === 'added' ? c.to : c.from) ?? '')}
          </li>
        ))}
        <li>{review.cellKeyVerifies === null ? "The cell's key was not checked." : review.cellKeyVerifies ? "The cell's key verifies the new image." : "The cell's key does NOT verify the new image."}</li>
      </ul>
    </details>
  );
}

/** Why, in the catalogue's words: title and sentence first, the next step, the code last (for tickets). */
export function WhyCell({ why, fallback }: { why: FleetWords | null; fallback: string }) {
  if (!why) return <span>{fallback}</span>;
  return (
    <span className="fleet-why" title={why.next}>
      <strong>{why.title}.</strong> {visibleText(why.sentence)} <span className="muted">{visibleText(why.next)}</span> <code className="muted">{why.code}</code>
    </span>
  );
}

export function PlanTable({ view }: { view: FleetPlanView }) {
  const { plan, rows } = view;
  const n = (a: FleetPlanCell['action']) => plan.cells.filter((c) => c.action === a).length;
  return (
    <>
      <p data-testid="fleet-plan-summary">
        {visibleText(plan.service.name)} {visibleText(plan.service.version)} onto {plan.cells.length} cell{plan.cells.length === 1 ? '' : 's'}: {n('install')} to install, {n('upgrade')} to upgrade, {n('skip')} already up to date, {n('blocked')} blocked.
      </p>
      <table className="activity-table fleet-plan" data-testid="fleet-plan-table">
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Mode</th>
            <th scope="col">Runs now</th>
            <th scope="col">Plan</th>
            <th scope="col">Why</th>
            <th scope="col">Review</th>
          </tr>
        </thead>
        <tbody>
          {plan.cells.map((c) => (
            <tr key={c.cell} data-testid="fleet-plan-row" data-cell={c.cell} data-action={c.action} className={`fleet-plan__row fleet-plan__row--${c.action}`}>
              <th scope="row">{visibleText(c.cell)}</th>
              <td>{visibleText(rows[c.cell]?.mode ?? '')}</td>
              <td>{c.current ? visibleText(c.current.version ?? 'unknown version') : <span className="muted">not installed</span>}</td>
              <td>
                <span className={`fleet-action fleet-action--${c.action}`}>{rows[c.cell]?.action ?? c.action}</span>
              </td>
              <td data-testid="fleet-plan-why">
                <WhyCell why={rows[c.cell]?.why ?? null} fallback="Verified under the cell's own key." />
              </td>
              <td>
                <ReviewCell review={c.review} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
