import { BADGES, type BadgeKey } from './badge-meta';

/** A verification badge: icon + words + colour, with the reason code for assistive tech and tests. */
export function Badge({ code, size = 'normal' }: { code: BadgeKey; size?: 'normal' | 'large' }) {
  const meta = BADGES[code];
  return (
    <span className={`badge badge--${meta.tone} badge--${size}`} data-badge={code} title={code === 'pending' ? 'Verification in progress' : code}>
      <span className="badge__icon" aria-hidden="true">
        {meta.icon}
      </span>
      <span className="badge__label">{meta.label}</span>
    </span>
  );
}
