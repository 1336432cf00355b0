/* Helpdesk: every receipt, and why each attempt ended as it did. */
import { useEffect, useRef } from 'react';
import { useActivitySlice } from '../../state/activity-slice';
import { ActivityDetail } from './activity-detail';
import { ActivityList } from './activity-list';
import { FleetRuns } from './fleet-runs';
import './activity.css';

export function ActivityView() {
  const load = useActivitySlice((s) => s.load);
  const close = useActivitySlice((s) => s.close);
  const open = useActivitySlice((s) => s.selectedFrom !== null);
  const openedId = useActivitySlice((s) => s.selected?.receipt.id ?? null);
  const title = useRef<HTMLHeadingElement>(null);
  const section = useRef<HTMLElement>(null);
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (openedId) returnTo.current = openedId;
  }, [openedId]);
  // Esc leaves the detail, as on a service page; a modal dialog keeps its own Escape.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (e.target instanceof Element && e.target.closest('dialog')) return;
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);
  // Back at the list, focus returns to the control that opened the receipt (or the title).
  useEffect(() => {
    if (open || !returnTo.current) return;
    const id = returnTo.current;
    returnTo.current = null;
    const opener = section.current?.querySelector<HTMLButtonElement>(`[data-receipt-id="${CSS.escape(id)}"] button`);
    (opener ?? title.current)?.focus();
  }, [open]);
  return (
    <section ref={section} className="view view--wide" aria-labelledby="activity-title">
      <h2 id="activity-title" ref={title} tabIndex={-1}>
        Activity
      </h2>
      {open ? (
        <ActivityDetail />
      ) : (
        <>
          <FleetRuns />
          <ActivityList />
        </>
      )}
    </section>
  );
}
