// The schema an imported receipt must pass before anything shows it (DESIGN 2.5). Receipts come
// from other people's machines, so every string and list is bounded; unknown extra fields are
// kept (a newer app may add some) so that export → import round-trips unchanged. An EXPORT, though,
// writes only the fields this schema knows (knownReceiptFields): a file the app writes on
// request carries nothing a caller smuggled into the value.
import { z } from 'zod';
import { CoreError } from '../errors';
import { CHECK_IDS, REASON_CODES } from '../verification/types';
import { reviewSchema } from './review-schema';
import {
  DECISIONS,
  MODE_SOURCES,
  MODE_VALUES,
  RECEIPT_ACTIONS,
  RECEIPT_KIND,
  RECEIPT_OUTCOMES,
  RECEIPT_VERSION,
  type Receipt,
} from './receipt';

const text = (max: number) => z.string().max(max);
const KEY_ORIGINS = ['bundled', 'local', 'command-line', 'demo', 'cell'] as const;

/** The rules once; `obj` decides whether unknown keys are kept (loose) or dropped (z.object strips). */
function buildReceiptSchema(obj: typeof z.object) {
  const checkSchema = obj({
    id: z.enum(CHECK_IDS),
    status: z.enum(['pass', 'fail', 'warn', 'skip']),
    detail: text(4000),
  });

  const signatureSchema = obj({
    format: z.enum(['classic', 'bundle']),
    keyFingerprint: text(128).nullable(),
    identity: text(2000).nullable(),
    boundDigest: text(200).nullable().optional(),
    problem: z.enum(['invalid-signature', 'digest-mismatch', 'payload-invalid', 'tlog-invalid', 'tlog-missing']).nullable().optional(),
    // The signature's transparency-log record (DESIGN 2.8): log, index and "signed no later than".
    tlog: obj({
      status: z.enum(['verified', 'invalid', 'none', 'unknown-log']),
      log: text(2000).optional(),
      logId: text(200).optional(),
      index: z.number().int().min(0).optional(),
      integratedTime: text(64).optional(),
      detail: text(4000).optional(),
    }).optional(),
    source: text(2000).optional(),
  });

  const trustedKeySchema = obj({
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
    origin: z.enum(KEY_ORIGINS),
    type: text(64).optional(),
    source: text(4096).optional(),
  });

  return obj({
    kind: z.literal(RECEIPT_KIND, { error: `must be "${RECEIPT_KIND}" (this is not a PIC Store receipt)` }),
    version: z.literal(RECEIPT_VERSION, { error: `must be ${RECEIPT_VERSION} (a receipt from an unsupported app version)` }),
    id: z.string().min(1).max(200),
    at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time' }),
    action: z.enum(RECEIPT_ACTIONS),
    app: obj({ version: text(64) }),
    store: obj({ name: text(200), url: text(4096) }).nullable(),
    service: obj({ id: text(64), name: text(200), version: text(64) }),
    cell: obj({ name: text(200), destination: text(1024), root: text(4096) }),
    image: text(4096),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: and 64 lowercase hex characters').nullable(),
    verification: obj({
      verified: z.boolean(),
      reason: z.enum(REASON_CODES),
      checks: z.array(checkSchema).max(64),
      signatures: z.array(signatureSchema).max(256),
      trustedKeys: z.array(trustedKeySchema).max(256),
      // Recorded by createReceipt since the transparency-log work: import and IPC must keep it.
      transparencyLogPolicy: z.enum(['if-present', 'required']).optional(),
    }).nullable(),
    cellVerification: obj({
      ran: z.boolean(),
      verified: z.boolean().nullable(),
      cosignVersion: text(200).nullable(),
      output: text(256 * 1024),
    }).nullable(),
    mode: obj({ value: z.enum(MODE_VALUES), source: z.enum(MODE_SOURCES), detail: text(4000) }).nullable(),
    decision: z.enum(DECISIONS).nullable(),
    outcome: z.enum(RECEIPT_OUTCOMES),
    error: obj({ code: text(200), message: text(16_000) }).nullable(),
    listing: obj({ signed: z.boolean(), storeVersion: z.number().int().min(0).nullable(), state: text(32) }).nullable().optional(),
    review: reviewSchema(obj).nullable().optional(),
    fleet: obj({ runId: text(200), batch: z.number().int().min(1).max(1_000_000) }).nullable().optional(),
  });
}

const receiptSchema = buildReceiptSchema(z.looseObject as typeof z.object);
const knownFieldsSchema = buildReceiptSchema(z.object);

export interface ReceiptProblem {
  /** JSON pointer into the receipt ('' for the whole document). */
  path: string;
  message: string;
}

type ReceiptValidation = { ok: true; receipt: Receipt } | { ok: false; problems: ReceiptProblem[] };

/** Validates an unknown value as a receipt, with JSON-pointer paths a person can follow. */
export function validateReceipt(value: unknown): ReceiptValidation {
  const r = receiptSchema.safeParse(value);
  if (r.success) return { ok: true, receipt: r.data as unknown as Receipt };
  return {
    ok: false,
    problems: r.error.issues.slice(0, 20).map((i) => ({ path: toPointer(i.path), message: i.message })),
  };
}

function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The receipt with every field the schema does not know dropped, at every depth (what an export writes). */
export function knownReceiptFields(receipt: Receipt): Receipt {
  const r = knownFieldsSchema.safeParse(receipt);
  if (!r.success) throw new CoreError('RECEIPT_INVALID', `not a valid PIC Store receipt (${r.error.issues.slice(0, 5).map((i) => `${toPointer(i.path) || '/'}: ${i.message}`).join('; ')})`);
  return r.data as unknown as Receipt;
}
