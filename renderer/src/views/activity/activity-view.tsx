import { useEffect } from 'react';
import { useActivitySlice } from '../../state/activity-slice';
import { ActivityDetail } from './activity-detail';
import { ActivityList } from './activity-list';
import './activity.css';

/** Helpdesk: every receipt, and why each attempt ended as it did. */
export function ActivityView() {
  const load = useActivitySlice((s) => s.load);
  const subscribe = useActivitySlice((s) => s.subscribe);
  const open = useActivitySlice((s) => s.selectedFrom !== null);
  useEffect(() => {
    void load();
    return subscribe();
  }, [load, subscribe]);
  return (
    <section className="view view--wide" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {open ? <ActivityDetail /> : <ActivityList />}
    </section>
  );
}
