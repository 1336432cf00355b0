import { bundleFromJSON, isBundleWithDsseEnvelope, type BundleWithDsseEnvelope } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { errorMessage } from '../errors';
import type { TrustedKey } from '../trust/trust-root';

/** A sigstore bundle (v0.3 media type) that carries a DSSE envelope; anything else is refused. */
type ParsedBundle = { ok: true; bundle: BundleWithDsseEnvelope; payloadType: string; payload: Buffer } | { ok: false; message: string };

export function parseDsseBundle(bytes: Buffer): ParsedBundle {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, message: 'the bundle is not JSON' };
  }
  try {
    const bundle = bundleFromJSON(json);
    if (!isBundleWithDsseEnvelope(bundle)) return { ok: false, message: 'the bundle holds no DSSE envelope' };
    const env = bundle.content.dsseEnvelope;
    return { ok: true, bundle, payloadType: env.payloadType, payload: Buffer.from(env.payload) };
  } catch (e) {
    return { ok: false, message: `not a valid sigstore bundle: ${errorMessage(e)}` };
  }
}

// Trust material for one key: no CAs, no logs, no TSAs — cosign's `--key … --insecure-ignore-tlog`.
const EMPTY_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

function materialFor(key: TrustedKey): TrustMaterial {
  const base = toTrustMaterial(EMPTY_ROOT as unknown as Parameters<typeof toTrustMaterial>[0]);
  // The bundle's key hint is not trusted to pick the key: every trusted key is tried in turn.
  return { ...base, publicKey: () => ({ publicKey: key.key, validFor: () => true }) };
}

/**
 * Checks the DSSE signature (over the PAE of payload type and payload) with each trusted key
 * through @sigstore/verify, thresholds 0. Transparency-log entries and timestamps are left out
 * of the check (reported as not checked, as cosign's `--insecure-ignore-tlog`): we hold no log
 * keys to check them with, and they never make a signature valid on their own.
 * Returns the key that verified, or null.
 */
export function verifyDsseWithKeys(bundle: BundleWithDsseEnvelope, keys: readonly TrustedKey[]): TrustedKey | null {
  let entity: SignedEntity;
  try {
    entity = { ...toSignedEntity(bundle), tlogEntries: [], timestamps: [] };
  } catch {
    return null;
  }
  if (entity.key.$case !== 'public-key') return null;
  for (const key of keys) {
    try {
      new Verifier(materialFor(key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
      return key;
    } catch {
      // Not this key; try the next (rotation: several trusted keys at once).
    }
  }
  return null;
}
