/** Handlers of the `activity` domain (helpdesk): the local log, a cell's receipts, explain, export, import, re-check. */
import { z } from 'zod';
import type { Receipt } from '../../../core/receipts/receipt';
import { validateReceipt } from '../../../core/receipts/receipt-schema';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';
import { absolutePath, cellId } from './schemas';

/** A receipt coming back from the renderer is validated again: main trusts no shape it did not check. */
const receiptArg = z.unknown().transform((value, ctx): Receipt => {
  const v = validateReceipt(value);
  if (v.ok) return v.receipt;
  for (const p of v.problems) ctx.addIssue({ code: 'custom', message: `receipt${p.path}: ${p.message}` });
  return z.NEVER;
});

const filter = z.string().min(1).max(200).optional();

/** Paging and filters, for the local log and a cell's receipts alike. */
const listArgs = z.object({
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  outcome: z.enum(['installed', 'uninstalled', 'rejected', 'failed', 'cancelled']).optional(),
  action: z.enum(['install', 'upgrade', 'uninstall']).optional(),
  cell: filter,
  service: filter,
  reason: filter,
});

export function registerActivityHandlers(router: IpcRouter, { activity }: AppServices): void {
  router.handle('activity:list', { args: listArgs.strict(), run: (q) => activity.list(q) });
  // A configured cell only (by profile id): the helpdesk reads where the person chose, nothing typed.
  router.handle('activity:cell-receipts', {
    args: listArgs.extend({ cellId }).strict(),
    run: ({ cellId: id, ...q }) => activity.cellReceipts(id, q),
  });
  router.handle('activity:explain', { args: z.object({ receipt: receiptArg }).strict(), run: (a) => activity.explain(a.receipt) });
  router.handle('activity:export', { args: z.object({ receipt: receiptArg, path: absolutePath }).strict(), run: (a) => activity.export(a.receipt, a.path) });
  router.handle('activity:import', { args: z.object({ path: absolutePath }).strict(), run: (a) => activity.import(a.path) });
  // confirmRegistry: the image's registry host the person confirmed (DESIGN 2.5); without it only
  // their own stores' registries are contacted.
  router.handle('activity:recheck', {
    args: z.object({ receipt: receiptArg, cellId: cellId.optional(), confirmRegistry: z.string().min(1).max(300).optional() }).strict(),
    run: (a) => activity.recheck(a.receipt, { cellId: a.cellId, confirmRegistry: a.confirmRegistry }),
  });
}
