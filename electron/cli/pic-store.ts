import { createInterface } from 'node:readline/promises';
import { APP_VERSION } from '../core/app-info';
import { errorMessage, toErrorInfo } from '../core/errors';
import { terminalLines, terminalSafe } from '../core/terminal-text';
import { UsageError } from './args';
import { cliContextFromEnv, type CliContext } from './context';
import { EXIT, printJson, type CliIo, type ExitCode } from './io';
import { commands } from './commands';
import { didYouMean } from './suggest';
import { commandUsage, USAGE } from './usage';

/** Runs one CLI invocation; returns the exit code (the caller sets process.exitCode). */
export async function runCli(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    io.out(`${APP_VERSION}\n`);
    return EXIT.ok;
  }
  const loadCommand = commands[name];
  if (!loadCommand) {
    io.err(`pic-store: unknown command "${terminalSafe(name)}"${terminalSafe(didYouMean(name, Object.keys(commands)))}\n\n${USAGE}`);
    return EXIT.usage;
  }
  // `pic-store COMMAND --help` and `pic-store cell status --help`: that command's usage, exit 0.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandUsage(name));
    return EXIT.ok;
  }
  const json = rest.includes('--json');
  try {
    const command = await loadCommand();
    return await command(rest, io, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      // Messages quote what was given or read (a path, an id, a store's name): printed terminal-safe.
      io.err(terminalLines(`pic-store ${name}: ${e.message}${e.pointToHelp ? `; see pic-store ${name} --help` : ''}`));
      return EXIT.usage;
    }
    if (json) printJson(io, { error: toErrorInfo(e) });
    else io.err(terminalLines(`pic-store ${name}: ${errorMessage(e)}`));
    return EXIT.failure;
  }
}

/**
 * `pic-store verify … | head`: once the reader has closed the pipe, further output has nowhere to
 * go. The command still finishes what it started (an install must not stop half-way because a
 * pager quit), its output is dropped, and the exit code stays the command's own.
 */
function stdoutWriter(): (text: string) => void {
  let readerGone = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    readerGone = true;
  });
  return (text) => {
    if (!readerGone) process.stdout.write(text);
  };
}

function processIo(): CliIo {
  return {
    out: stdoutWriter(),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    ask: async (question) => {
      if (!process.stdin.isTTY) return '';
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** Runs the process's command line; called by the `pic-store` launcher (electron/cli/launcher.ts). */
export function main(): void {
  const io = processIo();
  runCli(process.argv.slice(2), io, cliContextFromEnv(process.env, __dirname)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      io.err(terminalLines(`pic-store: ${errorMessage(e)}`));
      process.exitCode = EXIT.failure;
    },
  );
}
