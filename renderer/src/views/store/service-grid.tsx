/*
 * The virtualised grid/list: only visible rows are in the DOM, so 5,000 services cost what 30
 * do. One Tab stop (roving tabindex): arrow keys, Home and End move focus between cards
 * (scrolling as needed), Enter opens (cards are buttons).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { VerdictSummary } from '../../../../electron/ipc/contract/channels';
import type { BadgeKey } from '../../components/badge-meta';
import { ServiceCard } from '../../components/service-card';
import { badgeOf, type Row } from './filters';
import { installedOnText, useUpdatesSlice } from '../../state/updates-slice';

const CARD_MIN_WIDTH = 280;
/** First guesses only: rows are measured once rendered (a list row's three lines need ~84 px). */
const ROW_ESTIMATE = { grid: 156, list: 84 } as const;

interface ServiceGridProps {
  rows: Row[];
  verdicts: Record<number, VerdictSummary>;
  /** Services whose verdict predates the run under way. */
  stale: Record<number, true>;
  /** What a service without a verdict shows: `pending` (checking) or `unchecked`. */
  missing: BadgeKey;
  layout: 'grid' | 'list';
  onOpen: (index: number) => void;
  /** Where the list was scrolled when the admin left it. */
  initialScrollTop: number;
  /** The card to focus on mount (the service whose page was just closed). */
  focusIndex: number | null;
  onScrolled: (top: number) => void;
  onFocusRestored: () => void;
}

export function ServiceGrid({ rows, verdicts, stale, missing, layout, onOpen, initialScrollTop, focusIndex, onScrolled, onFocusRestored }: ServiceGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const updates = useUpdatesSlice((s) => s.view);
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
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_ESTIMATE[layout], overscan: 4, initialOffset: initialScrollTop });
  useEffect(() => virtualizer.measure(), [layout, columns, virtualizer]);

  const [active, setActive] = useState(() => Math.max(0, focusIndex !== null ? rows.findIndex((r) => r.service.index === focusIndex) : 0));

  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark('store:first-cards'));
  }, [rows.length]);

  const focusCard = useCallback(
    (i: number) => {
      const target = Math.max(0, Math.min(rows.length - 1, i));
      setActive(target);
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

  // Back from a service page: focus the card that was opened (it may need scrolling to).
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || focusIndex === null) return;
    restored.current = true;
    const i = rows.findIndex((r) => r.service.index === focusIndex);
    if (i >= 0) focusCard(i);
    onFocusRestored();
  }, [focusIndex, rows, focusCard, onFocusRestored]);

  // Keep the remembered scroll position current without a store update per scroll event.
  const lastTop = useRef(initialScrollTop);
  useEffect(() => () => onScrolled(lastTop.current), [onScrolled]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = Number((document.activeElement as HTMLElement | null)?.dataset.cardIndex ?? NaN);
    if (Number.isNaN(current)) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -current, End: rows.length } as Record<string, number>;
    const d = step[e.key];
    if (d === undefined) return;
    e.preventDefault();
    focusCard(current + d);
  };
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const i = Number((e.target as HTMLElement).dataset.cardIndex ?? NaN);
    if (!Number.isNaN(i)) setActive(i);
  };

  const items = virtualizer.getVirtualItems();
  // The one Tab stop: the active card, or the first rendered one when it is scrolled away.
  const first = items[0] ? items[0].index * columns : 0;
  const last = items.length ? Math.min(rows.length, (items[items.length - 1]!.index + 1) * columns) - 1 : -1;
  const clamped = Math.min(active, rows.length - 1);
  const tabStop = clamped >= first && clamped <= last ? clamped : first;

  return (
    <div ref={scrollRef} className="grid-scroll" role="list" aria-label="Services" onKeyDown={onKeyDown} onFocus={onFocus} onScroll={(e) => (lastTop.current = e.currentTarget.scrollTop)} data-testid="service-grid">
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((vr) => (
          <div key={vr.key} ref={virtualizer.measureElement} data-index={vr.index} className={`grid-row grid-row--${layout}`} style={{ transform: `translateY(${vr.start}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
            {rows.slice(vr.index * columns, vr.index * columns + columns).map((r, j) => {
              const index = vr.index * columns + j;
              return (
                <div role="listitem" key={r.service.index} className="grid-cell">
                  <ServiceCard service={r.service} badge={badgeOf(verdicts, r.service.index, missing)} stale={!!stale[r.service.index]} layout={layout} index={index} tabbable={index === tabStop} onOpen={onOpen} installedOn={installedOnText(updates, r.service.id)} />
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
