import type { ListingStatus } from './signed-refresh';

/**
 * Whether a service listed by a store may be installed or upgraded (DESIGN 2.7): from a signed
 * store only while its listing is `current` or `stale`; `refused`, `expired` (and a signed store
 * never read) block it in every mode — the listing itself cannot be trusted — with the store's
 * code as the receipt's error. Unsigned stores are not gated here.
 */
export type ListingGate = { allowed: true } | { allowed: false; code: string; message: string };

export function listingAllowsInstall(listing: ListingStatus | null | undefined): ListingGate {
  if (!listing || !listing.signed) return { allowed: true };
  if (listing.state === 'current' || listing.state === 'stale') return { allowed: true };
  const code = listing.error?.code ?? (listing.state === 'expired' ? 'STORE_EXPIRED' : 'STORE_METADATA_INVALID');
  const why = listing.error?.message ?? `the store's listing is ${listing.state}`;
  return { allowed: false, code, message: `the signed store's listing is ${listing.state} (${code}): ${why}; installs from it are blocked until it refreshes` };
}
