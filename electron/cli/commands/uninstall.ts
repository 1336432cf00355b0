// `pic-store uninstall ID --cell DEST [--ssh-config FILE] [--root PATH] [--purge-volumes] [--json]` (DESIGN 2.4).
import { resolve } from 'node:path';
import { assertServiceId } from '../../core/cell/remote-quote';
import { closeCellConnection } from '../../core/cell/ssh';
import { dataPaths } from '../../core/data-dir';
import { uninstallService } from '../../core/install/uninstall';
import { parseCommandArgs, UsageError } from '../args';
import type { CliContext } from '../context';
import type { CliIo, ExitCode } from '../io';
import { resolveCliCell } from './cell';
import { exitFor, printReceipt } from './install';
import { terminalLines } from '../../core/terminal-text';

export async function uninstallCommand(argv: string[], io: CliIo, ctx: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(argv, {
    cell: { type: 'string' },
    'ssh-config': { type: 'string' },
    root: { type: 'string' },
    'purge-volumes': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one service ID');
  if (!values.cell) throw new UsageError('--cell DEST is required');
  let id: string;
  try {
    id = assertServiceId(positionals[0]);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const profile = await resolveCliCell(values.cell, { root: values.root, sshConfig: values['ssh-config'] && resolve(io.cwd, values['ssh-config']) }, ctx.dataDir);
  const ssh = { dataDir: ctx.dataDir, env: io.env };
  try {
    const receipt = await uninstallService({
      serviceId: id, profile, ssh, purgeVolumes: !!values['purge-volumes'],
      appTrustRoot: await ctx.trustRoot(),
      activityLog: dataPaths(ctx.dataDir).activity,
      onProgress: (line) => {
        if (!values.json) io.err(terminalLines(`  ${line}`));
      },
    });
    printReceipt(io, receipt, !!values.json);
    return exitFor(receipt);
  } finally {
    await closeCellConnection(profile, ssh).catch(() => undefined);
  }
}
