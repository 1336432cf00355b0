/*
 * The shapes every domain slice shares (DESIGN 3.3: one slice per domain, each with `status`
 * and `error`), so views show loading and errors alike: `SliceStatus` for a slice's main load,
 * `AsyncOp<T>` for any other call a slice makes, and the helpers that turn an IPC answer into
 * one. The error is always the contract's `IpcError`, never a shape retyped here.
 */
import type { IpcError, IpcResult } from '../../../electron/ipc/contract/domain';

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SliceStatus {
  status: LoadStatus;
  error: IpcError | null;
}

/** One asynchronous call's state: what it is doing, what it answered, or why it failed. */
export interface AsyncOp<T> {
  status: LoadStatus;
  result: T | null;
  error: IpcError | null;
}

export const IDLE_OP: AsyncOp<never> = Object.freeze({ status: 'idle', result: null, error: null });
export const LOADING_OP: AsyncOp<never> = Object.freeze({ status: 'loading', result: null, error: null });

/** The op an IPC answer ends in: its data when ok, else its error. */
export function settled<T>(r: IpcResult<T>): AsyncOp<T> {
  return r.ok ? { status: 'ready', result: r.data, error: null } : { status: 'error', result: null, error: r.error };
}
