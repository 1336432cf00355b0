import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest';
import { COMMAND_USAGE } from './usage';

/** A usage error: exit code 2 (DESIGN 2.4). */
export class UsageError extends Error {
  /** When set, the runner adds where to read the command's usage (it knows the command's name). */
  readonly pointToHelp: boolean;

  constructor(message: string, options: { pointToHelp?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.pointToHelp = options.pointToHelp ?? false;
  }
}

/** What an option's value is called in the usage text ("--trust-key FILE" → "FILE"), or null. */
export function valueName(option: string): string | null {
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const usage of Object.values(COMMAND_USAGE)) {
    const m = new RegExp(`${escaped} ([A-Z][A-Z0-9_]*)`).exec(usage);
    if (m) return m[1]!;
  }
  return null;
}

/** Parses a command's arguments strictly; an unknown flag or missing value is a UsageError. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    // node:util names the unknown option ("Unknown option '--jsno'"); suggest the nearest known one.
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const unknown = /'(--?[^'\s]+)'/.exec(err.message)?.[1];
      const known = Object.keys(options).map((k) => `--${k}`).concat('--help');
      if (unknown) throw new UsageError(`unknown option "${unknown}"${didYouMean(unknown, known)}`, { pointToHelp: true });
    }
    // node:util says "Option '--trust-key <value>' argument missing"; say what the value is instead.
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const missing = /^Option '(--?[^'\s]+) <value>' argument missing/.exec(err.message)?.[1];
      if (missing) {
        const name = valueName(missing);
        throw new UsageError(`${missing} needs a value${name ? ` (${name})` : ''}`, { pointToHelp: true });
      }
    }
    throw new UsageError(err.message, { pointToHelp: true });
  }
}
