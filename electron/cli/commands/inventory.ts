import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { addCellProfiles, listCellProfiles } from '../../core/cell/profiles';
import { terminalSafe } from '../../core/terminal-text';
import { CoreError } from '../../core/errors';
import { exportInventory, importInventory } from '../../core/fleet/inventory';
import { selectCells } from '../../core/fleet/selection';
import { readUserFile } from '../../core/user-file';
import { parseCommandArgs, UsageError } from '../args';
import { didYouMean } from '../suggest';
import type { CliContext } from '../context';
import { EXIT, printJson, type CliIo, type ExitCode } from '../io';

/**
 * `pic-store inventory export [--cells NAME_OR_GROUP...] [--output FILE]` and
 * `pic-store inventory import FILE [--json]` (DESIGN 2.10): cell profiles to and from an Ansible
 * YAML inventory. An import adds profiles only (never a host key): each imported cell's key is
 * confirmed before its first use, as for a cell added by hand.
 */
export async function inventoryCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'export') {
    const { values, positionals } = parseCommandArgs(rest, { cells: { type: 'string', multiple: true }, output: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const all = await listCellProfiles(ctx.dataDir);
    let chosen = all;
    try {
      if (values.cells?.length) chosen = selectCells(all, values.cells);
    } catch (e) {
      if (e instanceof CoreError && e.code === 'INVALID_SELECTION') throw new UsageError(e.message);
      throw e;
    }
    const yaml = exportInventory(chosen);
    if (values.output) {
      await writeFile(resolve(io.cwd, values.output), yaml, { flag: 'wx', mode: 0o600 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') throw new UsageError(`${values.output} already exists; choose a new file`);
        throw new CoreError('FILE_UNWRITABLE', `cannot write ${values.output}: ${e.message}`);
      });
      io.err(`exported ${chosen.length} cells to ${values.output}\n`);
    } else io.out(yaml);
    return EXIT.ok;
  }
  if (sub === 'import') {
    const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one inventory FILE');
    const text = await readUserFile(resolve(io.cwd, positionals[0]!), 4 * 1024 * 1024);
    const added = await addCellProfiles(ctx.dataDir, importInventory(text));
    if (values.json) printJson(io, { added });
    else {
      for (const p of added) io.out(terminalSafe(`added ${p.name}: ${p.destination}${p.port ? ` port ${p.port}` : ''}${p.groups?.length ? ` groups ${p.groups.join(', ')}` : ''}`) + '\n');
      io.out(`${added.length} cells added; confirm each one's host key before first use: in the app, or with pic-store cell status USER@HOST --port PORT --accept-host-key SHA256:…\n`);
    }
    return EXIT.ok;
  }
  throw new UsageError(sub ? `unknown inventory command "${sub}"${didYouMean(sub, ['export', 'import'])} (expected: export, import)` : 'missing inventory command (expected: export, import FILE)');
}
