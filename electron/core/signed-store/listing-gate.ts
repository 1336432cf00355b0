import { CoreError, type ErrorCode } from '../errors';
import type { ReceiptListing } from '../receipts/receipt';
import type { ListingStatus } from './signed-refresh';

export type { ListingStatus };

/**
 * Whether a service listed by a store may be installed or upgraded (DESIGN 2.7): from a signed
 * store only while its listing is `current` or `stale`; `refused`, `expired` (and a signed store
 * never read) block it in every mode — the listing itself cannot be trusted — with the store's
 * code as the receipt's error. Unsigned stores are not gated here.
 */
export type ListingGate = { allowed: true } | { allowed: false; code: ErrorCode; message: string };

export function listingAllowsInstall(listing: ListingStatus | null | undefined): ListingGate {
  if (!listing || !listing.signed) return { allowed: true };
  if (listing.state === 'current' || listing.state === 'stale') return { allowed: true };
  const code = listing.error?.code ?? (listing.state === 'expired' ? 'STORE_EXPIRED' : 'STORE_METADATA_INVALID');
  const why = listing.error?.message ?? `the store's listing is ${listing.state}`;
  return { allowed: false, code, message: `the signed store's listing is ${listing.state}: ${why}; installs from it are blocked until it refreshes` };
}

/** The gate as a refusal: throws the store's code (the receipt's error), changing nothing. */
export function assertListingAllowsInstall(listing: ListingStatus | null | undefined): void {
  const g = listingAllowsInstall(listing);
  if (!g.allowed) throw new CoreError(g.code, g.message, { listingBlocked: true });
}

/** The receipt's `listing` (DESIGN 2.5): null when the service came from no store. */
export function receiptListing(listing: ListingStatus | null | undefined): ReceiptListing | null {
  return listing ? { signed: listing.signed, storeVersion: listing.version, state: listing.state } : null;
}

/** Whether an install error is the listing gate's (recorded as a rejection, decision block). */
export function isListingBlock(e: unknown): boolean {
  return e instanceof CoreError && e.details?.listingBlocked === true;
}
