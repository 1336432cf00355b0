// Helpers for the integration tests on the real test cell (scripts/testbed/cell.ts): data dirs and
// ssh contexts the tests make, each tracked so useCellCleanup() closes every connection and
// removes every directory after the file's tests, even when they fail.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { adHocProfile, type CellProfile } from '../../electron/core/cell/profiles';
import { closeCellConnection } from '../../electron/core/cell/ssh';
import type { SshContext } from '../../electron/core/cell/ssh-context';
import type { TrustRoot } from '../../electron/core/trust/trust-root';
import type { TestCell } from './cell';

export const noTrust: TrustRoot = { keys: [], problems: [] };
const dirs: string[] = [];
export async function dataDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pic-it-'));
  dirs.push(d);
  return d;
}
const opened: Array<[CellProfile, SshContext]> = [];
export function track(p: CellProfile, ctx: SshContext) {
  opened.push([p, ctx]);
  return p;
}

export function profileFor(cell: TestCell, ctx: SshContext): CellProfile {
  return track(adHocProfile({ destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root }), ctx);
}

/** A data dir whose app known_hosts already holds the cell's key (as after a confirmation). */
export async function trustedCtx(cell: TestCell, timeouts?: SshContext['timeouts']): Promise<SshContext> {
  const d = await dataDir();
  const { line } = await cell.hostKey();
  await writeFile(join(d, 'known_hosts'), `[127.0.0.1]:${cell.port} ${line}\n`);
  return { dataDir: d, timeouts };
}

export async function acceptedLogins(cell: TestCell): Promise<number> {
  const log = await readFile(join(cell.dir, 'sshd.log'), 'utf8').catch(() => '');
  return (log.match(/Accepted publickey/g) ?? []).length;
}

/** Registers the clean-up of everything the helpers above made. */
export function useCellCleanup(): void {
  afterAll(async () => {
    for (const [p, ctx] of opened) await closeCellConnection(p, ctx).catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
}
