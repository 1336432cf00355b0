/**
 * What every command gets: the same core services the app's composition root builds (data and
 * config directories, the trust root, image sources with the admin's plain-http list), built once
 * per invocation from the environment.
 */
import { resolveAppConfigDir } from '../core/app-paths';
import { createCoreServices, type CoreServices } from '../core/core-services';
import { resolveDataDir } from '../core/data-dir';

export type CliContext = CoreServices;

export function cliContextFromEnv(env: NodeJS.ProcessEnv, startDir: string): CliContext {
  return createCoreServices({ dataDir: resolveDataDir(env), appConfigDir: resolveAppConfigDir(startDir, env) });
}
