import { memo } from 'react';
import type { StoreServiceView } from '../../../electron/ipc/contract/channels';
import { Badge } from './badge';
import { BADGES, type BadgeKey } from './badge-meta';
import { ServiceIcon } from './service-icon';
import { visibleText } from '../../../electron/ipc/contract/visible-text';

/**
 * One service in the grid or list. `data-service-id` and `data-verification` (the reason code,
 * `pending` or `unchecked`) are the stable hooks tests use. `stale`: the verdict is from before
 * the run under way. Only the grid's active card is a Tab stop (`tabbable`). The accessible name
 * is the card's visible text (name, version, tagline, developer, badge), so speech input can use it.
 */
export const ServiceCard = memo(function ServiceCard({
  service,
  badge,
  stale = false,
  layout,
  index,
  tabbable = true,
  onOpen,
  installedOn = null,
}: {
  service: StoreServiceView;
  /** "Installed on <cell>…" when a cell runs it (as main last checked). */
  installedOn?: string | null;
  badge: BadgeKey;
  stale?: boolean;
  layout: 'grid' | 'list';
  index: number;
  tabbable?: boolean;
  onOpen: (entry: number) => void;
}) {
  const m = service.manifest;
  // Store-provided text is shown with bidi and invisible characters escaped (issue 12 item 7).
  const name = visibleText(m?.name ?? service.id);
  return (
    <button
      type="button"
      className={`card card--${layout}`}
      data-service-id={service.id}
      data-entry-index={service.index}
      data-verification={badge}
      data-stale={stale ? 'true' : undefined}
      data-card-index={index}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onOpen(service.index)}
    >
      <ServiceIcon service={service} size="small" />
      <span className="card__body">
        <span className="card__title">
          <span className="card__name">{name}</span>
          {m && <span className="card__version">v{m.version}</span>}
        </span>
        <span className="card__tagline">{m ? visibleText(m.tagline ?? '') : `Invalid listing: ${service.errors.length} error(s)`}</span>
        <span className="card__meta">
          {m?.developer?.name && <span className="card__developer">{visibleText(m.developer.name)}</span>}
          {m?.category && <span className="card__category">{visibleText(m.category)}</span>}
          {installedOn && (
            <span className="card__installed" data-testid="card-installed-on">
              {installedOn}
            </span>
          )}
        </span>
      </span>
      <span className="card__badge">
        <Badge code={badge} stale={stale} />
        {stale && <span className="visually-hidden"> (earlier result, being re-checked)</span>}
        {/* What a default (enforce) cell does with it, in words: the colour says the same. */}
        {BADGES[badge].tone === 'refused' && <span className="card__refused" data-testid="card-refused">Enforcing cells refuse it</span>}
      </span>
    </button>
  );
});
