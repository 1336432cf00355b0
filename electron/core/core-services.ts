/**
 * The core half of the composition root (DESIGN 3, "One composition root"): what both the app's
 * main process and the CLI need, built once per process from the two directories — the one place
 * that loads the trust root and builds image sources. Keys and the plain-http list are files an
 * admin edits at any time, so each call reads them afresh; nothing here caches a security input.
 */
import { dataPaths } from './data-dir';
import { openOciLayout } from './oci-layout/oci-layout-source';
import { RegistrySourcePool } from './registry/registry-pool';
import { RegistrySource } from './registry/registry-source';
import type { CredentialProvider } from './registry/docker-credentials';
import type { SourceProvider } from './verification/verify-image';
import { readPlainHttpRegistries } from './store/stores-config';
import { loadTrustedLogs, loadTrustedLogsFile } from './tlog/trusted-logs';
import { loadTrustRoot, loadTrustRootFromFiles, type TrustRoot } from './trust/trust-root';
import { demoStoreKeyPath, loadTrustStatus, type TrustStatus } from './trust/trust-view';

/** Where images are read from for one job; `close()` ends its keep-alive connections. */
export interface ImageSources {
  provider: SourceProvider;
  /** The admin's plain-http registries that applied (recorded by installs for the cell-side check). */
  plainHttpRegistries: readonly string[];
  close(): void;
}

export interface ImageSourceOptions {
  /** An OCI layout standing in for the registry (offline stores, the demo store, previews). */
  ociLayoutDir?: string | null;
  timeoutMs?: number;
  /** Registry credentials (the CLI reads the user's Docker config). */
  credentials?: CredentialProvider;
}

export interface CoreServices {
  readonly dataDir: string;
  readonly appConfigDir: string;
  readonly paths: ReturnType<typeof dataPaths>;
  /**
   * The app's trust root: bundled `config/cosign/*.pub` plus the data directory's `trust/*.pub`,
   * with the trusted transparency logs (DESIGN 2.8: trust/trusted_root.json, else
   * config/sigstore/trusted_root.json, else the public-good root from @sigstore/tuf).
   */
  trustRoot(): Promise<TrustRoot>;
  /**
   * The keys that judge a store (DESIGN 2.3): the embedded demo store only its own demo key, every
   * other store the app's trust root; an explicit key list (`verify --trust-key`) replaces both.
   * `trustedRootFile` (`verify --trusted-root`) replaces the trusted logs; an unusable one is a
   * CoreError TRUSTED_ROOT_INVALID (the command cannot do what was asked).
   */
  trustRootFor(store: { isDemo: boolean }, overrideKeyFiles?: readonly string[], trustedRootFile?: string): Promise<TrustRoot>;
  trustStatus(): Promise<TrustStatus>;
  /** The admin's plain-http list (stores.json); an unreadable file allows none (the store list reports it). */
  plainHttpRegistries(): Promise<readonly string[]>;
  /** Image sources with the admin's plain-http list applied, plus any hosts a command adds. */
  imageSources(opts?: ImageSourceOptions, extraPlainHttp?: readonly string[]): Promise<ImageSources>;
}

export const DEFAULT_IMAGE_TIMEOUT_MS = 15_000;

export function createCoreServices(dirs: { dataDir: string; appConfigDir: string }): CoreServices {
  const { dataDir, appConfigDir } = dirs;
  const logs = (file?: string) => (file ? loadTrustedLogsFile(file) : loadTrustedLogs({ appConfigDir, dataDir }));
  const keys = () => loadTrustRoot({ appConfigDir, dataDir });
  const trustRoot = async (): Promise<TrustRoot> => ({ ...(await keys()), logs: await logs() });
  const plainHttpRegistries = () => readPlainHttpRegistries(dataDir).catch((): string[] => []);
  return {
    dataDir,
    appConfigDir,
    paths: dataPaths(dataDir),
    trustRoot,
    trustRootFor: async (store, overrideKeyFiles, trustedRootFile) => {
      const trustedLogs = await logs(trustedRootFile);
      let root: TrustRoot;
      if (overrideKeyFiles && overrideKeyFiles.length) root = await loadTrustRootFromFiles([...overrideKeyFiles], 'command-line');
      else if (store.isDemo) root = await loadTrustRootFromFiles([demoStoreKeyPath(appConfigDir)], 'demo');
      else root = await keys();
      return { ...root, logs: trustedLogs };
    },
    trustStatus: () => loadTrustStatus({ appConfigDir, dataDir }),
    plainHttpRegistries,
    imageSources: async (opts = {}, extraPlainHttp = []) => {
      const listed = [...(await plainHttpRegistries()), ...extraPlainHttp];
      return openImageSources({ ...opts, plainHttpRegistries: listed });
    },
  };
}

/**
 * Builds image sources from explicit settings: an OCI layout if given, else one registry client
 * per host. Only `CoreServices.imageSources` and tests that pin their own settings call this.
 */
export function openImageSources(opts: ImageSourceOptions & { plainHttpRegistries: readonly string[] }): ImageSources {
  if (opts.ociLayoutDir) {
    const layout = openOciLayout(opts.ociLayoutDir);
    return { provider: () => layout, plainHttpRegistries: opts.plainHttpRegistries, close: () => undefined };
  }
  const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: opts.timeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS, insecureHosts: opts.plainHttpRegistries, credentials: opts.credentials }));
  return { provider: pool.provider, plainHttpRegistries: opts.plainHttpRegistries, close: () => pool.close() };
}
