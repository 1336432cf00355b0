import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { CoreError, errorMessage } from '../errors';

/** The key types cosign accepts for verification (DESIGN 2.3). */
type PublicKeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

export interface ParsedPublicKey {
  key: KeyObject;
  type: PublicKeyType;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo: the fingerprint shown everywhere. */
  fingerprint: string;
  pem: string;
}

const MAX_KEY_FILE = 64 * 1024;

/**
 * Parses one PEM public key (SPKI) and tells which cosign key type it is. Anything cosign would
 * not accept (other curves, DSA, X25519, short RSA) is refused with the reason, so a key that
 * cannot be used is reported rather than silently trusted.
 */
export function parsePublicKeyPem(pem: string): ParsedPublicKey {
  if (pem.length > MAX_KEY_FILE) throw new CoreError('KEY_INVALID', 'the key file is too large to be a public key');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new CoreError('KEY_INVALID', 'this is a private key; only public keys are trusted (and a private key does not belong here)');
  }
  if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    throw new CoreError('KEY_INVALID', 'no "BEGIN PUBLIC KEY" PEM block found');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new CoreError('KEY_INVALID', `not a readable public key: ${errorMessage(e)}`);
  }
  const type = keyTypeOf(key);
  const der = key.export({ type: 'spki', format: 'der' });
  return { key, type, fingerprint: createHash('sha256').update(der).digest('hex'), pem };
}

function keyTypeOf(key: KeyObject): PublicKeyType {
  const kind = key.asymmetricKeyType;
  if (kind === 'ed25519') return 'ed25519';
  if (kind === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new CoreError('KEY_INVALID', `RSA key of ${bits} bits is too short (at least 2048)`);
    return 'rsa';
  }
  if (kind === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ecdsa-p256';
    if (curve === 'secp384r1') return 'ecdsa-p384';
    if (curve === 'secp521r1') return 'ecdsa-p521';
    throw new CoreError('KEY_INVALID', `ECDSA curve ${curve ?? 'unknown'} is not one cosign accepts (P-256, P-384, P-521)`);
  }
  throw new CoreError('KEY_INVALID', `key type ${kind ?? 'unknown'} is not one cosign accepts (ECDSA, RSA, Ed25519)`);
}
