// Uninstall (DESIGN 2.2, 2.5): `down` under the cell lock, named volumes kept unless
// `purgeVolumes`, the service directory removed, one receipt locally and on the cell. Like an
// install, it re-reads the mode and key inside the lock and refuses (CELL_CHANGED) when they are
// no longer what it read first. Plus the basics of a running service: state, last log lines, restart.
import type { CellProfile } from '../cell/profiles';
import { assertServiceId } from '../cell/remote-quote';
import { runRemote } from '../cell/ssh';
import type { SshContext } from '../cell/ssh-context';
import { readCellStatus, type CellStatus, type ContainerRuntime } from '../cell/status';
import { CoreError, errorMessage } from '../errors';
import { appendReceipt } from '../receipts/activity-log';
import { createReceipt, type Receipt, type ReceiptFields } from '../receipts/receipt';
import { judgeCellChange, SAME_MEANING_RETRIES, scriptOutputReader } from './cell-changed';
import type { TrustRoot } from '../trust/trust-root';
import { lineSplitter } from './line-splitter';
import { REMOTE_SCRIPT_COMMAND, serviceOpScript, splitScriptLine, uninstallScript, type ServiceOp } from './remote-scripts';

export interface UninstallRequest {
  serviceId: string;
  profile: CellProfile;
  ssh: SshContext;
  appTrustRoot: TrustRoot;
  activityLog: string;
  purgeVolumes?: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Each step the script reports (`lock`, `down`, …), for callers that follow it. */
  onStep?: (step: string) => void;
}

export async function uninstallService(req: UninstallRequest): Promise<Receipt> {
  const id = assertServiceId(req.serviceId);
  const cell = { name: req.profile.name, destination: req.profile.destination, root: req.profile.root };
  const blank = { action: 'uninstall' as const, store: null, cell, verification: null, cellVerification: null, decision: null };
  const done = async (r: Receipt) => {
    await appendReceipt(req.activityLog, r);
    return r;
  };
  let status: CellStatus;
  let cellState: string;
  try {
    ({ status, cellState } = await readCellStatus(req.profile, req.ssh, { trustRoot: req.appTrustRoot, signal: req.signal }));
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
  const runtime = status.runtime;
  let expected = cellState;
  for (let attempt = 0; ; attempt++) {
    const r = await uninstallOnce(req, id, runtime, fields, expected);
    if ('receipt' in r) return done(r.receipt);
    // The mode or key changed between the read and the lock (DESIGN 2.2): refused, the cell untouched, recorded locally only.
    const judged = judgeCellChange(req.profile, status, r.report, req.appTrustRoot, 'uninstall');
    if (judged.same && judged.cellState && attempt < SAME_MEANING_RETRIES) {
      expected = judged.cellState;
      continue;
    }
    const message = judged.same ? "the cell's mode and key files kept changing while the uninstall waited for them to settle; nothing on the cell was touched" : judged.message;
    return done(createReceipt({ ...fields, outcome: 'rejected', error: { code: 'CELL_CHANGED', message } }));
  }
}

type UninstallFields = Omit<ReceiptFields, 'outcome' | 'error'>;

async function uninstallOnce(req: UninstallRequest, id: string, runtime: ContainerRuntime, fields: UninstallFields, expectedCellState: string): Promise<{ receipt: Receipt } | { report: string | null }> {
  const success = createReceipt({ ...fields, outcome: 'uninstalled', error: null });
  let fail: string | null = null;
  let ok = false;
  const tail: string[] = [];
  const out = scriptOutputReader();
  const lines = lineSplitter((_s, line) => {
    const { text, marker: m } = out.read(line);
    if (m?.kind === 'ok') ok = true;
    else if (m?.kind === 'fail') fail = m.code!;
    else if (m?.kind === 'step') req.onStep?.(m.step!);
    else if (m?.kind === 'note') req.onProgress?.(m.text!);
    if (text !== null) {
      tail.push(text);
      if (tail.length > 40) tail.shift();
      req.onProgress?.(text);
    }
  });
  try {
    const r = await runRemote(req.profile, REMOTE_SCRIPT_COMMAND, req.ssh, {
      stdin: uninstallScript({ root: req.profile.root, serviceId: id, runtime, purgeVolumes: !!req.purgeVolumes, receiptLine: JSON.stringify(success), expectedCellState }),
      signal: req.signal,
      timeoutMs: 10 * 60_000,
      onOutput: lines.push,
    });
    lines.flush();
    if (ok && r.exitCode === 0) return { receipt: success };
    if (fail === 'CELL_CHANGED') return { report: out.changedReport() };
    return { receipt: createReceipt({ ...fields, outcome: 'failed', error: { code: fail ?? 'REMOTE_SCRIPT_FAILED', message: `uninstall failed on the cell (exit ${r.exitCode}): ${tail.slice(-20).join('\n') || r.stderr.trim().slice(-1000)}` } }, { newId: () => success.id }) };
  } catch (e) {
    const code = e instanceof CoreError ? e.code : 'UNINSTALL_FAILED';
    return { receipt: createReceipt({ ...fields, outcome: code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code, message: errorMessage(e) } }, { newId: () => success.id }) };
  }
}

/** State (`ps`), last log lines, or restart of an installed service; returns the runtime's text. */
export async function serviceOperation(profile: CellProfile, ssh: SshContext, runtime: ContainerRuntime, serviceId: string, op: ServiceOp, opts: { tail?: number; signal?: AbortSignal } = {}): Promise<string> {
  const r = await runRemote(profile, REMOTE_SCRIPT_COMMAND, ssh, { stdin: serviceOpScript(profile.root, assertServiceId(serviceId), runtime, op, opts.tail), signal: opts.signal, timeoutMs: 120_000, maxOutputBytes: 2 * 1024 * 1024 });
  const lines = r.stdout.split('\n').map(splitScriptLine);
  const fail = lines.find((l) => l.marker?.kind === 'fail')?.marker;
  if (fail) throw new CoreError(fail.code!, `${serviceId} is not installed on ${profile.destination}`);
  if (!lines.some((l) => l.marker?.kind === 'ok')) throw new CoreError('SERVICE_OP_FAILED', `${op} did not complete on the cell: ${r.stderr.trim().slice(-500)}`);
  // Output only, markers never: the last line before @@PIC-OK was terminated by the script's own newline.
  return lines.flatMap((l) => (l.text === null ? [] : [l.text])).join('\n').replace(/\n+$/, '');
}
