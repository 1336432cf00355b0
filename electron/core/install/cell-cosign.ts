import { remoteCommand } from '../cell/remote-quote';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import type { CellProfile } from '../cell/profiles';
import { errorMessage } from '../errors';
import { parseImageReference } from '../reference/image-reference';
import { plainHttpAllowed } from '../registry/plain-http';
import type { ReceiptCellVerification } from '../receipts/receipt';
export { cellCosignDisagreementHint } from '../receipts/cell-cosign-hint';

/** How much of cosign's output a receipt keeps as evidence. */
const MAX_COSIGN_EVIDENCE = 4096;

/** The cell-side `cosign verify` words (DESIGN 2.2), quoted later by remoteCommand. */
export function cellCosignArgv(root: string, pinned: string, plainHttpRegistries: readonly string[] = []): string[] {
  const ref = parseImageReference(pinned);
  const plainHttp = ref.ok && plainHttpAllowed(ref.ref.registry, plainHttpRegistries);
  return ['cosign', 'verify', '--key', `${root}/config/cosign/cosign.pub`, '--insecure-ignore-tlog=true', ...(plainHttp ? ['--allow-http-registry', '--allow-insecure-registry'] : []), pinned];
}

/**
 * The cell-side check (DESIGN 2.2): the cell's own cosign verifies IMAGE@DIGEST under the cell's
 * own key file. Plain-http flags are added only where the app itself allows http: loopback
 * registries (the testbed) and those the admin listed. A run that could not happen (connection
 * lost) is "not verified", never a pass.
 */
export async function runCellCosign(profile: CellProfile, ctx: SshContext, pinned: string, cosignVersion: string, signal?: AbortSignal, plainHttpRegistries: readonly string[] = []): Promise<ReceiptCellVerification> {
  const argv = cellCosignArgv(profile.root, pinned, plainHttpRegistries);
  try {
    const r = await runRemote(profile, remoteCommand(argv), ctx, { signal, timeoutMs: 120_000, maxOutputBytes: 1024 * 1024 });
    const output = `${r.stderr}${r.stdout}`.trim();
    return { ran: true, verified: r.exitCode === 0, cosignVersion, output: output.length > MAX_COSIGN_EVIDENCE ? `${output.slice(0, MAX_COSIGN_EVIDENCE)}…` : output };
  } catch (e) {
    if ((e as { code?: string }).code === 'CANCELLED') throw e;
    return { ran: true, verified: false, cosignVersion, output: `cosign could not be run on the cell: ${errorMessage(e)}` };
  }
}
