// LINT FIXTURE (clean): what the renderer may do — browser APIs and type-only imports of the
// IPC contract.
import type { IpcResult } from '../ipc/contract/domain';

export function describeResult(r: IpcResult<string>): string {
  return r.ok ? `${window.document.title}: ${r.data}` : r.error.message;
}
