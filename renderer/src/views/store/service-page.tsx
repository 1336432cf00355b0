import { useEffect } from 'react';
import type { LoadedStoreView, StoreServiceView } from '../../../../electron/ipc/channels';
import { api } from '../../api/api';
import { Badge } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { Markdown } from '../../components/markdown';
import { ServiceIcon } from '../../components/service-icon';
import { WhyPanel } from '../../components/why-panel';
import { InstallButton } from '../install/install-button';
import { useStoreSlice } from '../../state/store-slice';
import { useVerificationSlice } from '../../state/verification-slice';

/** One service: description, what it will run (from the listing, not signed), and Why this badge. */
export function ServicePage({ store, service }: { store: LoadedStoreView; service: StoreServiceView }) {
  const verdict = useVerificationSlice((s) => s.verdicts[service.id]);
  const busy = useVerificationSlice((s) => s.reverifying[service.id] ?? false);
  const verifyService = useVerificationSlice((s) => s.verifyService);
  const openService = useStoreSlice((s) => s.openService);
  const m = service.manifest;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') openService(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openService]);
  const digest = verdict?.report.digest ?? null;
  const env = Object.entries(m?.environment ?? {});
  return (
    <article className="service-page" aria-labelledby="service-title" data-service-page={service.id}>
      <button type="button" className="button button--small" onClick={() => openService(null)}>
        ← Back to {store.name} (Esc)
      </button>
      <header className="service-page__head">
        <ServiceIcon service={service} size="large" />
        <div>
          <h2 id="service-title">{m?.name ?? service.id}</h2>
          <p className="service-page__tagline">{m?.tagline}</p>
          <p className="service-page__meta">
            {m && <span>Version {m.version}</span>}
            {m?.category && <span>Category: {m.category}</span>}
            {m?.developer && (
              <span>
                Developer:{' '}
                <a href={m.developer.url} onClick={(e) => { e.preventDefault(); void api().app.openExternal({ url: m.developer!.url }); }} rel="noreferrer noopener">
                  {m.developer.name}
                </a>
              </span>
            )}
          </p>
        </div>
        <Badge code={verdict?.report.reason ?? 'pending'} size="large" />
        {m && <InstallButton storeId={store.ref.id} serviceId={service.id} serviceName={m.name} />}
      </header>
      <div className="service-page__cols">
        <div className="service-page__main">
          {m?.description ? <Markdown text={m.description} /> : <p className="muted">No description in the listing.</p>}
          <section aria-labelledby="runs-title" className="runs">
            <h3 id="runs-title">What it will run</h3>
            <p className="callout callout--warn">Ports, volumes and environment are from the store listing, not signed: the signature covers the image only.</p>
            <dl className="runs__list">
              <div>
                <dt>Image</dt>
                <dd>
                  <code data-testid="service-image">{m?.image ?? verdict?.report.image ?? 'unknown'}</code>
                </dd>
              </div>
              <div>
                <dt>Digest</dt>
                <dd>
                  {digest ? (
                    <>
                      <code data-testid="service-digest">{digest}</code> <CopyButton value={digest} label="Copy digest" />
                    </>
                  ) : (
                    'not pinned by digest'
                  )}
                </dd>
              </div>
              <div>
                <dt>Ports (from the store listing, not signed)</dt>
                <dd>{m?.ports?.length ? m.ports.map((p) => `${p.host} → ${p.container}/${p.protocol}`).join(', ') : 'none'}</dd>
              </div>
              <div>
                <dt>Volumes (from the store listing, not signed)</dt>
                <dd>{m?.volumes?.length ? m.volumes.map((v) => `${v.name} → ${v.path}`).join(', ') : 'none'}</dd>
              </div>
              <div>
                <dt>Environment (from the store listing, not signed)</dt>
                <dd>
                  {env.length ? (
                    <ul className="runs__env">
                      {env.map(([k, v]) => (
                        <li key={k}>
                          <code>
                            {k}={v}
                          </code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    'none'
                  )}
                </dd>
              </div>
            </dl>
          </section>
        </div>
        <WhyPanel verdict={verdict} busy={busy} onReverify={() => void verifyService(store.ref.id, service.id)} />
      </div>
    </article>
  );
}
