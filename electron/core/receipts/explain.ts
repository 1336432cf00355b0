// The helpdesk explanation of one receipt (issue 8): what happened, which check failed with
// what evidence, the mode and why, the desktop's and the cell's verdicts side by side, and the
// next step per role. Built only from the reason-code catalogue and the receipt's own evidence,
// so `pic-store explain` and the Activity detail page say exactly the same words.
import { originWords } from '../catalogue/key-words';
import { cellCosignDisagreementHint } from './cell-cosign-hint';
import { badgeLabel, DONE_NEXT, errorLabel, explainMode, explainRefusal, explainReport, isStoreCode, type Explanation, type Role } from '../catalogue/reason-catalogue';
import { explainUpdateCode, isUpdateCode } from '../catalogue/update-catalogue';
import { parseImageReference } from '../reference/image-reference';
import type { Check, VerificationReport } from '../verification/types';
import type { Receipt, ReceiptOutcome } from './receipt';

export interface VerdictSide {
  /** true / false, or null when that side did not run. */
  verified: boolean | null;
  /** A short, plain summary of this side's verdict. */
  summary: string;
}

export interface ReceiptExplanation {
  receiptId: string;
  /** One line: what was attempted, where, and how it ended. */
  headline: string;
  outcome: ReceiptOutcome;
  /** The outcome in words (why it ended that way: the decision, the error). */
  outcomeSentence: string;
  /** The catalogue's explanation of the desktop verdict; null when no verification ran. */
  verdict: Explanation | null;
  /** The first failing check (the one that decided the reason), if any. */
  failedCheck: Check | null;
  /** Every check as recorded. */
  checks: Check[];
  evidence: {
    image: string;
    /** The digest checked, else the one the reference pins; null only for a tag-only reference. */
    digest: string | null;
    /** False when the attempt stopped before verification: the key lists are then unknown, not empty. */
    verificationRan: boolean;
    /** Fingerprints of the keys trusted at the time (with origin). */
    trustedKeys: string[];
    /** Fingerprints the signatures verified under. */
    foundKeys: string[];
    /** Digests that attached signatures bind, when they name another digest (transplant). */
    boundDigests: string[];
  };
  /** The catalogue's explanation of the cell's mode; null when the cell could not be reached. */
  mode: (Explanation & { value: string; source: string; detail: string }) | null;
  desktop: VerdictSide;
  cell: VerdictSide;
  /** True when both sides ran and reached different verdicts. */
  disagreement: boolean;
  disagreementSentence: string | null;
  next: Record<Role, string>;
}

const OUTCOME_WORDS: Record<ReceiptOutcome, string> = {
  installed: 'was installed',
  uninstalled: 'was uninstalled',
  rejected: 'was rejected',
  failed: 'failed',
  cancelled: 'was cancelled',
};

function repositoryOf(image: string): string | null {
  const r = parseImageReference(image);
  return r.ok ? r.ref.name : null;
}

/** The digest a reference pins, so an attempt that stopped early still names the exact image. */
function pinnedDigestOf(image: string): string | null {
  const r = parseImageReference(image);
  return r.ok ? r.ref.digest : null;
}

/** The report the catalogue needs, rebuilt from what the receipt kept. */
function reportOf(r: Receipt): VerificationReport | null {
  if (!r.verification) return null;
  return {
    serviceId: r.service.id,
    image: r.image,
    digest: r.digest,
    repository: repositoryOf(r.image),
    verified: r.verification.verified,
    reason: r.verification.reason,
    checks: r.verification.checks,
    signatures: r.verification.signatures,
    trustedKeys: r.verification.trustedKeys,
  };
}

function outcomeSentence(r: Receipt): string {
  const what = `${r.action} of ${r.service.name} ${r.service.version}`;
  switch (r.outcome) {
    case 'rejected':
      // A signed store's listing that cannot be trusted (DESIGN 2.7): the store's catalogue entry
      // says what happened; this sentence only says that nothing was touched, without the code.
      if (r.error && isStoreCode(r.error.code)) {
        return `The ${what} was blocked before anything on the cell was touched: the store's signed listing is ${r.listing?.state ?? 'not trusted'}, and nothing is installed from it until it refreshes cleanly.`;
      }
      if (r.decision === 'block' && r.mode && !(r.error && isUpdateCode(r.error.code))) {
        return `The ${what} was blocked before anything on the cell was touched: the image did not verify and the cell's mode is ${r.mode.value}.`;
      }
      if (r.error && explainRefusal(r.error.code, r.error.message)) return explainRefusal(r.error.code, r.error.message)!.sentence;
      return `The ${what} was rejected${r.error ? `: ${r.error.message}` : ''}.`;
    case 'installed':
      if (r.decision === 'warn') return `The ${what} went ahead although the image did not verify, because the cell's mode is warn; a warning was recorded.`;
      if (r.decision === 'allow' && r.verification && !r.verification.verified) {
        return `The ${what} went ahead without a valid verification because the cell's mode is ${r.mode?.value ?? 'unknown'}; this was noted.`;
      }
      return `The ${what} completed with the image verified.`;
    case 'uninstalled':
      return `The ${what} completed; the service was removed from the cell.`;
    case 'failed':
      return `The ${what} failed${r.error ? ` (${errorLabel(r.error.code)}): ${r.error.message}` : ''}; the cell was left as it was before.`;
    case 'cancelled':
      return `The ${what} was cancelled${r.error ? `: ${r.error.message}` : ''}; the cell was left as it was before.`;
  }
}

function desktopSide(r: Receipt): VerdictSide {
  if (!r.verification) return { verified: null, summary: 'not run' };
  return r.verification.verified
    ? { verified: true, summary: 'verified' }
    : { verified: false, summary: `not verified: ${badgeLabel(r.verification.reason)}` };
}

function cellSide(r: Receipt): VerdictSide {
  const cv = r.cellVerification;
  if (!cv || !cv.ran || cv.verified === null) {
    return { verified: null, summary: cv && !cv.ran ? 'not run (no cosign on the cell)' : 'not run' };
  }
  const who = cv.cosignVersion ? `cosign ${cv.cosignVersion}` : 'cosign';
  return { verified: cv.verified, summary: `${cv.verified ? 'verified' : 'not verified'} by ${who} on the cell` };
}

function disagreementText(r: Receipt, desktop: VerdictSide, cell: VerdictSide): string | null {
  if (desktop.verified === null || cell.verified === null || desktop.verified === cell.verified) return null;
  if (desktop.verified && !cell.verified) {
    // Judged from the evidence (bundle-only signatures, cosign found none it can read), not from
    // the version string: Debian's cosign build reports "devel".
    const hint = r.verification ? cellCosignDisagreementHint(r.verification, r.cellVerification) : null;
    const why = hint
      ? ` ${hint.charAt(0).toUpperCase()}${hint.slice(1)}.`
      : ' The cell may trust a different key (config/cosign/cosign.pub) than this app; compare the fingerprints.';
    return `The desktop verified the image but the cell's own cosign did not.${why} In enforce mode both must pass.`;
  }
  return "The cell's cosign verified the image but the desktop did not: the desktop's trust root or registry view differs from the cell's. Trust the stricter verdict and compare the keys.";
}

/** Explains a receipt in plain words from the catalogue and the receipt's evidence. */
export function explainReceipt(r: Receipt): ReceiptExplanation {
  const report = reportOf(r);
  const verdict = report ? explainReport(report) : null;
  const mode = r.mode ? { ...explainMode(r.mode), value: r.mode.value, source: r.mode.source, detail: r.mode.detail } : null;
  const desktop = desktopSide(r);
  const cell = cellSide(r);
  const disagreementSentence = disagreementText(r, desktop, cell);
  const sigs = r.verification?.signatures ?? [];
  const cellName = r.cell.name === r.cell.destination ? r.cell.name : `${r.cell.name} (${r.cell.destination})`;
  const rootNote = r.cell.root !== '/opt/pic' ? `, PIC root ${r.cell.root}` : '';
  const refusal = r.error ? explainRefusal(r.error.code, r.error.message) : null;
  // A completed install of a verified image, and any completed uninstall, has its own words: the
  // verdict's next steps speak of what to do before installing.
  const done = r.outcome === 'uninstalled' || (r.outcome === 'installed' && r.verification?.verified) ? DONE_NEXT[r.outcome] : null;
  const next: Record<Role, string> = refusal
    ? { ...refusal.next }
    : done
    ? { ...done }
    : verdict
    ? { ...verdict.next }
    : {
        admin: r.error ? `The attempt stopped (${errorLabel(r.error.code)}): fix what the message says, then try again.` : 'Nothing to do.',
        developer: 'Nothing for the service developer: no image verification was involved.',
        helpdesk: r.error ? `No verification ran; the attempt stopped at: ${r.error.message}` : 'No verification ran for this attempt (an uninstall).',
      };
  // Refusals of DESIGN 2.9 (revoked, review, signer) have their own words, whatever the verdict said.
  if (r.error && isUpdateCode(r.error.code)) Object.assign(next, explainUpdateCode(r.error.code, { service: r.service.id, detail: r.error.message, newSigners: r.review?.signers.to }).next);
  if (r.mode === null && r.outcome !== 'installed' && r.outcome !== 'uninstalled') {
    next.admin = `The cell could not be reached, so nothing was installed. Check SSH access to ${r.cell.destination}. ${next.admin}`;
  }
  if (disagreementSentence) next.helpdesk = `${next.helpdesk} ${disagreementSentence}`;
  return {
    receiptId: r.id,
    headline: `${r.action} of ${r.service.name} ${r.service.version} (${r.service.id}) on cell ${cellName}${rootNote} ${OUTCOME_WORDS[r.outcome]} at ${r.at}.`,
    outcome: r.outcome,
    outcomeSentence: outcomeSentence(r),
    verdict,
    failedCheck: r.verification?.checks.find((c) => c.status === 'fail') ?? null,
    checks: r.verification?.checks ?? [],
    evidence: {
      image: r.image,
      digest: r.digest ?? pinnedDigestOf(r.image),
      verificationRan: r.verification !== null,
      trustedKeys: (r.verification?.trustedKeys ?? []).map((k) => `${k.fingerprint} (${originWords(k.origin)})`),
      foundKeys: [...new Set(sigs.map((s) => s.keyFingerprint).filter((x): x is string => !!x))],
      boundDigests: [...new Set(sigs.filter((s) => s.problem === 'digest-mismatch' && s.boundDigest).map((s) => s.boundDigest!))],
    },
    mode,
    desktop,
    cell,
    disagreement: disagreementSentence !== null,
    disagreementSentence,
    next,
  };
}
