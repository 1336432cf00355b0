import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest';

/** A usage error: exit code 2 (DESIGN 2.4). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a command's arguments strictly; an unknown flag or missing value is a UsageError. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    // node:util names the unknown option ("Unknown option '--jsno'"); suggest the nearest known one.
    const unknown = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(--?[^'\s]+)'/.exec(err.message)?.[1] : undefined;
    const known = Object.keys(options).map((k) => `--${k}`).concat('--help');
    throw new UsageError(unknown ? `unknown option "${unknown}"${didYouMean(unknown, known)}; see pic-store COMMAND --help` : err.message);
  }
}
