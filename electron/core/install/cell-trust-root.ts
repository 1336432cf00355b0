import { errorMessage } from '../errors';
import { parsePublicKeyPem } from '../trust/public-key';
import type { TrustRoot } from '../trust/trust-root';

/**
 * The trust root an install is judged by (DESIGN 2.2): the cell's own `cosign.pub`, read over
 * ssh (the status report's record, cellKeyText), origin `cell`. An absent or unusable key gives
 * an empty root with the status's own reason, so verification reports TRUST_ROOT_INVALID — "not
 * verified", and in enforce, blocked.
 */
export function cellTrustRoot(key: { pem: string | null; problem: string | null }, where: string): TrustRoot {
  if (key.pem === null) return { keys: [], problems: [{ source: where, origin: 'cell', message: key.problem ?? 'the cell has no config/cosign/cosign.pub' }] };
  try {
    return { keys: [{ ...parsePublicKeyPem(key.pem), origin: 'cell', source: where }], problems: [] };
  } catch (e) {
    return { keys: [], problems: [{ source: where, origin: 'cell', message: errorMessage(e) }] };
  }
}
