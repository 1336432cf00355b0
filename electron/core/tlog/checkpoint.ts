import { verifyWithKey } from '../verification/key-verify';
import type { TrustedLog } from './trusted-logs';

/**
 * A log checkpoint (signed note, transparency-dev format) checked more strictly than
 * @sigstore/verify 3.1.1 does (DESIGN 2.8): that library matches the signer's name against the
 * log's URL as a *pattern* (so a name like `.*` passes) and never looks at the note's origin
 * line. Here the signature line must carry the log's name literally, its key hint must be the
 * log's, the note's origin must be that name (optionally `name - treeID`, as Rekor writes it),
 * and the size and root hash are returned for the caller to compare with the inclusion proof.
 */
export interface Checkpoint {
  origin: string;
  size: bigint;
  rootHash: Buffer;
}

const SIG_LINE = /^\u2014 (\S+) (\S+)$/;

export function verifyCheckpoint(envelope: string, log: TrustedLog): Checkpoint | string {
  const split = envelope.indexOf('\n\n');
  if (split < 0) return 'the checkpoint has no signature block';
  const note = envelope.slice(0, split + 1);
  const sigLines = envelope.slice(split + 2).split('\n').filter((l) => l.length > 0);
  const logIdPrefix = Buffer.from(log.logId, 'hex').subarray(0, 4);
  let signedByLog = false;
  for (const line of sigLines.slice(0, 16)) {
    const m = SIG_LINE.exec(line);
    if (!m) continue;
    const bytes = Buffer.from(m[2]!, 'base64');
    if (m[1] !== log.origin || bytes.length < 5 || !bytes.subarray(0, 4).equals(logIdPrefix)) continue;
    if (verifyWithKey(Buffer.from(note, 'utf8'), bytes.subarray(4), log.key)) {
      signedByLog = true;
      break;
    }
  }
  if (!signedByLog) return `the checkpoint carries no valid signature by ${log.origin} under its key (signer names are compared literally)`;
  const lines = note.replace(/\n$/, '').split('\n');
  if (lines.length < 3) return 'the checkpoint note has fewer than three lines';
  const origin = lines[0]!;
  if (origin !== log.origin && !origin.startsWith(`${log.origin} - `)) return `the checkpoint's origin "${origin}" is not the log's name ${log.origin}`;
  if (!/^[0-9]{1,19}$/.test(lines[1]!)) return 'the checkpoint size is not a number';
  const rootHash = Buffer.from(lines[2]!, 'base64');
  if (rootHash.length !== 32) return 'the checkpoint root hash is not 32 bytes';
  return { origin, size: BigInt(lines[1]!), rootHash };
}
