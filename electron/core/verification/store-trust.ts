import { loadTrustedLogs, loadTrustedLogsFile } from '../tlog/trusted-logs';
import { loadTrustRoot, loadTrustRootFromFiles, type TrustRoot } from '../trust/trust-root';
import { demoStoreKeyPath } from '../trust/trust-view';

/**
 * Which keys judge a store (DESIGN 2.3): the embedded demo store only ever its own demo key
 * (origin `demo`), every other store the app's trust root (bundled + local). An explicit
 * `--trust-key` list replaces both for that one command. The trusted transparency logs (2.8)
 * come with it: the app's, or the `--trusted-root` file's for that one command (an unusable
 * file is a CoreError TRUSTED_ROOT_INVALID: the command cannot do what was asked).
 */
export async function trustRootForStore(opts: { isDemo: boolean; appConfigDir: string; dataDir: string; override?: string[]; trustedRootFile?: string }): Promise<TrustRoot> {
  const logs = opts.trustedRootFile ? await loadTrustedLogsFile(opts.trustedRootFile) : await loadTrustedLogs({ appConfigDir: opts.appConfigDir, dataDir: opts.dataDir });
  let root: TrustRoot;
  if (opts.override && opts.override.length) root = await loadTrustRootFromFiles(opts.override, 'command-line');
  else if (opts.isDemo) root = await loadTrustRootFromFiles([demoStoreKeyPath(opts.appConfigDir)], 'demo');
  else root = await loadTrustRoot({ appConfigDir: opts.appConfigDir, dataDir: opts.dataDir });
  return { ...root, logs };
}
