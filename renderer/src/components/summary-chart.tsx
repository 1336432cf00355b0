import { BADGES, BADGE_ORDER, type BadgeKey } from './badge-meta';

/** Counts per outcome as a stacked bar (plain SVG) plus a legend with the numbers in words. */
export function SummaryChart({ counts, total }: { counts: Partial<Record<BadgeKey, number>>; total: number }) {
  const present = BADGE_ORDER.filter((k) => (counts[k] ?? 0) > 0);
  let x = 0;
  return (
    <div className="summary" data-testid="store-summary">
      <svg className="summary__bar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" aria-label={present.map((k) => `${counts[k]} ${BADGES[k].label}`).join(', ') || 'no services'}>
        {present.map((k) => {
          const w = total ? ((counts[k] ?? 0) / total) * 1000 : 0;
          const rect = <rect key={k} x={x} y={0} width={w} height={14} className={`summary__seg summary__seg--${BADGES[k].tone}`} />;
          x += w;
          return rect;
        })}
      </svg>
      <ul className="summary__legend">
        {present.map((k) => (
          <li key={k} data-summary={k}>
            <span className={`summary__dot summary__dot--${BADGES[k].tone}`} aria-hidden="true">
              {BADGES[k].icon}
            </span>
            <span className="summary__count">{counts[k]}</span> {BADGES[k].label}
          </li>
        ))}
      </ul>
    </div>
  );
}
