import type { CliContext } from '../context';
import type { CliIo, ExitCode } from '../io';
import { activityCommand } from './activity';
import { cellCommand } from './cell';
import { explainCommand } from './explain';
import { installCommand } from './install';
import { lintCommand } from './lint';
import { uninstallCommand } from './uninstall';
import { verifyCommand } from './verify';

export type Command = (argv: string[], io: CliIo, ctx: CliContext) => Promise<ExitCode>;

/** The command table: one module per command under this directory. */
export const commands: Record<string, Command> = {
  activity: activityCommand,
  cell: cellCommand,
  explain: explainCommand,
  install: installCommand,
  lint: lintCommand,
  uninstall: uninstallCommand,
  verify: verifyCommand,
};
