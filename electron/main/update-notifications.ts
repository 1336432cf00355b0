// Desktop notifications for updates and withdrawals (DESIGN 2.9): each check's notices — states a
// service newly reached, worded by main from the update catalogue — become one system
// notification each. The browser shell shows the same notices inside the page instead.
import { Notification } from 'electron';
import type { UpdatesView } from '../ipc/contract/channels/cells';
import type { EventHub } from '../ipc/main/event-hub';

export function notifyUpdates(events: EventHub): () => void {
  return events.onEvent((channel, payload) => {
    if (channel !== 'cells:updated' || !Notification.isSupported()) return;
    const view = payload as UpdatesView;
    if (view.checking) return;
    for (const n of view.notices) new Notification({ title: n.title, body: n.body }).show();
  });
}
