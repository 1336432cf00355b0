/*
 * The in-app notices of updates and withdrawals (DESIGN 2.9): states a service newly reached at
 * main's last check, in main's words. Electron also shows them as system notifications; in the
 * browser shell this is the only place. Each can be dismissed; "Show" goes to Installed.
 */
import { useEffect } from 'react';
import { useNavSlice } from '../../state/nav-slice';
import { noticeKey, useUpdatesSlice } from '../../state/updates-slice';
import './installed.css';

export function UpdateNotices() {
  // The view itself is selected (a stable reference); a fresh `[]` from the selector would re-render forever.
  const notices = useUpdatesSlice((s) => s.view)?.notices ?? [];
  const dismissed = useUpdatesSlice((s) => s.dismissed);
  const dismiss = useUpdatesSlice((s) => s.dismiss);
  // Mounted with the frame: the first read of main's last check (later ones arrive as events).
  useEffect(() => {
    if (useUpdatesSlice.getState().status === 'idle') void useUpdatesSlice.getState().load();
  }, []);
  const shown = notices.filter((n) => !dismissed.includes(noticeKey(n)));
  if (shown.length === 0) return null;
  return (
    <div className="update-notices" data-testid="update-notices">
      {shown.map((n) => (
        <div key={noticeKey(n)} className={`callout callout--${n.state === 'revoked' ? 'danger' : n.state === 'update' ? 'info' : 'warn'} update-notice`} role="status" data-testid="update-notice" data-state={n.state}>
          <p>
            <strong>{n.title}:</strong> {n.body}
          </p>
          <span className="install-actions">
            <button type="button" className="button button--small" onClick={() => useNavSlice.getState().go('installed')}>
              Show
            </button>
            <button type="button" className="button button--small" aria-label={`Dismiss: ${n.title}, ${n.body}`} onClick={() => dismiss(n)}>
              Dismiss
            </button>
          </span>
        </div>
      ))}
    </div>
  );
}
