import { remoteCommand } from '../cell/remote-quote';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import type { CellProfile } from '../cell/profiles';
import { errorMessage } from '../errors';
import { parseImageReference, registryHostname } from '../reference/image-reference';
import { isLoopbackHost } from '../registry/registry-source';
import type { ReceiptCellVerification } from '../receipts/receipt';
export { cellCosignDisagreementHint } from '../receipts/cell-cosign-hint';

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
