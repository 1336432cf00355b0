// Where a trusted key came from, in words (issue 17 items 2 and 3): the app's key names and the
// CLI's receipts say the same thing, and never a developer term such as "command-line".
import type { KeyOrigin } from '../trust/trust-root';

const ORIGIN_WORDS: Record<KeyOrigin, string> = {
  bundled: 'the store key installed with the app',
  local: 'your own key',
  'command-line': 'the key given for this check',
  demo: 'the demo store’s own key',
  cell: 'the cell’s key',
};

/** Where a key came from, in words ("a trusted key" when the report does not say). */
export function originWords(origin: KeyOrigin | undefined): string {
  return origin ? ORIGIN_WORDS[origin] : 'a trusted key';
}

/** "3f2a9c1d…": enough to tell keys apart at a glance; the whole value stays one copy away. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 12 ? `${fingerprint.slice(0, 8)}…` : fingerprint;
}
