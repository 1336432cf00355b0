import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { readCellReceipts } from '../../../core/cell/cell-receipts';
import { getCellProfile } from '../../../core/cell/profiles';
import type { SshContext } from '../../../core/cell/ssh-context';
import { getCellStatus } from '../../../core/cell/status';
import { dataPaths } from '../../../core/data-dir';
import { CoreError } from '../../../core/errors';
import { watchListing } from '../../../core/preview/watch-listing';
import { readActivity } from '../../../core/receipts/activity-log';
import { explainReceipt } from '../../../core/receipts/explain';
import { ticketText } from '../../../core/receipts/explain-text';
import type { Receipt } from '../../../core/receipts/receipt';
import { exportReceipt, importReceiptFile } from '../../../core/receipts/receipt-file';
import { validateReceipt } from '../../../core/receipts/receipt-schema';
import { recheckReceipt } from '../../../core/receipts/recheck';
import { RegistrySourcePool } from '../../../core/registry/registry-pool';
import { RegistrySource } from '../../../core/registry/registry-source';
import { loadTrustRoot } from '../../../core/trust/trust-root';
import { verifyImage } from '../../../core/verification/verify-image';
import type { ExplainedReceipt } from '../../contract/channels/activity';
import type { IpcRouter } from '../router';
import type { AppServices } from '../services/app-services';

/** A receipt coming back from the renderer is validated again: main trusts no shape it did not check. */
const receiptArg = z.unknown().transform((value, ctx): Receipt => {
  const v = validateReceipt(value);
  if (v.ok) return v.receipt;
  for (const p of v.problems) ctx.addIssue({ code: 'custom', message: `receipt${p.path}: ${p.message}` });
  return z.NEVER;
});

const absolutePath = z.string().min(1).max(4096).refine((p) => isAbsolute(p) && !p.includes('\0'), 'must be an absolute path');
const filter = z.string().min(1).max(200).optional();

function explained(receipt: Receipt): ExplainedReceipt {
  const explanation = explainReceipt(receipt);
  return { receipt, explanation, ticket: ticketText(explanation, receipt) };
}

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

/** Handlers of the `activity` domain (helpdesk). */
export function registerActivityHandlers(router: IpcRouter, services: AppServices): void {
  const logPath = dataPaths(services.dataDir).activity;
  const ssh: SshContext = { dataDir: services.dataDir };
  // Receipts are appended by installs (this process or the CLI): tell the renderer to refresh.
  watchListing(logPath, () => router.emit('activity:changed', { at: new Date().toISOString() }), 200);

  router.handle('activity:list', {
    args: listArgs.strict(),
    run: (q) => readActivity(logPath, q),
  });

  // A configured cell only (by profile id): the helpdesk reads where the person chose, nothing typed.
  router.handle('activity:cell-receipts', {
    args: listArgs.extend({ cellId: z.string().min(1).max(64) }).strict(),
    run: async ({ cellId, ...q }) => {
      const profile = await getCellProfile(services.dataDir, cellId);
      if (!profile) throw new CoreError('CELL_NOT_FOUND', `no cell profile "${cellId}"`);
      return readCellReceipts(profile, ssh, q);
    },
  });

  router.handle('activity:explain', {
    args: z.object({ receipt: receiptArg }).strict(),
    run: ({ receipt }) => explained(receipt),
  });

  router.handle('activity:export', {
    args: z.object({ receipt: receiptArg, path: absolutePath }).strict(),
    // A typed path (no dialog in the shell): exportReceipt creates a new .json file only, never overwrites.
    run: async ({ receipt, path }) => ({ path, ...(await exportReceipt(path, receipt)) }),
  });

  router.handle('activity:import', {
    args: z.object({ path: absolutePath }).strict(),
    run: async ({ path }) => explained(await importReceiptFile(path)),
  });

  router.handle('activity:recheck', {
    args: z.object({ receipt: receiptArg, cellId: z.string().min(1).max(64).optional() }).strict(),
    run: async ({ receipt, cellId }) => {
      const trustRoot = await loadTrustRoot({ appConfigDir: services.appConfigDir, dataDir: services.dataDir });
      const profile = cellId ? await getCellProfile(services.dataDir, cellId) : undefined;
      if (cellId && !profile) throw new CoreError('CELL_NOT_FOUND', `no cell profile "${cellId}"`);
      const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 15_000 }));
      try {
        return await recheckReceipt(receipt, {
          verify: (image) => verifyImage({ image, serviceId: receipt.service.id, trustRoot, sources: pool.provider }),
          readMode: profile
            ? async () => ({ cellName: profile.name, mode: (await getCellStatus(profile, ssh, { trustRoot })).mode })
            : undefined,
        });
      } finally {
        pool.close();
      }
    },
  });
}
