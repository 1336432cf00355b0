import type { PreflightSummary } from './preflight';

/**
 * DESIGN 2.2: a host port the listing asks for that is already bound on the cell — by anything
 * but this service's own running version, which the pre-flight's `portConflicts` already leaves
 * out — is refused at pre-flight (PORT_IN_USE), before the cell is touched, instead of letting
 * compose fail halfway. Returns the refusal's message, or null when every port is free.
 */
export function portsInUse(summary: PreflightSummary): string | null {
  const taken = summary.portConflicts;
  if (taken.length === 0) return null;
  const list = taken.map((p) => `${p.host}/${p.protocol}`).join(', ');
  return `host port${taken.length > 1 ? 's' : ''} ${list} ${taken.length > 1 ? 'are' : 'is'} already in use on the cell by something other than ${summary.service.id}; the cell was not changed. Free the port on the cell, or ask the store to list another one`;
}
