import type { CheckId, CheckStatus, ReasonCode, SignatureSummary, TlogPolicy, TlogSummary } from './types';

/**
 * The `transparency-log` check (DESIGN 2.8), once the signatures that verify and bind the digest
 * are known: `pass` with the deciding signature's log, index and integrated time ("signed no
 * later than …"); `skip` under "if-present" when it has no entry or only an unknown log's (said
 * which); `fail` when no signature counts because of log data — TLOG_ENTRY_INVALID when a
 * trusted log's entry failed to verify, else TLOG_ENTRY_MISSING (policy "required").
 */
interface CheckSink {
  set(id: CheckId, status: CheckStatus, detail: string): void;
  fail(id: CheckId, reason: ReasonCode, detail: string): void;
}

const IF_PRESENT_NOTE = 'accepted under the store\'s "if-present" policy (only "required" protects against a registry that strips log entries)';

export function signedNoLaterThan(t: TlogSummary): string {
  return t.integratedTime ? `signed no later than ${t.integratedTime}` : '';
}

function entryText(t: TlogSummary): string {
  const id = t.logId ? ` (log id ${t.logId.slice(0, 16)}…)` : '';
  return `entry ${t.index ?? '?'} in ${t.log ?? 'an unnamed log'}${id}`;
}

/** Why a signature did not count under "required", for the check's detail. */
function absentText(t: TlogSummary | undefined): string {
  if (!t || t.status === 'none') return `no transparency-log entry${t?.detail ? ` (${t.detail})` : ''}`;
  return t.detail ?? 'only an entry from a log the trusted root does not list';
}

/**
 * `bound`: signatures that verify and bind the digest (some may carry a failed entry);
 * `counting`: those that count under the policy.
 */
export function judgeTlog(b: CheckSink, bound: SignatureSummary[], counting: SignatureSummary[], policy: TlogPolicy): void {
  if (counting.length > 0) {
    const decider = counting.find((s) => s.tlog?.status === 'verified') ?? counting[0]!;
    const t = decider.tlog ?? { status: 'none' as const };
    if (t.status === 'verified') b.set('transparency-log', 'pass', `${entryText(t)}, integrated ${t.integratedTime}: ${signedNoLaterThan(t)}`);
    else if (t.status === 'unknown-log') b.set('transparency-log', 'skip', `not judged: ${t.detail ?? 'the entry is from a log the trusted root does not list'}; ${IF_PRESENT_NOTE}`);
    else b.set('transparency-log', 'skip', `the signature has ${absentText(t)}; ${IF_PRESENT_NOTE}`);
    return;
  }
  const invalid = bound.find((s) => s.problem === 'tlog-invalid');
  if (invalid?.tlog) {
    b.fail('transparency-log', 'TLOG_ENTRY_INVALID', `the signature verifies, but its ${entryText(invalid.tlog)} does not check out: ${invalid.tlog.detail ?? 'invalid'}`);
    return;
  }
  // Under "required", a verifying signature without a valid entry does not count.
  for (const s of bound) if (!s.problem) s.problem = 'tlog-missing';
  const first = bound[0]?.tlog;
  b.fail('transparency-log', 'TLOG_ENTRY_MISSING', `the store requires a transparency-log entry (policy "${policy}") and no verifying signature has a valid one: ${absentText(first)}`);
}
