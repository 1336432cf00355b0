import type { IpcResult } from '../ipc/contract';

/** What the shell server sends; the renderer's client imports this as a type only. */
export type ShellServerMessage =
  | { type: 'ready'; session?: string }
  | { type: 'result'; id: number; result: IpcResult<unknown> }
  | { type: 'event'; channel: string; payload: unknown };
