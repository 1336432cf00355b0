/*
 * Human names for keys (issue 17 item 2): where the key came from in words, a short fingerprint
 * and the file it was read from — never a developer term such as "command-line" as an origin.
 */
import type { VerificationReport } from '../../../electron/ipc/contract/channels';

import { originWords, shortFingerprint } from '../../../electron/ipc/contract/key-words';

export { originWords, shortFingerprint };

type KeySummary = VerificationReport['trustedKeys'][number];

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
