/* Service developers: how the listing will look and what cells will do, before publishing. */
import { useState } from 'react';
import type { PreviewVerdict } from '../../../../electron/ipc/contract/channels';
import { Badge } from '../../components/badge';
import { ErrorView } from '../../components/error-view';
import { PathField, usePathDrop } from '../../components/path-field';
import { usePreviewSlice } from '../../state/preview-slice';
import { drawable, PreviewCard, PreviewPage } from './preview-listing';
import '../store/store.css';
import './preview.css';

function OpenForm() {
  const open = usePreviewSlice((s) => s.open);
  const current = usePreviewSlice((s) => s.path);
  const [path, setPath] = useState(current ?? '');
  const take = (p: string) => {
    setPath(p);
    void open(p);
  };
  const { over, ...drop } = usePathDrop(take);
  return (
    <form
      className={over ? 'path-form drop-zone drop-zone--over' : 'path-form drop-zone'}
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void open(path.trim());
      }}
      {...drop}
    >
      <label htmlFor="preview-path">Manifest or index to preview (absolute path, or drop the file here)</label>
      <div className="path-form__row">
        <PathField id="preview-path" value={path} onChange={setPath} placeholder="/home/you/my-service/manifest.json" purpose="listing" chooseLabel="Choose a manifest or index file" onChosen={take}>
          <button type="submit" className="button button--inline">
            Open
          </button>
        </PathField>
      </div>
    </form>
  );
}

function ModeTable({ verdict }: { verdict: PreviewVerdict }) {
  return (
    <table className="mode-table" data-testid="mode-table">
      <caption>What a cell would do in each mode</caption>
      <tbody>
        {verdict.modes.map((row) => (
          <tr key={row.mode} data-mode={row.mode} data-decision={row.decision} className={`mode-row mode-row--${row.decision}`}>
            <th scope="row">
              {row.mode}
              {row.mode === 'enforce' && <span className="muted"> (default)</span>}
            </th>
            <td className="mode-row__decision">{row.decision === 'block' ? 'blocked' : row.decision === 'warn' ? 'installs, warning' : 'installs'}</td>
            <td>{row.sentence}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VerifyPanel() {
  const { verify, devKeyPath, ociLayoutDir, setDevKeyPath, setOciLayoutDir, runVerify, listing } = usePreviewSlice();
  const v = verify.result;
  return (
    <section className="preview-verify" aria-labelledby="preview-verify-title">
      <h3 id="preview-verify-title">Verification</h3>
      <p className="muted">
        Against this app’s trust root — what store badges and default cells will say{listing?.ociLayoutDir ? `, images read from the index’s OCI layout ${listing.ociLayoutDir}` : ''}. Your own key is tried separately and never added to the trust root.
      </p>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          void runVerify();
        }}
      >
        <div className="path-form__row">
          <PathField aria-label="Your public key (absolute path, optional)" value={devKeyPath} onChange={setDevKeyPath} placeholder="Your public key: /home/you/cosign.pub (optional)" purpose="public-key" chooseLabel="Choose your public key file" />
          <PathField aria-label="OCI layout directory (absolute path, optional)" value={ociLayoutDir} onChange={setOciLayoutDir} placeholder="OCI layout dir instead of the registry (optional)" purpose="oci-layout" chooseLabel="Choose an OCI layout directory" />
          <button type="submit" className="button button--inline" disabled={verify.status === 'loading'}>
            {verify.status === 'loading' ? 'Verifying…' : 'Verify'}
          </button>
        </div>
      </form>
      {verify.error && <ErrorView error={verify.error} title="Could not verify" />}
      {v && (
        <>
          <ModeTable verdict={v} />
          {v.devKey && (
            <div className="callout callout--info" data-testid="dev-key-result">
              <p className="callout__title">With your key only ({v.devKey.path})</p>
              {v.devKey.problem ? (
                <p>That key cannot be used: {v.devKey.problem}</p>
              ) : (
                <p>
                  <Badge code={v.devKey.report!.reason} /> {v.devKey.explanation!.sentence} <span className="muted">Fingerprint {v.devKey.fingerprint}. Cells trust the store’s key, not yours.</span>
                </p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

export function PreviewView() {
  const { status, error, listing, selected, select, verify, runVerify } = usePreviewSlice();
  const service = listing?.services.find((s) => s.index === selected) ?? null;
  const problems = [...(listing?.errors ?? []), ...(service?.errors ?? [])];
  return (
    <section className="view view--wide preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview a listing</h2>
      <OpenForm />
      {error && <ErrorView error={error} title="Could not open that file" />}
      {status === 'loading' && !listing && <p className="muted">Reading…</p>}
      {status !== 'loading' && !listing && !error && (
        <div className="callout callout--info empty-state" data-testid="preview-empty">
          <p className="callout__title">No listing open yet</p>
          <p>
            Open your service’s manifest or a store’s index.json (type its path above, choose it, or drop the file) to see the card and page users will see, the schema
            errors a store would report, and — after Verify — what enforcing, warning and off cells would do with the image. It is re-read every time you save the file.
          </p>
        </div>
      )}
      {listing && (
        <>
          <p className="muted" data-testid="preview-meta" data-kind={listing.kind}>
            {listing.kind === 'index' ? `Index “${listing.indexName}” with ${listing.services.length} service(s)` : listing.kind === 'manifest' ? 'Manifest' : 'File'} · {listing.path} · read {listing.readAt.slice(11, 19)} UTC · re-read
            automatically when you save it
          </p>
          {listing.kind === 'index' && listing.services.length > 1 && (
            <label className="preview-select">
              Service
              <select aria-label="Service in this index" value={selected} onChange={(e) => select(Number(e.target.value))}>
                {listing.services.map((s) => (
                  <option key={s.index} value={s.index}>
                    {s.id}
                    {s.errors.length ? ` — ${s.errors.length} error(s)` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {problems.length > 0 && (
            <div className="callout callout--danger" data-testid="schema-errors">
              <p className="callout__title">{problems.length === 1 ? 'This listing has an error' : `This listing has ${problems.length} errors`} — a store lists it as invalid and no cell can install it</p>
              <ul className="schema-errors">
                {problems.map((p, i) => (
                  <li key={i} data-testid="schema-error" data-path={p.path}>
                    <code>{p.path || '(whole file)'}</code> {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {service && <VerifyPanel />}
          {/* An invalid listing still shows the card and page it can, its errors marked at the fields (issue 17 item 5). */}
          {service && (
            <div className="preview-grid">
              <section aria-label="Card">
                <h3>Card</h3>
                <PreviewCard service={drawable(service)} verdict={verify.result} />
              </section>
              <section aria-label="Page">
                <h3>Page</h3>
                <PreviewPage service={drawable(service)} verdict={verify.result} busy={verify.status === 'loading'} onReverify={() => void runVerify()} fieldErrors={service.errors} />
              </section>
            </div>
          )}
        </>
      )}
    </section>
  );
}
