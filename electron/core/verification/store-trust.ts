import { loadTrustRoot, loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { demoStoreKeyPath } from '../trust/trust-view';

/**
 * Which keys judge a store (DESIGN 2.3): the embedded demo store only ever its own demo key
 * (origin `demo`), every other store the app's trust root (bundled + local). An explicit
 * `--trust-key` list replaces both for that one command.
 */
export async function trustRootForStore(opts: { isDemo: boolean; appConfigDir: string; dataDir: string; override?: string[] }): Promise<TrustRoot> {
  if (opts.override && opts.override.length) return loadTrustRootFromFiles(opts.override, 'command-line');
  if (opts.isDemo) return loadTrustRootFromFiles([demoStoreKeyPath(opts.appConfigDir)], 'demo');
  return loadTrustRoot({ appConfigDir: opts.appConfigDir, dataDir: opts.dataDir });
}
