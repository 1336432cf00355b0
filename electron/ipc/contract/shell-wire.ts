import type { IpcResult } from './domain';

/**
 * The browser shell's WebSocket wire format, shared by the shell server and the renderer's
 * client (pure constants and types, safe for the renderer). Subprotocols: `pic-store-ipc.v1`,
 * plus `token.<bootstrap token>` on the connection that spends it; the session itself travels
 * only as an HttpOnly cookie, never through page script.
 */
export const SHELL_SUBPROTOCOL = 'pic-store-ipc.v1';
export const SHELL_WS_PATH = '/ipc';
export const MAX_SHELL_MESSAGE = 4 * 1024 * 1024;

/** Renderer → shell. */
export interface ShellInvokeMessage {
  type: 'invoke';
  id: number;
  channel: string;
  arg?: unknown;
}

/** Shell → renderer. */
export type ShellServerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: IpcResult<unknown> }
  | { type: 'event'; channel: string; payload: unknown };
