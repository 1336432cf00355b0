/**
 * The app's composition root (DESIGN 3, "One composition root"): everything long-lived in main —
 * the core services (trust root, image sources), the store runtime, the verification runner,
 * install sessions, cell checks, the activity and preview file watchers, the trust watcher and
 * the icon cache — is built here, once per process, and released by `dispose()` on shutdown.
 * IPC handlers only validate arguments and call into these; they construct nothing.
 * To add a long-lived part: a field on `AppServices`, built in `createServices` from the ones
 * above it, and released in `dispose` if it holds a resource.
 */
import { APP_NAME, APP_VERSION } from '../../../core/app-info';
import { resolveAppConfigDir } from '../../../core/app-paths';
import { createCoreServices, type CoreServices } from '../../../core/core-services';
import { resolveDataDir } from '../../../core/data-dir';
import type { ChoosePathRequest } from '../../contract/channels';
import { EventHub } from '../event-hub';
import { ActivityService } from './activity-service';
import { CellService } from './cell-service';
import { IconCache } from './icon-cache';
import { FleetRuns } from './fleet-runs';
import { InstallSessions } from './install-sessions';
import { PreviewService } from './preview-service';
import { StoreRuntime } from './store-runtime';
import { UpdatesService, type OpenAddressPort } from './updates-service';
import { watchTrust } from './trust-watcher';
import { VerificationRunner } from './verification-runner';

/** How the shell that hosts us opens an https link in the user's browser (already validated). */
export type OpenExternalPort = (url: URL) => Promise<boolean>;

/**
 * A native file dialog, provided by the Electron shell only: resolves to the chosen path, or
 * null when the user cancelled. It never opens the file; the path goes to the handler that
 * reads it with its own checks.
 */
export type PathChooser = (req: ChoosePathRequest) => Promise<string | null>;

export interface AppServices {
  app: { name: string; version: string; platform: string; transport: 'electron' | 'browser-shell' };
  dataDir: string;
  appConfigDir: string;
  /** Where services push events; transports attach to it (through the router). */
  events: EventHub;
  core: CoreServices;
  stores: StoreRuntime;
  icons: IconCache;
  verification: VerificationRunner;
  cells: CellService;
  installs: InstallSessions;
  fleet: FleetRuns;
  activity: ActivityService;
  preview: PreviewService;
  updates: UpdatesService;
  openExternal: OpenExternalPort;
  /** Absent in the browser shell: `app:choose-path` then answers `{ supported: false }`. */
  chooser?: PathChooser;
  /** Stops watchers and timers, cancels running checks, verifications and installs. */
  dispose(): Promise<void>;
}

export interface ServiceOptions {
  transport: 'electron' | 'browser-shell';
  env?: NodeJS.ProcessEnv;
  /** Where to start looking for the app's `config/` (the running bundle's directory). */
  startDir: string;
  /** A packaged app passes `process.resourcesPath/config`. */
  appConfigDir?: string;
  openExternal: OpenExternalPort;
  /** Opens an installed service's http address main already allowed (DESIGN 3.1); absent: the page shows it. */
  openServiceAddress?: OpenAddressPort;
  chooser?: PathChooser;
}

export function createServices(opts: ServiceOptions): AppServices {
  const env = opts.env ?? process.env;
  const dataDir = resolveDataDir(env);
  const appConfigDir = opts.appConfigDir ?? resolveAppConfigDir(opts.startDir, env);
  const events = new EventHub();
  const core = createCoreServices({ dataDir, appConfigDir });
  const stores = new StoreRuntime(core, events);
  const cells = new CellService(core, events);
  const verification = new VerificationRunner(core, stores, events);
  const installs = new InstallSessions(core, stores, cells, events);
  const fleet = new FleetRuns(core, stores, cells, events);
  const activity = new ActivityService(core, stores, cells, events);
  const preview = new PreviewService(core, events);
  const updates = new UpdatesService(core, stores, cells, events, opts.openServiceAddress ?? (async () => false));
  stores.onLoaded = () => updates.storeRefreshed();
  activity.startWatching();
  // Update detection on start (DESIGN 2.9); its result reaches pages through `cells:updated`.
  void updates.check().catch(() => undefined);
  const stopTrustWatch = watchTrust(events, () => core.trustStatus());
  return {
    app: { name: APP_NAME, version: APP_VERSION, platform: process.platform, transport: opts.transport },
    dataDir,
    appConfigDir,
    events,
    core,
    stores,
    icons: new IconCache(),
    verification,
    cells,
    installs,
    fleet,
    activity,
    preview,
    updates,
    openExternal: opts.openExternal,
    chooser: opts.chooser,
    dispose: async () => {
      stopTrustWatch();
      activity.dispose();
      preview.dispose();
      updates.dispose();
      verification.dispose();
      cells.dispose();
      installs.dispose();
      await fleet.dispose();
    },
  };
}
