import { z } from 'zod';

export { SHELL_SUBPROTOCOL, SHELL_WS_PATH, MAX_SHELL_MESSAGE } from '../ipc/contract/shell-wire';
export type { ShellServerMessage } from '../ipc/contract/shell-wire';

/** Server-side parsing of what a renderer sends: anything else is refused. */
export const clientMessage = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(100),
  arg: z.unknown().optional(),
});
