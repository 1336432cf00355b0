import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/testbed/install-deps.sh keeps what it fetched (cosign and the compose v2 plugin from Debian trixie). */
export function testbedCacheDir(): string {
  return process.env.PIC_TESTBED_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pic-store-testbed');
}

/** The cosign 2.5 binary the tests use as signer and reference verifier. */
export function cosignBin(): string {
  return process.env.PIC_TESTBED_COSIGN || join(testbedCacheDir(), 'cosign', 'usr', 'bin', 'cosign');
}

/** The docker compose v2 CLI plugin (Debian trixie's 2.26) that install-deps.sh extracts, for test cells offering v2. */
export function composePluginPath(): string {
  return process.env.PIC_TESTBED_COMPOSE_PLUGIN || join(testbedCacheDir(), 'compose-v2', 'usr', 'libexec', 'docker', 'cli-plugins', 'docker-compose');
}
