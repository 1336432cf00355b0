import { resolveAppConfigDir } from '../core/app-paths';
import { resolveDataDir } from '../core/data-dir';

/** What every command needs to know about where it runs; built once in the composition root. */
export interface CliContext {
  dataDir: string;
  appConfigDir: string;
}

export function cliContextFromEnv(env: NodeJS.ProcessEnv, startDir: string): CliContext {
  return { dataDir: resolveDataDir(env), appConfigDir: resolveAppConfigDir(startDir, env) };
}
