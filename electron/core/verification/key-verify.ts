import { verify as cryptoVerify } from 'node:crypto';
import type { TrustedKey } from '../trust/trust-root';

/**
 * Checks one raw signature over `payload` the way cosign does: SHA-256 whatever the key
 * (ECDSA P-256/384/521 with DER signatures, RSA PKCS#1 v1.5 — cosign's LoadVerifier picks
 * PKCS#1 v1.5 for RSA keys), Ed25519 plain over the payload. Returns the first key that verifies.
 */
export function findVerifyingKey(payload: Uint8Array, signature: Uint8Array, keys: readonly TrustedKey[]): TrustedKey | null {
  for (const k of keys) if (verifyWithKey(payload, signature, k)) return k;
  return null;
}

/** Also used for transparency-log keys (SETs, checkpoints), which are not trusted signing keys. */
export function verifyWithKey(payload: Uint8Array, signature: Uint8Array, k: Pick<TrustedKey, 'type' | 'key'>): boolean {
  try {
    if (k.type === 'ed25519') return cryptoVerify(null, payload, k.key, signature);
    if (k.type === 'rsa') return cryptoVerify('sha256', payload, k.key, signature);
    return cryptoVerify('sha256', payload, { key: k.key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
