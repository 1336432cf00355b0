import { defineDomain, type Invoke } from '../domain';
import type { ActivityPage, ActivityQuery } from '../../../core/receipts/activity-query';
import type { ReceiptExplanation } from '../../../core/receipts/explain';
import type { Receipt } from '../../../core/receipts/receipt';
import type { RecheckResult } from '../../../core/receipts/recheck';
import type { CellReceiptsPage } from '../../../core/cell/cell-receipts';

export type { ActivityPage, SkippedLine } from '../../../core/receipts/activity-query';
export type { ReceiptExplanation, VerdictSide } from '../../../core/receipts/explain';
export type { Receipt, ReceiptOutcome, ReceiptAction } from '../../../core/receipts/receipt';
export type { RecheckResult, RecheckChange } from '../../../core/receipts/recheck';
export type { CellReceiptsPage } from '../../../core/cell/cell-receipts';

/** Paging and filters (outcome, action, cell, service, reason), as the CLI's `activity` takes them. */
export type ActivityListRequest = ActivityQuery;

/** A receipt with the catalogue's explanation and the "copy for a ticket" text, all made in core. */
export interface ExplainedReceipt {
  receipt: Receipt;
  explanation: ReceiptExplanation;
  ticket: string;
}

/**
 * The `activity` domain (helpdesk): the local log paged newest first, explanations, export and
 * import by a path main reads or writes, and re-check. Receipts sent back to main are validated
 * with the receipt schema again; a re-check reads a mode only from a cell profile the person
 * chose (`cellId`), never from the receipt's own destination.
 */
export const activity = defineDomain<
  {
    list: Invoke<ActivityListRequest, ActivityPage>;
    explain: Invoke<{ receipt: Receipt }, ExplainedReceipt>;
    export: Invoke<{ receipt: Receipt; path: string }, { path: string; bytes: number }>;
    import: Invoke<{ path: string }, ExplainedReceipt>;
    recheck: Invoke<{ receipt: Receipt; cellId?: string; confirmRegistry?: string }, RecheckResult>;
    /** On demand: the receipts a configured cell stores (`store/receipts.jsonl`), paged and filtered like the log. */
    cellReceipts: Invoke<ActivityListRequest & { cellId: string }, CellReceiptsPage>;
  },
  { changed: { at: string } }
>()('activity', ['list', 'explain', 'export', 'import', 'recheck', 'cellReceipts'], ['changed']);
