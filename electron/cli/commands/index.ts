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
  fleet: async () => (await import('./fleet')).fleetCommand,
  install: async () => (await import('./install')).installCommand,
  inventory: async () => (await import('./inventory')).inventoryCommand,
  lint: async () => (await import('./lint')).lintCommand,
  store: async () => (await import('./store')).storeCommand,
  uninstall: async () => (await import('./uninstall')).uninstallCommand,
  updates: async () => (await import('./updates')).updatesCommand,
  verify: async () => (await import('./verify')).verifyCommand,
};
