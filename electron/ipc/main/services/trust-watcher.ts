/**
 * Pushes `trust:changed` when key files appear, change or go away (they are placed by hand, at
 * any time). Polls: two small directories, cheap, and unlike fs.watch it works the same on every
 * platform and for a `trust/` folder that does not exist yet.
 */
import type { TrustStatus } from '../../../core/trust/trust-view';
import type { AppEvents } from '../event-hub';

export function watchTrust(events: AppEvents, status: () => Promise<TrustStatus>, intervalMs = 2000): () => void {
  let last: string | null = null;
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const current = await status();
      const seen = JSON.stringify(current);
      if (last !== null && seen !== last) events.emit('trust:changed', current);
      last = seen;
    } catch {
      // An unreadable directory is reported by trust:get itself; keep watching.
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
