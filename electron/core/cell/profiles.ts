// Cell profiles (`cells.json`, DESIGN 2.6): how to reach a cell with the admin's own ssh. Stored
// atomically; a file that cannot be read is reported and left alone, never replaced, so a typo
// in cells.json never silently loses the admin's cells.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { dataPaths, readJsonFile, writeJsonFile } from '../data-dir';
import { CoreError } from '../errors';
import { withFileLock } from '../file-lock';
import { assertRemoteRoot } from './remote-quote';

export const DEFAULT_PIC_ROOT = '/opt/pic';

/**
 * An OpenSSH destination (`user@host`, a Host alias, or `ssh://…`). It is passed after `--`, and
 * is still refused when it starts with `-` (so `-oProxyCommand=…` can never become an option) or
 * holds whitespace / control characters (never a real host name, often an injection attempt).
 */
export function destinationProblem(dest: string): string | null {
  if (dest.length === 0) return 'the destination is empty';
  if (dest.length > 255) return 'the destination is too long';
  if (dest.startsWith('-')) return `the destination "${dest.slice(0, 60)}" starts with "-" and would be read as an ssh option; refused`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(dest)) return 'the destination contains whitespace or control characters; refused';
  return null;
}

export function assertDestination(dest: string): string {
  const p = destinationProblem(dest);
  if (p) throw new CoreError('INVALID_DESTINATION', p);
  return dest;
}

const destination = z.string().superRefine((d, ctx) => {
  const p = destinationProblem(d);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

const picRoot = z.string().superRefine((r, ctx) => {
  try {
    assertRemoteRoot(r);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/**
 * A group name (DESIGN 2.10) as Ansible accepts it without warnings: a letter or underscore, then
 * letters, digits, underscores. `all` and `ungrouped` are Ansible's own implicit groups.
 */
export const GROUP_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const RESERVED_GROUPS = ['all', 'ungrouped'] as const;

export function groupNameProblem(name: string): string | null {
  if (!GROUP_NAME_PATTERN.test(name)) return `the group name "${name.slice(0, 70)}" must start with a letter or "_" and hold only letters, digits and "_" (at most 64)`;
  if ((RESERVED_GROUPS as readonly string[]).includes(name)) return `"${name}" is Ansible's own implicit group and cannot be a group name`;
  return null;
}

const groupName = z.string().superRefine((g, ctx) => {
  const p = groupNameProblem(g);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

/** What a person enters for a cell (add / edit). */
export const cellProfileInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  destination,
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'no NUL').optional(),
  root: picRoot.default(DEFAULT_PIC_ROOT),
  /** An extra ssh config file for `ssh -F` (DESIGN 2.4 `--ssh-config`). */
  sshConfig: z.string().min(1).max(4096).optional(),
  /** Fleet groups (DESIGN 2.10): names an Ansible inventory can carry, so export/import round-trips. */
  groups: z.array(groupName).max(64).refine((g) => new Set(g).size === g.length, 'a group is listed twice').optional(),
});

const cellProfileSchema = cellProfileInputSchema.extend({ id: z.string().min(1).max(64) });

export type CellProfileInput = z.input<typeof cellProfileInputSchema>;
export type CellProfile = z.output<typeof cellProfileSchema>;

const cellsFileSchema = z.object({ version: z.literal(1).default(1), cells: z.array(cellProfileSchema) });

/** A non-default root is flagged in the banner and recorded in receipts (DESIGN 2.2). */
export function isDefaultRoot(profile: Pick<CellProfile, 'root'>): boolean {
  return profile.root === DEFAULT_PIC_ROOT;
}

/** A profile for a one-off command (the CLI's `cell status DEST`), never stored. */
export function adHocProfile(input: Omit<CellProfileInput, 'name'> & { name?: string }): CellProfile {
  const parsed = parseInput({ ...input, name: input.name ?? input.destination });
  return { ...parsed, id: `adhoc-${parsed.destination}` };
}

function parseInput(input: unknown) {
  const r = cellProfileInputSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ');
    throw new CoreError('INVALID_PROFILE', msg);
  }
  return r.data;
}

export async function listCellProfiles(dataDir: string): Promise<CellProfile[]> {
  const raw = await readJsonFile(dataPaths(dataDir).cells);
  if (raw === undefined) return [];
  const r = cellsFileSchema.safeParse(raw);
  if (!r.success) {
    const where = r.error.issues[0];
    throw new CoreError(
      'DATA_FILE_CORRUPT',
      `${dataPaths(dataDir).cells} does not hold valid cell profiles (${where ? `${where.path.join('.')}: ${where.message}` : 'invalid'}); it was left as it is`,
    );
  }
  return r.data.cells;
}

/**
 * cells.json changed by `change` under its lock, re-read inside it (DESIGN 2.6): a profile added
 * in another window or by the CLI meanwhile is kept, and the name check sees it.
 */
async function updateCells<T>(dataDir: string, change: (cells: CellProfile[]) => { cells: CellProfile[]; result: T }): Promise<T> {
  const path = dataPaths(dataDir).cells;
  return withFileLock(path, async () => {
    const { cells, result } = change(await listCellProfiles(dataDir));
    await writeJsonFile(path, { version: 1, cells });
    return result;
  });
}

function assertUniqueName(cells: CellProfile[], name: string, exceptId?: string): void {
  if (cells.some((c) => c.name === name && c.id !== exceptId)) {
    throw new CoreError('PROFILE_EXISTS', `a cell named "${name}" already exists`);
  }
}

export async function addCellProfile(dataDir: string, input: unknown): Promise<CellProfile> {
  const parsed = parseInput(input);
  const profile: CellProfile = { ...parsed, id: randomUUID() };
  return updateCells(dataDir, (cells) => {
    assertUniqueName(cells, parsed.name);
    return { cells: [...cells, profile], result: profile };
  });
}

export async function editCellProfile(dataDir: string, id: string, input: unknown): Promise<CellProfile> {
  const parsed = parseInput(input);
  const profile: CellProfile = { ...parsed, id };
  return updateCells(dataDir, (cells) => {
    const at = cells.findIndex((c) => c.id === id);
    if (at < 0) throw new CoreError('CELL_NOT_FOUND', `no cell profile with id ${id}`);
    assertUniqueName(cells, parsed.name, id);
    const next = [...cells];
    next[at] = profile;
    return { cells: next, result: profile };
  });
}

export async function removeCellProfile(dataDir: string, id: string): Promise<void> {
  return updateCells(dataDir, (cells) => {
    if (!cells.some((c) => c.id === id)) throw new CoreError('CELL_NOT_FOUND', `no cell profile with id ${id}`);
    return { cells: cells.filter((c) => c.id !== id), result: undefined };
  });
}

export async function getCellProfile(dataDir: string, idOrName: string): Promise<CellProfile | undefined> {
  const cells = await listCellProfiles(dataDir);
  return cells.find((c) => c.id === idOrName) ?? cells.find((c) => c.name === idOrName);
}

/**
 * Adds several profiles in one write (an inventory import): every one is validated and no name
 * may clash with an existing profile or another new one, else nothing is written.
 */
export async function addCellProfiles(dataDir: string, inputs: readonly unknown[]): Promise<CellProfile[]> {
  const parsed = inputs.map((i) => parseInput(i));
  const added: CellProfile[] = parsed.map((p) => ({ ...p, id: randomUUID() }));
  return updateCells(dataDir, (cells) => {
    const taken = new Set(cells.map((c) => c.name));
    const clash = parsed.filter((p) => taken.has(p.name) || !taken.add(p.name)).map((p) => p.name);
    if (clash.length) throw new CoreError('PROFILE_EXISTS', `cells named ${clash.map((n) => `"${n}"`).join(', ')} already exist; nothing was imported`);
    return { cells: [...cells, ...added], result: added };
  });
}
