import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/testbed/install-deps.sh keeps what it fetched (cosign from Debian trixie). */
function testbedCacheDir(): string {
  return process.env.PIC_TESTBED_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pic-store-testbed');
}

/** The cosign 2.5 binary the tests use as signer and reference verifier. */
export function cosignBin(): string {
  return process.env.PIC_TESTBED_COSIGN || join(testbedCacheDir(), 'cosign', 'usr', 'bin', 'cosign');
}
