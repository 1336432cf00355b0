/*
 * Human names for keys (issue 17 item 2): where the key came from in words, a short fingerprint
 * and the file it was read from — never a developer term such as "command-line" as an origin.
 */
import type { VerificationReport } from '../../../electron/ipc/contract/channels';

type KeySummary = VerificationReport['trustedKeys'][number];

const ORIGIN_WORDS: Record<KeySummary['origin'], string> = {
  bundled: 'the store key installed with the app',
  local: 'your own key',
  'command-line': 'the key given for this check',
  demo: 'the demo store’s own key',
  cell: 'the cell’s key',
};

/** Where a key came from, in words ("a trusted key" when the report does not say). */
export function originWords(origin: KeySummary['origin'] | undefined): string {
  return origin ? ORIGIN_WORDS[origin] : 'a trusted key';
}

/** "3f2a9c1d…": enough to tell keys apart at a glance; the whole value stays one copy away. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 12 ? `${fingerprint.slice(0, 8)}…` : fingerprint;
}

/** The file name of a key's source path (the renderer has no `path` module). */
function fileName(source: string | undefined): string | null {
  if (!source) return null;
  return source.split(/[\\/]/).pop() || null;
}

/** e.g. "the store key installed with the app — fingerprint 3f2a9c1d… (cosign.pub)". */
export function keyName(k: KeySummary | undefined, fingerprint: string): string {
  const file = fileName(k?.source);
  return `${originWords(k?.origin)} — fingerprint ${shortFingerprint(fingerprint)}${file ? ` (${file})` : ''}`;
}
