/* About / Trust: what the app is, where its data lives, and which keys decide "Verified". */
import { useEffect } from 'react';
import type { TrustKeyView, TrustState, TrustStatus } from '../../../electron/ipc/contract/channels';
import { ErrorView } from '../components/error-view';
import { Fingerprint } from '../components/fingerprint';
import { TrustedLogs } from '../components/trusted-logs';
import { originWords } from '../../../electron/ipc/contract/key-words';
import { useAppSlice } from '../state/app-slice';
import { useTrustSlice } from '../state/trust-slice';

const STATE_TEXT: Record<TrustState, { title: string; body: string; tone: 'danger' | 'warn' | 'ok' }> = {
  'no-key': {
    title: 'No store key installed',
    body: 'The app has no trusted public key, so nothing from a store verifies and installs onto enforcing cells are refused. A deployment places the store’s publish key (cosign.pub) in the app’s config/cosign/ directory.',
    tone: 'danger',
  },
  'local-only': {
    title: 'No store key installed — local keys in use',
    body: 'Only keys placed in this data directory’s trust/ folder are trusted. Images signed by the store itself will not verify.',
    tone: 'warn',
  },
  'store-and-local': {
    title: 'Store key installed — local keys in use',
    body: 'Besides the store’s key, keys placed in this data directory’s trust/ folder are trusted too.',
    tone: 'warn',
  },
  store: { title: 'Store key installed', body: 'Images are verified against the store’s publish key.', tone: 'ok' },
};

/** Words on a key's origin tag (never the raw origin, issue 17 item 3); the demo key's says how narrow its use is. */
const ORIGIN_TAG: Partial<Record<TrustKeyView['origin'], string>> = { demo: 'demo — used only for the demo store' };

function KeyRow({ k, testId = 'trusted-key' }: { k: TrustKeyView; testId?: string }) {
  return (
    <li className="key" data-testid={testId}>
      <div className="key__head">
        <span className={`tag tag--${k.origin}`} data-testid="key-origin" data-origin={k.origin}>
          {ORIGIN_TAG[k.origin] ?? originWords(k.origin)}
        </span>
        <span className="key__type">{k.type}</span>
        <span className="key__source" title={k.source}>
          {k.source}
        </span>
      </div>
      <Fingerprint as="div" className="key__fp" value={k.fingerprint} label={`Copy fingerprint ${k.fingerprint.slice(0, 12)}`} testId="key-fingerprint" />
    </li>
  );
}

function TrustDetails({ trust }: { trust: TrustStatus }) {
  const text = STATE_TEXT[trust.state];
  return (
    <>
      <div className={`callout callout--${text.tone}`} data-testid="trust-state" data-state={trust.state}>
        <p className="callout__title">{text.title}</p>
        <p>{text.body}</p>
      </div>
      <h3>Trusted keys</h3>
      {trust.keys.length === 0 ? (
        <p className="muted" data-testid="no-keys">
          None: no key judges the stores you add{trust.demoKeys.length > 0 ? ' (the demo store has its own key, below)' : ''}.
        </p>
      ) : (
        <ul className="key-list">
          {trust.keys.map((k) => (
            <KeyRow key={k.fingerprint} k={k} />
          ))}
        </ul>
      )}
      {trust.demoKeys.length > 0 && (
        <>
          <h3>Demo store key</h3>
          <p className="muted">The embedded demo store is judged by its own key and nothing else; this key never verifies an image from any other store.</p>
          <ul className="key-list">
            {trust.demoKeys.map((k) => (
              <KeyRow key={k.fingerprint} k={k} testId="demo-key" />
            ))}
          </ul>
        </>
      )}
      <dl className="facts facts--small">
        <dt>Store keys are read from</dt>
        <dd>
          <code>{trust.bundledKeyDir}</code>
        </dd>
        <dt>Local keys are read from</dt>
        <dd>
          <code>{trust.localKeyDir}</code>
        </dd>
      </dl>
      {trust.problems.length > 0 && (
        <>
          <h3>Key files that could not be used</h3>
          <p className="muted">These files were left out; fewer keys never makes verification weaker.</p>
          <ul className="problem-list">
            {trust.problems.map((p) => (
              <li key={p.source} data-testid="key-problem">
                <code>{p.source}</code> <span className={`tag tag--${p.origin}`}>{originWords(p.origin)}</span>: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {trust.logs && <TrustedLogs logs={trust.logs} />}
      <p className="muted">Keys are added only by placing files; this app has no control that adds, removes or weakens a key.</p>
    </>
  );
}

export function AboutTrustView() {
  const app = useAppSlice();
  const trust = useTrustSlice();
  useEffect(() => {
    if (app.status === 'idle') void app.load();
    if (trust.status === 'idle') void trust.load();
  }, [app, trust]);

  return (
    <section className="view" aria-labelledby="about-title">
      <h2 id="about-title">About / Trust</h2>
      {app.error && <ErrorView error={app.error} title="Could not read the app's details" onRetry={() => void app.load()} />}
      {app.info && (
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="app-version">{app.info.version}</dd>
          <dt>Data directory</dt>
          <dd>
            <code data-testid="data-dir">{app.info.dataDir}</code>
          </dd>
          <dt>Running as</dt>
          <dd>{app.info.transport === 'electron' ? 'Desktop app' : 'Browser shell (loopback)'}</dd>
        </dl>
      )}
      <h3>Trust</h3>
      {trust.status === 'loading' && !trust.trust && <p className="muted">Reading keys…</p>}
      {trust.error && <ErrorView error={trust.error} title="Could not read the trusted keys" onRetry={() => void trust.load()} />}
      {trust.trust && <TrustDetails trust={trust.trust} />}
      <button type="button" className="button" onClick={() => void trust.load()}>
        Reload keys
      </button>
    </section>
  );
}
