import type { CliContext } from '../context';
import type { CliIo, ExitCode } from '../io';

type Command = (argv: string[], io: CliIo, ctx: CliContext) => Promise<ExitCode>;

/**
 * The command table: one module per command under this directory. Each is loaded on first use,
 * so a `verify` run does not pay for evaluating the install, cell and receipt modules (the CLI
 * is started once per command by scripts and CI).
 */
export const commands: Record<string, () => Promise<Command>> = {
  activity: async () => (await import('./activity')).activityCommand,
  cell: async () => (await import('./cell')).cellCommand,
  explain: async () => (await import('./explain')).explainCommand,
  install: async () => (await import('./install')).installCommand,
  lint: async () => (await import('./lint')).lintCommand,
  uninstall: async () => (await import('./uninstall')).uninstallCommand,
  verify: async () => (await import('./verify')).verifyCommand,
};
