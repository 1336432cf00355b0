import type { PreviewService, PreviewVerdict, StoreServiceView } from '../../../../electron/ipc/channels';
import { Badge } from '../../components/badge';
import { Markdown } from '../../components/markdown';
import { ServiceCard } from '../../components/service-card';
import { ServiceIcon } from '../../components/service-icon';

/** The preview's service in the shape the store's components take. */
export function asStoreService(s: PreviewService): StoreServiceView {
  const icon = s.manifest?.icon ?? null;
  return {
    index: s.index,
    id: s.id ?? `#${s.index}`,
    manifest: s.manifest,
    errors: s.errors,
    iconData: icon?.startsWith('data:') ? icon : null,
    iconUrl: icon?.startsWith('https:') ? icon : null,
  };
}

/** The card exactly as the store grid shows it, with this preview's badge. */
export function PreviewCard({ service, verdict }: { service: StoreServiceView; verdict: PreviewVerdict | null }) {
  return (
    <div className="preview-card" data-testid="preview-card">
      <ServiceCard service={service} badge={verdict?.report.reason ?? 'pending'} layout="grid" index={0} onOpen={() => undefined} />
    </div>
  );
}

/** The service page's head, description and "what it will run", from the store's components. */
export function PreviewPage({ service, verdict }: { service: StoreServiceView; verdict: PreviewVerdict | null }) {
  const m = service.manifest;
  if (!m) return null;
  const env = Object.entries(m.environment ?? {});
  return (
    <article className="service-page preview-page" data-testid="preview-page">
      <header className="service-page__head">
        <ServiceIcon service={service} size="large" />
        <div>
          <h2>{m.name}</h2>
          <p className="service-page__tagline">{m.tagline}</p>
          <p className="service-page__meta">
            <span>Version {m.version}</span>
            {m.category && <span>Category: {m.category}</span>}
            {m.developer && <span>Developer: {m.developer.name}</span>}
          </p>
        </div>
        <Badge code={verdict?.report.reason ?? 'pending'} size="large" />
      </header>
      {m.description ? <Markdown text={m.description} /> : <p className="muted">No description in the listing.</p>}
      <section className="runs">
        <h3>What it will run</h3>
        <p className="callout callout--warn">Ports, volumes and environment are from the store listing, not signed: the signature covers the image only.</p>
        <dl className="runs__list">
          <div>
            <dt>Image</dt>
            <dd>
              <code>{m.image}</code>
            </dd>
          </div>
          <div>
            <dt>Ports (from the store listing, not signed)</dt>
            <dd>{m.ports?.length ? m.ports.map((p) => `${p.host} → ${p.container}/${p.protocol}`).join(', ') : 'none'}</dd>
          </div>
          <div>
            <dt>Volumes (from the store listing, not signed)</dt>
            <dd>{m.volumes?.length ? m.volumes.map((v) => `${v.name} → ${v.path}`).join(', ') : 'none'}</dd>
          </div>
          <div>
            <dt>Environment (from the store listing, not signed)</dt>
            <dd>{env.length ? env.map(([k, v]) => `${k}=${v}`).join(', ') : 'none'}</dd>
          </div>
        </dl>
      </section>
    </article>
  );
}
