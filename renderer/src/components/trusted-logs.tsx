import type { TrustLogsView } from '../../../electron/ipc/contract/channels';

const ROOT_ORIGIN: Record<TrustLogsView['origin'], string> = {
  'public-good': 'the Sigstore public-good trusted root, as the @sigstore/tuf package ships it',
  bundled: "the app's config/sigstore/trusted_root.json",
  local: "this data directory's trust/trusted_root.json",
  'command-line': 'a --trusted-root file',
};

/**
 * About / Trust: the transparency logs whose entries are judged (DESIGN 2.8) — each with its key
 * id and validity — where the trusted root came from, and logs that were left out.
 */
export function TrustedLogs({ logs }: { logs: TrustLogsView }) {
  return (
    <>
      <h3>Trusted transparency logs</h3>
      <p className="muted" data-testid="tlog-root-origin" data-origin={logs.origin}>
        From {ROOT_ORIGIN[logs.origin]} (<code>{logs.source}</code>). A signature&apos;s entry from one of these logs must verify, or the signature does not count; an entry from
        any other log is not judged. Under a store&apos;s default &ldquo;if-present&rdquo; policy an unlogged signature is accepted; only &ldquo;required&rdquo; protects against a
        registry that strips log entries.
      </p>
      {logs.logs.length === 0 ? (
        <p className="muted" data-testid="no-tlogs">
          None: no log entry is judged, and a store requiring entries verifies nothing.
        </p>
      ) : (
        <ul className="key-list">
          {logs.logs.map((l) => (
            <li key={l.logId} className="key" data-testid="trusted-log">
              <div className="key__head">
                <span className="key__type">{l.keyType}</span>
                <span className="key__source" data-testid="tlog-url">
                  {l.baseUrl}
                </span>
              </div>
              <div className="key__fp">
                key id <code data-testid="tlog-id" className="fingerprint">{l.logId}</code>
              </div>
              <div className="muted" data-testid="tlog-validity">
                valid from {l.validFrom}
                {l.validUntil ? ` until ${l.validUntil}` : ' (no end)'}
              </div>
            </li>
          ))}
        </ul>
      )}
      {logs.problems.length > 0 && (
        <ul className="problem-list">
          {logs.problems.map((p) => (
            <li key={p.source} data-testid="tlog-problem">
              <code>{p.source}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
