import { remoteCommand } from '../cell/remote-quote';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import type { CellProfile } from '../cell/profiles';
import { errorMessage } from '../errors';
import { parseImageReference, registryHostname } from '../reference/image-reference';
import { isLoopbackHost } from '../registry/registry-source';
import type { ReceiptCellVerification } from '../receipts/receipt';
import type { VerificationReport } from '../verification/types';

/** How much of cosign's output a receipt keeps as evidence. */
export const MAX_COSIGN_EVIDENCE = 4096;

/**
 * The cell-side check (DESIGN 2.2): the cell's own cosign verifies IMAGE@DIGEST under the cell's
 * own key file. Plain-http flags are added only for loopback registries (the testbed), as the app
 * itself allows. A run that could not happen (connection lost) is "not verified", never a pass.
 */
export async function runCellCosign(profile: CellProfile, ctx: SshContext, pinned: string, cosignVersion: string, signal?: AbortSignal): Promise<ReceiptCellVerification> {
  const ref = parseImageReference(pinned);
  const loopback = ref.ok && isLoopbackHost(registryHostname(ref.ref.registry));
  const argv = ['cosign', 'verify', '--key', `${profile.root}/config/cosign/cosign.pub`, '--insecure-ignore-tlog=true', ...(loopback ? ['--allow-http-registry', '--allow-insecure-registry'] : []), pinned];
  try {
    const r = await runRemote(profile, remoteCommand(argv), ctx, { signal, timeoutMs: 120_000, maxOutputBytes: 1024 * 1024 });
    const output = `${r.stderr}${r.stdout}`.trim();
    return { ran: true, verified: r.exitCode === 0, cosignVersion, output: output.length > MAX_COSIGN_EVIDENCE ? `${output.slice(0, MAX_COSIGN_EVIDENCE)}…` : output };
  } catch (e) {
    if ((e as { code?: string }).code === 'CANCELLED') throw e;
    return { ran: true, verified: false, cosignVersion, output: `cosign could not be run on the cell: ${errorMessage(e)}` };
  }
}

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
