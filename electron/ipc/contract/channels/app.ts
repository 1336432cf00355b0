import { defineDomain, type Invoke } from '../domain';

/** Facts about the running app, for the About panel and for error reports. */
export interface AppInfo {
  name: string;
  version: string;
  /** The data directory (DESIGN 2.6) this process uses. */
  dataDir: string;
  /** The app's own config directory (bundled keys, demo store). */
  appConfigDir: string;
  /** Which shell carries the contract: the Electron window or the loopback browser shell. */
  transport: 'electron' | 'browser-shell';
  platform: string;
  /**
   * True when this shell can show a native file dialog (Electron). The browser shell cannot:
   * there a path is typed or dropped, and the "Choose…" buttons are not shown.
   */
  canChoosePaths: boolean;
}

/**
 * What a file dialog is for: main picks the dialog kind (open or save) and its filters from
 * this, so the renderer never says which files or folders may be opened.
 */
export const PATH_PURPOSES = ['store-index', 'store-root', 'listing', 'oci-layout', 'receipt-import', 'receipt-export', 'public-key', 'identity-file', 'ssh-config', 'fleet-plan-export', 'inventory-import', 'inventory-export'] as const;
export type PathPurpose = (typeof PATH_PURPOSES)[number];

export interface ChoosePathRequest {
  purpose: PathPurpose;
  /** A file name the save dialog suggests (receipt export), e.g. `receipt-1a2b3c4d.json`. */
  suggestedName?: string;
}

/**
 * The chosen path, or `path: null` when the user cancelled. Only the path travels: main reads
 * the file later, through the same checks as a typed path (DESIGN 3). `supported: false` in the
 * browser shell, where the UI keeps the typed path field.
 */
export type ChoosePathResult = { supported: false } | { supported: true; path: string | null };

export interface OpenExternalResult {
  /** False when this shell has no way to open a browser (CI, headless); the URL is still valid. */
  opened: boolean;
  url: string;
}

/** The `app` domain: who we are, and the one audited way to leave the app (https links). */
export const app = defineDomain<{
  info: Invoke<void, AppInfo>;
  openExternal: Invoke<{ url: string }, OpenExternalResult>;
  choosePath: Invoke<ChoosePathRequest, ChoosePathResult>;
  /** The page's app-level event subscriptions exist: main delivers the events it held for it. */
  ready: Invoke<void, { ready: true }>;
}>()('app', ['info', 'openExternal', 'choosePath', 'ready']);
