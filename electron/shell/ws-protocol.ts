import { z } from 'zod';

/**
 * The wire format of the shell's WebSocket, shared by server and renderer client (types only on
 * the renderer side). Subprotocols: `pic-store-ipc.v1` plus exactly one credential,
 * `token.<bootstrap token>` or `session.<session>`.
 */
export const SHELL_SUBPROTOCOL = 'pic-store-ipc.v1';
export const SHELL_WS_PATH = '/ipc';
export const MAX_SHELL_MESSAGE = 4 * 1024 * 1024;

export const clientMessage = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(100),
  arg: z.unknown().optional(),
});
export type ClientMessage = z.infer<typeof clientMessage>;
