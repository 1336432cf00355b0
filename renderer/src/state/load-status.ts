import type { IpcError } from '../../../electron/ipc/contract/domain';

/** Every domain slice carries these two fields (DESIGN 3.3), so views show loading and errors alike. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SliceStatus {
  status: LoadStatus;
  error: IpcError | null;
}
