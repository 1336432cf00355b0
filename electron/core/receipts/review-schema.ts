import { z } from 'zod';

/**
 * The schema of a receipt's `review` (DESIGN 2.5, 2.9): an upgrade's typed diff and what was
 * consented to. Bounded like the rest of an imported receipt; `obj` decides whether unknown keys
 * are kept (import) or dropped (export), as for the receipt itself.
 */
const text = (max: number) => z.string().max(max);
const fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: and 64 lowercase hex characters').nullable();

export function reviewSchema(obj: typeof z.object) {
  const change = obj({
    field: z.enum(['ports', 'volumes', 'environment']),
    change: z.enum(['added', 'removed', 'changed']),
    name: text(200),
    from: text(8192).optional(),
    to: text(8192).optional(),
  });
  const signerAccepted = obj({ field: z.literal('signer'), change: z.literal('changed'), name: fingerprint });
  return obj({
    version: obj({ from: text(64).nullable(), to: text(64) }),
    digest: obj({ from: digest, to: digest }),
    signers: obj({ from: z.array(fingerprint).max(64), to: z.array(fingerprint).max(64), changed: z.boolean() }),
    cellKeyVerifies: z.boolean().nullable(),
    listingSigned: z.boolean(),
    changes: z.array(change).max(1024),
    from: obj({ version: text(64).nullable(), digest, signers: z.array(fingerprint).max(64) }),
    accepted: z.array(z.union([signerAccepted, change])).max(1025),
  });
}
