import { BADGES, type BadgeKey } from './badge-meta';

const TITLE: Partial<Record<BadgeKey, string>> = {
  pending: 'Verification in progress',
  unchecked: 'No verdict: verification was cancelled or failed before reaching this service',
};

/**
 * A verification badge: icon + words + colour, with the reason code for assistive tech and tests.
 * `stale`: an earlier verdict kept while a re-verify has not reached this service yet.
 */
export function Badge({ code, size = 'normal', stale = false }: { code: BadgeKey; size?: 'normal' | 'large'; stale?: boolean }) {
  const meta = BADGES[code];
  const title = (TITLE[code] ?? code) + (stale ? ' (earlier result; re-checking)' : '');
  return (
    <span className={`badge badge--${meta.tone} badge--${size}${stale ? ' badge--stale' : ''}`} data-badge={code} title={title}>
      <span className="badge__icon" aria-hidden="true">
        {meta.icon}
      </span>
      <span className="badge__label">{meta.label}</span>
    </span>
  );
}
