import { defineDomain, type Invoke } from '../contract';

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
}

export interface OpenExternalResult {
  /** False when this shell has no way to open a browser (CI, headless); the URL is still valid. */
  opened: boolean;
  url: string;
}

/** The `app` domain: who we are, and the one audited way to leave the app (https links). */
export const app = defineDomain<{
  info: Invoke<void, AppInfo>;
  openExternal: Invoke<{ url: string }, OpenExternalResult>;
}>()('app', ['info', 'openExternal']);
