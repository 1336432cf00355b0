import { defineDomain, type Invoke } from '../domain';
import type { TrustStatus } from '../../../core/trust/trust-view';

export type { TrustStatus, TrustKeyView, TrustProblemView, TrustState, TrustLogsView, TrustLogView } from '../../../core/trust/trust-view';

/**
 * The `trust` domain: read-only. There is deliberately no channel that adds, removes or weakens
 * a key; keys are placed as files (DESIGN 2.3, 2.6).
 */
export const trust = defineDomain<
  { get: Invoke<void, TrustStatus> },
  { changed: TrustStatus }
>()('trust', ['get'], ['changed']);
