import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The app's own `config/` directory (bundled keys, the demo store). In a checkout and in the
 * built bundles it is found by walking up from the running file; a packaged app passes
 * `process.resourcesPath/config`. `PIC_STORE_APP_CONFIG` overrides it (tests of an empty
 * `config/cosign/`).
 */
export function resolveAppConfigDir(startDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PIC_STORE_APP_CONFIG) return resolve(env.PIC_STORE_APP_CONFIG);
  let dir = resolve(startDir);
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'config', 'demo-store')) || existsSync(join(dir, 'config', 'cosign'))) return join(dir, 'config');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(resolve(startDir), 'config');
}
