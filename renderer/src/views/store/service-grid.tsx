import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { VerdictSummary } from '../../../../electron/ipc/channels';
import { ServiceCard } from '../../components/service-card';
import { badgeOf, type Row } from './filters';

const CARD_MIN_WIDTH = 280;
const ROW_HEIGHT = { grid: 156, list: 64 } as const;

/**
 * The virtualised grid/list: only visible rows are in the DOM, so 5,000 services cost what 30
 * do. Arrow keys move focus between cards (scrolling as needed), Enter opens (cards are buttons).
 */
export function ServiceGrid({ rows, verdicts, layout, onOpen }: { rows: Row[]; verdicts: Record<string, VerdictSummary>; layout: 'grid' | 'list'; onOpen: (id: string) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const columns = layout === 'list' ? 1 : Math.max(1, Math.floor(width / CARD_MIN_WIDTH));
  const rowCount = Math.ceil(rows.length / columns);
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT[layout], overscan: 4 });

  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark('store:first-cards'));
  }, [rows.length]);

  const focusCard = useCallback(
    (i: number) => {
      const target = Math.max(0, Math.min(rows.length - 1, i));
      virtualizer.scrollToIndex(Math.floor(target / columns), { align: 'auto' });
      let tries = 0;
      const tryFocus = () => {
        const el = scrollRef.current?.querySelector<HTMLElement>(`[data-card-index="${target}"]`);
        if (el) el.focus();
        else if (tries++ < 10) requestAnimationFrame(tryFocus);
      };
      requestAnimationFrame(tryFocus);
    },
    [rows.length, columns, virtualizer],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = Number((document.activeElement as HTMLElement | null)?.dataset.cardIndex ?? NaN);
    if (Number.isNaN(current)) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -current, End: rows.length } as Record<string, number>;
    const d = step[e.key];
    if (d === undefined) return;
    e.preventDefault();
    focusCard(current + d);
  };

  return (
    <div ref={scrollRef} className="grid-scroll" role="list" aria-label="Services" onKeyDown={onKeyDown} data-testid="service-grid">
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((vr) => (
          <div key={vr.key} className={`grid-row grid-row--${layout}`} style={{ transform: `translateY(${vr.start}px)`, height: vr.size, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((r, j) => (
              <div role="listitem" key={r.service.id} className="grid-cell">
                <ServiceCard service={r.service} badge={badgeOf(verdicts, r.service.id)} layout={layout} index={vr.index * columns + j} onOpen={onOpen} />
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
