// The explanation as plain text: what `pic-store explain` prints and what "copy for a ticket"
// puts on the clipboard — the same sections, in the same order, as the Activity detail page.
import { checkLabel, ROLES } from '../catalogue/reason-catalogue';
import type { Receipt } from './receipt';
import type { ReceiptExplanation } from './explain';

const ROLE_LABEL = { admin: 'Admin', developer: 'Service developer', helpdesk: 'Helpdesk' } as const;

/** Said instead of a key list when the attempt stopped before verification: unknown, not "none". */
export const NOT_CHECKED = 'not checked (verification did not run)';

/** A key list in words: the fingerprints, "none"/"no trusted key" when checked and empty, or not checked. */
function evidenceKeysText(x: ReceiptExplanation, which: 'trustedKeys' | 'foundKeys'): string {
  if (!x.evidence.verificationRan) return NOT_CHECKED;
  const keys = x.evidence[which];
  if (keys.length) return keys.join(', ');
  return which === 'trustedKeys' ? 'none' : 'no trusted key';
}

/** The explanation as lines (no line holds a line break of ours; values may hold theirs — the CLI escapes each line). */
export function explanationLines(x: ReceiptExplanation, receipt?: Receipt): string[] {
  const out: string[] = [];
  out.push(x.headline, '', x.outcomeSentence);
  // The sentence names the error by its label; the code follows for the helpdesk and for searching.
  if (receipt?.error) out.push(`  error code: ${receipt.error.code}`);
  out.push('');
  if (x.verdict) {
    out.push(`Verdict: ${x.verdict.title} (${x.verdict.code})`, `  ${x.verdict.sentence}`);
    if (x.failedCheck) out.push(`  Failed check: ${checkLabel(x.failedCheck.id)} (${x.failedCheck.id}) — ${x.failedCheck.detail}`);
  } else {
    out.push('Verdict: no verification ran for this attempt.');
  }
  out.push('', 'Evidence:', `  image:        ${x.evidence.image}`, `  digest:       ${x.evidence.digest ?? 'none (not pinned)'}`);
  out.push(`  trusted keys: ${evidenceKeysText(x, 'trustedKeys')}`);
  out.push(`  signed by:    ${evidenceKeysText(x, 'foundKeys')}`);
  if (x.evidence.boundDigests.length) out.push(`  signature binds: ${x.evidence.boundDigests.join(', ')} (not ${x.evidence.digest ?? 'the image'})`);
  out.push('');
  if (x.mode) {
    out.push(`Mode: ${x.mode.title}`, `  ${x.mode.sentence}`, `  detail: ${x.mode.detail}`);
  } else {
    out.push('Mode: unknown — the cell could not be reached, so nothing was installed.');
  }
  out.push('', 'Verdicts side by side:', `  desktop: ${x.desktop.summary}`, `  cell:    ${x.cell.summary}`);
  if (x.disagreementSentence) out.push(`  DISAGREEMENT: ${x.disagreementSentence}`);
  if (x.checks.length) {
    out.push('', 'Checks:');
    for (const c of x.checks) out.push(`  ${c.status.padEnd(4)}  ${checkLabel(c.id)} (${c.id}): ${c.detail}`);
  }
  out.push('', 'Next steps:');
  for (const role of ROLES) out.push(`  ${ROLE_LABEL[role]}: ${x.next[role]}`);
  if (receipt) out.push('', `Receipt ${receipt.id} (app ${receipt.app.version}, ${receipt.kind} v${receipt.version})`);
  return out;
}

export function explanationText(x: ReceiptExplanation, receipt?: Receipt): string {
  return `${explanationLines(x, receipt).join('\n')}\n`;
}

/** "Copy for a ticket": the explanation followed by the raw receipt, so nothing is lost. */
export function ticketText(x: ReceiptExplanation, receipt: Receipt): string {
  return `${explanationText(x, receipt)}\n--- receipt ---\n${JSON.stringify(receipt, null, 2)}\n`;
}
