/*
 * One service: description, what it will run (from the listing, not signed), and Why this badge.
 * Pure presentation — everything arrives as props — so the store and the listing preview render
 * the very same page (DESIGN 2.5: a developer sees exactly what users will).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ServiceVerdict, StoreServiceView } from '../../../electron/ipc/contract/channels';
import type { IpcError } from '../../../electron/ipc/contract/domain';
import { fieldOfError, type SchemaError } from '../../../electron/ipc/contract/schema-errors';
import { Badge } from './badge';
import { CopyButton } from './copy-button';
import { ExternalLink, Markdown } from './markdown';
import { ScreenshotGallery } from './screenshot-gallery';
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
  /** A previewed invalid listing's schema errors, each marked next to the field it is about. */
  fieldErrors?: readonly SchemaError[];
}

export function ServicePage({ service, verdict, busy, onReverify, back, actions, missing = 'pending', reverifyError = null, signedListing = null, fieldErrors = [] }: ServicePageProps) {
  const from = signedListing ? 'from the signed store listing' : 'from the store listing, not signed';
  const marks = (...fields: string[]) => <FieldErrors errors={fieldErrors.filter((e) => fields.includes(fieldOfError(e.path)))} />;
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
          {marks('name', 'id')}
          <p className="service-page__tagline">{m?.tagline === undefined ? null : visibleText(m.tagline)}</p>
          {marks('tagline')}
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
          {marks('version', 'category', 'developer', 'icon')}
          <div className="service-page__actions">
            <Badge code={verdict?.report.reason ?? missing} size="large" />
            {actions}
          </div>
        </div>
      </header>
      <div className="service-page__cols">
        <div className="service-page__main">
          {m?.description ? <Markdown text={m.description} /> : <p className="muted">No description in the listing.</p>}
          {marks('description')}
          <ScreenshotGallery service={service} />
          {marks('screenshots')}
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
                  {marks('image')}
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
                <dd>
                  {m?.ports?.length ? m.ports.map((p) => `${p.host} → ${p.container}/${p.protocol}`).join(', ') : 'none'}
                  {marks('ports')}
                </dd>
              </div>
              <div>
                <dt>Volumes ({from})</dt>
                <dd>
                  {m?.volumes?.length ? m.volumes.map((v) => `${v.name} → ${v.path}`).join(', ') : 'none'}
                  {marks('volumes')}
                </dd>
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
                  {marks('environment')}
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

/** A field's schema errors, right where the field is shown (preview of an invalid listing). */
function FieldErrors({ errors }: { errors: readonly SchemaError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" data-testid="field-errors">
      {errors.map((e, i) => (
        <li key={i} data-path={e.path}>
          <span className="field-errors__mark" aria-hidden="true">✕</span> {e.message} <code className="muted">{e.path}</code>
        </li>
      ))}
    </ul>
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
