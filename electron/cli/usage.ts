/**
 * The CLI's usage text, one entry per command (issue 17 item 9): `pic-store --help` prints them
 * all, `pic-store COMMAND --help` (and `pic-store cell status --help`) prints its own. Every
 * option a command parses is listed here; usage.test.ts checks each against the command's parser.
 */
import { APP_VERSION } from '../core/app-info';

export const COMMAND_USAGE: Record<string, string> = {
  verify: `  pic-store verify TARGET... [--trust-key FILE]... [--trusted-root FILE] [--plain-http-registry HOST]...
                   [--json] [--timeout SECONDS] [--no-cache] [-v|--verbose]`,
  lint: '  pic-store lint FILE [--json]',
  cell: `  pic-store cell status DEST [--ssh-config FILE] [--root PATH] [--port N] [--identity FILE]
                   [--timeout SECONDS] [--accept-host-key SHA256:...] [--json]`,
  install: `  pic-store install MANIFEST_OR_ID --cell DEST [--store INDEX] [--ssh-config FILE] [--root PATH] [--yes]
                   [--accept-changes] [--accept-signer FINGERPRINT] [--json]`,
  updates: '  pic-store updates [--cell DEST]... [--ssh-config FILE] [--root PATH] [--json]',
  uninstall: '  pic-store uninstall ID --cell DEST [--ssh-config FILE] [--root PATH] [--purge-volumes] [--json]',
  fleet: `  pic-store fleet plan SERVICE_ID --cells NAME_OR_GROUP... [--store INDEX] [--concurrency N] [--json]
  pic-store fleet apply PLAN_FILE [--batches 1,10%,100%] [--max-fail-percent N] [--concurrency N]
                   [--retry RUN_ID] [--yes] [--json]`,
  inventory: `  pic-store inventory export [--cells NAME_OR_GROUP...] [--output FILE]
  pic-store inventory import FILE [--json]`,
  activity: `  pic-store activity [--json] [--limit N] [--offset N] [--outcome OUTCOME] [--action ACTION]
                   [--cell NAME] [--service ID] [--reason CODE]
  pic-store activity --export ID FILE [--json]`,
  explain: '  pic-store explain RECEIPT_FILE_OR_ID [--json]',
  store: `  pic-store store add NAME URL [--root ROOT_JSON] | store remove NAME
  pic-store store list [--json] | store refresh [NAME] [--json]`,
};

const NOTES = `A verify TARGET is an existing file (an index if it lists services, else a manifest), an
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

export const USAGE = `pic-store ${APP_VERSION} — verify and install PIC store services

Usage:
${Object.values(COMMAND_USAGE).join('\n')}

${NOTES}`;

/** One command's usage, with a pointer to the full text for the words it uses. */
export function commandUsage(name: string): string {
  return `Usage:\n${COMMAND_USAGE[name]}\n\nRun "pic-store --help" for what TARGET and DEST mean, registries and exit codes.\n`;
}
