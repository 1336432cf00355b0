import { APP_NAME, APP_VERSION } from '../../../core/app-info';
import { resolveAppConfigDir } from '../../../core/app-paths';
import { resolveDataDir } from '../../../core/data-dir';
import type { ChoosePathRequest } from '../../contract/channels';
import { loadTrustStatus, type TrustStatus } from '../../../core/trust/trust-view';

/** How the shell that hosts us opens an https link in the user's browser (already validated). */
export type OpenExternalPort = (url: URL) => Promise<boolean>;

/**
 * A native file dialog, provided by the Electron shell only: resolves to the chosen path, or
 * null when the user cancelled. It never opens the file; the path goes to the handler that
 * reads it with its own checks.
 */
export type PathChooser = (req: ChoosePathRequest) => Promise<string | null>;

/**
 * The composition root of the app's core services, built ONCE per process and handed to every
 * IPC handler. To add a domain's service (store, verification, cells, installs, activity): add a
 * field to `AppServices` and construct it in `createServices`, from the fields above it.
 */
export interface AppServices {
  app: { name: string; version: string; platform: string; transport: 'electron' | 'browser-shell' };
  dataDir: string;
  appConfigDir: string;
  trust: { status(): Promise<TrustStatus> };
  openExternal: OpenExternalPort;
  /** Absent in the browser shell: `app:choose-path` then answers `{ supported: false }`. */
  chooser?: PathChooser;
}

export interface ServiceOptions {
  transport: 'electron' | 'browser-shell';
  env?: NodeJS.ProcessEnv;
  /** Where to start looking for the app's `config/` (the running bundle's directory). */
  startDir: string;
  /** A packaged app passes `process.resourcesPath/config`. */
  appConfigDir?: string;
  openExternal: OpenExternalPort;
  chooser?: PathChooser;
}

export function createServices(opts: ServiceOptions): AppServices {
  const env = opts.env ?? process.env;
  const dataDir = resolveDataDir(env);
  const appConfigDir = opts.appConfigDir ?? resolveAppConfigDir(opts.startDir, env);
  return {
    app: { name: APP_NAME, version: APP_VERSION, platform: process.platform, transport: opts.transport },
    dataDir,
    appConfigDir,
    // Read from disk on every request: keys are placed as files, at any time.
    trust: { status: () => loadTrustStatus({ appConfigDir, dataDir }) },
    openExternal: opts.openExternal,
    chooser: opts.chooser,
  };
}
