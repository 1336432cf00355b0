/*
 * One service: description, what it will run (from the listing, not signed), and Why this badge.
 * Pure presentation — everything arrives as props — so the store and the listing preview render
 * the very same page (DESIGN 2.5: a developer sees exactly what users will).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ServiceVerdict, StoreServiceView } from '../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../electron/ipc/contract/domain';
import { Badge } from './badge';
import { CopyButton } from './copy-button';
import { ExternalLink, Markdown } from './markdown';
import { ServiceIcon } from './service-icon';
import { WhyPanel } from './why-panel';
import { visibleText } from '../../../electron/ipc/contract/visible-text';

interface ServicePageProps {
  service: StoreServiceView;
  /** Main's verdict for this listing's image; undefined while it is still being checked. */
  verdict: ServiceVerdict | undefined;
  /** True while a re-verify of this one service runs. */
  busy: boolean;
  onReverify: () => void;
  /** The way back (button and Escape); absent where the page is not a place one navigates to. */
  back?: { label: string; onBack: () => void };
  /** Buttons beside the badge, e.g. the store's Install button; a preview has none. */
  actions?: ReactNode;
  /** Without a verdict: being checked, or not checked (the store run was cancelled or failed). */
  missing?: 'pending' | 'unchecked';
  /** Why the last re-verify failed. */
  reverifyError?: IpcError | null;
  /**
   * The store's line about the listing itself (DESIGN 2.7), "Listing signed by <store>, …", when
   * it is signed: then ports, volumes and environment are as that store signed them.
   */
  signedListing?: string | null;
}

export function ServicePage({ service, verdict, busy, onReverify, back, actions, missing = 'pending', reverifyError = null, signedListing = null }: ServicePageProps) {
  const from = signedListing ? 'from the signed store listing' : 'from the store listing, not signed';
  const onBack = back?.onBack;
  const heading = useRef<HTMLHeadingElement>(null);
  // A page navigated to takes focus on its heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (onBack) heading.current?.focus();
  }, [onBack, service.id]);
  useEffect(() => {
    if (!onBack) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);
  const m = service.manifest;
  const digest = verdict?.report.digest ?? null;
  const env = Object.entries(m?.environment ?? {});
  return (
    <article className="service-page" aria-labelledby="service-title" data-service-page={service.id}>
      {back && (
        <button type="button" className="button button--small" onClick={back.onBack}>
          ← {back.label} (Esc)
        </button>
      )}
      <header className="service-page__head">
        <ServiceIcon service={service} size="large" />
        <div className="service-page__title">
          <h2 id="service-title" tabIndex={-1} ref={heading}>
            {visibleText(m?.name ?? service.id)}
          </h2>
          <p className="service-page__tagline">{m?.tagline === undefined ? null : visibleText(m.tagline)}</p>
          <p className="service-page__meta">
            {m && <span>Version {m.version}</span>}
            {m?.category && <span>Category: {visibleText(m.category)}</span>}
            {m?.developer && (
              <span>
                Developer:{' '}
                <ExternalLink href={m.developer.url} className="">
                  {visibleText(m.developer.name)}
                </ExternalLink>
              </span>
            )}
          </p>
          <div className="service-page__actions">
            <Badge code={verdict?.report.reason ?? missing} size="large" />
            {actions}
          </div>
        </div>
      </header>
      <div className="service-page__cols">
        <div className="service-page__main">
          {m?.description ? <Markdown text={m.description} /> : <p className="muted">No description in the listing.</p>}
          <section aria-labelledby="runs-title" className="runs">
            <h3 id="runs-title">What it will run</h3>
            {signedListing ? (
              <p className="callout callout--info" data-testid="runs-signed-listing">
                Ports, volumes and environment are as the store signed them ({signedListing}); the image signature covers the image only.
              </p>
            ) : (
              <p className="callout callout--warn">Ports, volumes and environment are from the store listing, not signed: the signature covers the image only.</p>
            )}
            <dl className="runs__list">
              <div>
                <dt>Image</dt>
                <dd>
                  <ImageRef image={m?.image ?? verdict?.report.image ?? null} />
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
                <dt>Ports ({from})</dt>
                <dd>{m?.ports?.length ? m.ports.map((p) => `${p.host} → ${p.container}/${p.protocol}`).join(', ') : 'none'}</dd>
              </div>
              <div>
                <dt>Volumes ({from})</dt>
                <dd>{m?.volumes?.length ? m.volumes.map((v) => `${v.name} → ${v.path}`).join(', ') : 'none'}</dd>
              </div>
              <div>
                <dt>Environment ({from})</dt>
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
        <WhyPanel verdict={verdict} busy={busy} onReverify={onReverify} missing={missing} error={reverifyError} />
      </div>
    </article>
  );
}

function ImageRef({ image }: { image: string | null }) {
  if (!image) return <code data-testid="service-image">unknown</code>;
  return (
    <>
      <code data-testid="service-image">{image}</code> <CopyButton value={image} label="Copy image reference" />
    </>
  );
}
