import type { VerificationReport } from '../verification/types';
import type { ReceiptCellVerification } from './receipt';

/** cosign's words when `verify` found no classic `.sig` signature to check. */
const NO_CLASSIC_SIGNATURE = /no signatures found|no matching signatures/i;

/**
 * Why the cell's cosign rejected an image the app verified, when the evidence says so: the app
 * verified only bundle-format signatures and cosign found no signature it could read. cosign
 * before 2.6 reads only classic `.sig` signatures; this holds whatever version string the build
 * reports (Debian's says "devel"), so it is judged from the evidence, not the version.
 */
export function cellCosignDisagreementHint(report: Pick<VerificationReport, 'verified' | 'signatures'>, cell: ReceiptCellVerification | null): string | null {
  if (!report.verified || !cell?.ran || cell.verified !== false) return null;
  const verifiedFormats = report.signatures.filter((s) => s.keyFingerprint && !s.problem).map((s) => s.format);
  const bundleOnly = report.signatures.length > 0 && report.signatures.every((s) => s.format === 'bundle') && verifiedFormats.length > 0;
  if (!bundleOnly || !NO_CLASSIC_SIGNATURE.test(cell.output)) return null;
  const which = cell.cosignVersion ? `cosign ${cell.cosignVersion}` : 'cosign';
  return `the image carries only bundle-format signatures, which the app verified, and ${which} on the cell found no signature it can read: cosign before 2.6 cannot read bundle signatures (its verify reads only classic .sig signatures). Upgrade cosign on the cell to 2.6 or later, or have the image also signed in the classic format`;
}
