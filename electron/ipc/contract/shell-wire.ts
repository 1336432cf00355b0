import type { IpcResult } from './domain';

/**
 * The browser shell's WebSocket wire format, shared by the shell server and the renderer's
 * client (pure constants and types, safe for the renderer). Subprotocols: `pic-store-ipc.v1`
 * plus exactly one credential, `token.<bootstrap token>` or `session.<session>`.
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

/** Shell → renderer. `ready.session` is present only when a bootstrap token was just spent. */
export type ShellServerMessage =
  | { type: 'ready'; session?: string }
  | { type: 'result'; id: number; result: IpcResult<unknown> }
  | { type: 'event'; channel: string; payload: unknown };
