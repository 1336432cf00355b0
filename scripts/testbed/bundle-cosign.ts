// cosign's bundle format (`--new-bundle-format`) as signer and offline judge, on top of the
// classic testbed helpers: attestations of any predicate type, and the offline check with an
// empty trusted root (TESTBED.md) that is the reference verdict for bundle signatures.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CosignHome } from './cosign';

const SIGN_V1 = 'https://sigstore.dev/cosign/sign/v1';

const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** `cosign attest --new-bundle-format` with a predicate of `type` (sign/v1 makes a bundle signature). */
export async function cosignAttestBundle(home: CosignHome, key: string, ref: string, type = SIGN_V1, predicate: unknown = {}): Promise<void> {
  const pred = join(home.dir, `pred-${Math.random().toString(36).slice(2, 10)}.json`);
  await writeFile(pred, JSON.stringify(predicate));
  const r = await home.run(['attest', '-y', '--new-bundle-format', '--key', key, '--tlog-upload=false', '--type', type, '--predicate', pred, ref]);
  if (r.code !== 0) throw new Error(`cosign attest ${ref}: ${r.stderr}`);
}

/** The offline reference verdict for bundle signatures: does cosign accept a sign/v1 bundle under `pub`? */
export async function cosignVerifiesBundle(home: CosignHome, pub: string, ref: string): Promise<boolean> {
  const root = join(home.dir, 'empty-trusted-root.json');
  await writeFile(root, JSON.stringify(EMPTY_TRUSTED_ROOT));
  const r = await home.run(
    ['verify-attestation', '--key', pub, '--insecure-ignore-tlog', '--new-bundle-format', '--trusted-root', root, '--type', SIGN_V1, ref],
    30_000,
  );
  return r.code === 0;
}
