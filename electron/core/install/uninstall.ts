import type { CellProfile } from '../cell/profiles';
import { assertServiceId } from '../cell/remote-quote';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import { getCellStatus, type ContainerRuntime } from '../cell/status';
import { CoreError, errorMessage } from '../errors';
import { appendReceipt } from '../receipts/activity-log';
import { createReceipt, type Receipt } from '../receipts/receipt';
import type { TrustRoot } from '../trust/trust-root';
import { lineSplitter } from './line-splitter';
import { parseMarker, REMOTE_SCRIPT_COMMAND, serviceOpScript, uninstallScript, type ServiceOp } from './remote-scripts';

/**
 * Uninstall (DESIGN 2.2, 2.5): `down` under the cell lock, named volumes kept unless
 * `purgeVolumes`, the service directory removed, one receipt locally and on the cell. Plus the
 * basics of a running service: state, last log lines, restart.
 */
export interface UninstallRequest {
  serviceId: string;
  profile: CellProfile;
  ssh: SshContext;
  appTrustRoot: TrustRoot;
  activityLog: string;
  purgeVolumes?: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

export async function uninstallService(req: UninstallRequest): Promise<Receipt> {
  const id = assertServiceId(req.serviceId);
  const cell = { name: req.profile.name, destination: req.profile.destination, root: req.profile.root };
  const blank = { action: 'uninstall' as const, store: null, cell, verification: null, cellVerification: null, decision: null };
  const done = async (r: Receipt) => {
    await appendReceipt(req.activityLog, r);
    return r;
  };
  let status;
  try {
    status = await getCellStatus(req.profile, req.ssh, { trustRoot: req.appTrustRoot, signal: req.signal });
  } catch (e) {
    const code = e instanceof CoreError ? e.code : 'UNINSTALL_FAILED';
    return done(createReceipt({ ...blank, service: { id, name: id, version: '' }, image: '', digest: null, mode: null, outcome: code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code, message: errorMessage(e) } }));
  }
  const inst = status.installed.find((s) => s.id === id);
  const service = { id, name: inst?.name ?? id, version: inst?.version ?? '' };
  // The cell was reached: its mode is known and removing a service is never blocked by it, so the
  // decision is 'allow' (DESIGN 2.5: null only for an unreachable cell). The image is the one the
  // installed receipt records — what is being removed.
  const fields = { ...blank, decision: 'allow' as const, service, image: inst?.image ?? '', digest: inst?.digest ?? null, mode: status.mode };
  if (!inst) return done(createReceipt({ ...fields, outcome: 'failed', error: { code: 'NOT_INSTALLED', message: `${id} is not installed on ${req.profile.destination}` } }));
  if (!status.runtime) return done(createReceipt({ ...fields, outcome: 'failed', error: { code: 'RUNTIME_MISSING', message: 'the cell has neither docker compose nor docker-compose' } }));
  const success = createReceipt({ ...fields, outcome: 'uninstalled', error: null });
  let fail: string | null = null;
  let ok = false;
  const tail: string[] = [];
  const lines = lineSplitter((_s, line) => {
    if (!line) return;
    const m = parseMarker(line);
    if (m?.kind === 'ok') ok = true;
    else if (m?.kind === 'fail') fail = m.code!;
    else if (!m) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      req.onProgress?.(line);
    }
  });
  try {
    const r = await runRemote(req.profile, REMOTE_SCRIPT_COMMAND, req.ssh, {
      stdin: uninstallScript({ root: req.profile.root, serviceId: id, runtime: status.runtime, purgeVolumes: !!req.purgeVolumes, receiptLine: JSON.stringify(success) }),
      signal: req.signal,
      timeoutMs: 10 * 60_000,
      onOutput: lines.push,
    });
    lines.flush();
    if (ok && r.exitCode === 0) return done(success);
    return done(createReceipt({ ...fields, outcome: 'failed', error: { code: fail ?? 'REMOTE_SCRIPT_FAILED', message: `uninstall failed on the cell (exit ${r.exitCode}): ${tail.slice(-20).join('\n') || r.stderr.trim().slice(-1000)}` } }, { newId: () => success.id }));
  } catch (e) {
    const code = e instanceof CoreError ? e.code : 'UNINSTALL_FAILED';
    return done(createReceipt({ ...fields, outcome: code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code, message: errorMessage(e) } }, { newId: () => success.id }));
  }
}

/** State (`ps`), last log lines, or restart of an installed service; returns the runtime's text. */
export async function serviceOperation(profile: CellProfile, ssh: SshContext, runtime: ContainerRuntime, serviceId: string, op: ServiceOp, opts: { tail?: number; signal?: AbortSignal } = {}): Promise<string> {
  const r = await runRemote(profile, REMOTE_SCRIPT_COMMAND, ssh, { stdin: serviceOpScript(profile.root, assertServiceId(serviceId), runtime, op, opts.tail), signal: opts.signal, timeoutMs: 120_000, maxOutputBytes: 2 * 1024 * 1024 });
  const lines = r.stdout.split('\n');
  const fail = lines.map(parseMarker).find((m) => m?.kind === 'fail');
  if (fail) throw new CoreError(fail.code!, `${serviceId} is not installed on ${profile.destination}`);
  if (!lines.includes('@@PIC-OK')) throw new CoreError('SERVICE_OP_FAILED', `${op} did not complete on the cell: ${r.stderr.trim().slice(-500)}`);
  return lines.filter((l) => !l.startsWith('@@PIC-')).join('\n');
}
