import { createInterface } from 'node:readline/promises';
import { APP_VERSION } from '../core/app-info';
import { errorMessage, toErrorInfo } from '../core/errors';
import { terminalLines, terminalSafe } from '../core/terminal-text';
import { UsageError } from './args';
import { cliContextFromEnv, type CliContext } from './context';
import { EXIT, printJson, type CliIo, type ExitCode } from './io';
import { commands } from './commands';

const USAGE = `pic-store ${APP_VERSION} — verify and install PIC store services

Usage:
  pic-store verify TARGET... [--trust-key FILE]... [--trusted-root FILE] [--plain-http-registry HOST]...
                   [--json] [--timeout SECONDS] [--no-cache] [-v]
  pic-store lint FILE [--json]
  pic-store cell status DEST [--ssh-config FILE] [--root PATH] [--json]
  pic-store install MANIFEST_OR_ID --cell DEST [--store INDEX] [--ssh-config FILE] [--root PATH] [--yes]
                   [--accept-changes] [--accept-signer FINGERPRINT] [--json]
  pic-store updates [--cell DEST]... [--json]
  pic-store uninstall ID --cell DEST [--ssh-config FILE] [--root PATH] [--purge-volumes] [--json]
  pic-store fleet plan SERVICE_ID --cells NAME_OR_GROUP... [--store INDEX] [--concurrency N] [--json]
  pic-store fleet apply PLAN_FILE [--batches 1,10%,100%] [--max-fail-percent N] [--concurrency N]
                   [--retry RUN_ID] [--yes] [--json]
  pic-store inventory export [--cells NAME_OR_GROUP...] [--output FILE]
  pic-store inventory import FILE [--json]
  pic-store activity [--json] [--limit N]
  pic-store explain RECEIPT_FILE
  pic-store store add NAME URL [--root ROOT_JSON] | store remove NAME
  pic-store store list [--json] | store refresh [NAME] [--json]

A verify TARGET is an existing file (an index if it lists services, else a manifest), an
http(s): or file: index URL, store:NAME (a configured store, its state reported beside the
results), or else an image reference. A file that does not exist is a usage
error when the TARGET is written as a path (starts with ./ ../ or /, or has a directory and
ends in .json).

DEST is the name of a cell profile in the data directory's cells.json (the cells the app shows:
its destination, port, identity, root and ssh config apply; options given here override them),
or else an OpenSSH destination (user@host or a Host alias).

Registries are reached over https; plain http only for loopback (localhost, 127.0.0.0/8, ::1),
for each --plain-http-registry HOST[:PORT], and for the hosts an admin lists in the data
directory's stores.json as "plainHttpRegistries": ["host:port", ...].

Exit codes: 0 success, 1 not verified / blocked, 2 usage error, 3 could not do its job.
`;

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
    io.err(`pic-store: unknown command "${terminalSafe(name)}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const json = rest.includes('--json');
  try {
    const command = await loadCommand();
    return await command(rest, io, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      // Messages quote what was given or read (a path, an id, a store's name): printed terminal-safe.
      io.err(terminalLines(`pic-store ${name}: ${e.message}`));
      return EXIT.usage;
    }
    if (json) printJson(io, { error: toErrorInfo(e) });
    else io.err(terminalLines(`pic-store ${name}: ${errorMessage(e)}`));
    return EXIT.failure;
  }
}

function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
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
