import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { loadTrustedLogs, type LogRootOrigin, type TrustedLogs } from '../tlog/trusted-logs';
import { loadKeyFile, loadTrustRoot, type KeyOrigin, type TrustRoot } from './trust-root';
import { homeRelativePath } from '../display-path';

/** The embedded demo store's own key: it judges the demo store and nothing else (DESIGN 2.3). */
export function demoStoreKeyPath(appConfigDir: string): string {
  return join(appConfigDir, 'demo-store', 'cosign.pub');
}

/** One trusted key as people see it (no key material beyond the fingerprint). */
export interface TrustKeyView {
  fingerprint: string;
  origin: KeyOrigin;
  type: string;
  source: string;
}

export interface TrustProblemView {
  source: string;
  origin: KeyOrigin;
  message: string;
}

/** One trusted transparency log as people see it (DESIGN 2.8): its key id and validity. */
export interface TrustLogView {
  baseUrl: string;
  /** Hex log id (for Rekor, the SHA-256 of its key). */
  logId: string;
  keyFingerprint: string;
  keyType: string;
  validFrom: string;
  validUntil: string | null;
}

/** The trusted transparency logs: where the trusted root came from, its logs, what was left out. */
export interface TrustLogsView {
  origin: LogRootOrigin;
  source: string;
  logs: TrustLogView[];
  problems: { source: string; message: string }[];
}

export function describeTrustedLogs(t: TrustedLogs): TrustLogsView {
  return {
    origin: t.origin,
    source: t.source,
    logs: t.logs.map((l) => ({ baseUrl: l.baseUrl, logId: l.logId, keyFingerprint: l.key.fingerprint, keyType: l.key.type, validFrom: l.validFrom.toISOString(), validUntil: l.validUntil?.toISOString() ?? null })),
    problems: t.problems.map((p) => ({ source: p.source, message: p.message })),
  };
}

/**
 * The one-word state the UI leads with, decided here so the renderer only displays it:
 * `no-key` nothing verifies; `local-only` only keys from the data directory (no store key);
 * `store-and-local` the store key plus local additions; `store` the store key alone.
 */
export type TrustState = 'no-key' | 'local-only' | 'store-and-local' | 'store';

export interface TrustStatus {
  state: TrustState;
  /** A key shipped in the app's `config/cosign/` (the store's publish key) is usable. */
  storeKeyInstalled: boolean;
  /** At least one key comes from the data directory's `trust/`. */
  localKeysInUse: boolean;
  keys: TrustKeyView[];
  /**
   * The demo store's key (origin `demo`): listed so the panel names every key a verdict can
   * cite, but it is never part of the trust root — it judges only the embedded demo store.
   */
  demoKeys: TrustKeyView[];
  problems: TrustProblemView[];
  /** Where bundled keys are read from, and where local keys are placed (`~/…` under home: text only). */
  bundledKeyDir: string;
  localKeyDir: string;
  /** The trusted transparency logs (absent when the root was described without them). */
  logs?: TrustLogsView;
}

/** Turns a loaded trust root into the plain-data view the About / Trust panel shows. */
function describeTrustRoot(root: TrustRoot, dirs: { appConfigDir: string; dataDir: string }, demo: TrustRoot = { keys: [], problems: [] }): TrustStatus {
  const view = (k: TrustRoot['keys'][number]): TrustKeyView => ({ fingerprint: k.fingerprint, origin: k.origin, type: k.type, source: k.source });
  const keys = root.keys.map(view);
  const storeKeyInstalled = keys.some((k) => k.origin === 'bundled');
  const localKeysInUse = keys.some((k) => k.origin === 'local');
  const state: TrustState = storeKeyInstalled ? (localKeysInUse ? 'store-and-local' : 'store') : localKeysInUse ? 'local-only' : 'no-key';
  return {
    state,
    storeKeyInstalled,
    localKeysInUse,
    keys,
    demoKeys: demo.keys.map(view),
    problems: [...root.problems, ...demo.problems].map((p) => ({ source: p.source, origin: p.origin, message: p.message })),
    bundledKeyDir: homeRelativePath(join(dirs.appConfigDir, 'cosign')),
    localKeyDir: homeRelativePath(join(dirs.dataDir, 'trust')),
    ...(root.logs ? { logs: describeTrustedLogs(root.logs) } : {}),
  };
}

/** Reads the trust root from disk now (key files may be placed at any time) and describes it. */
export async function loadTrustStatus(dirs: { appConfigDir: string; dataDir: string }): Promise<TrustStatus> {
  const root = { ...(await loadTrustRoot(dirs)), logs: await loadTrustedLogs(dirs) };
  return describeTrustRoot(root, dirs, await loadDemoKey(dirs.appConfigDir));
}

/** The demo key when the app ships a demo store; no demo store is not a problem, a broken key is. */
async function loadDemoKey(appConfigDir: string): Promise<TrustRoot> {
  const path = demoStoreKeyPath(appConfigDir);
  const exists = await stat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
  );
  if (!exists) return { keys: [], problems: [] };
  const r = await loadKeyFile(path, 'demo');
  return 'fingerprint' in r ? { keys: [r], problems: [] } : { keys: [], problems: [r] };
}
