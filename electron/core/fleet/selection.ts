import { CoreError } from '../errors';
import type { CellProfile } from '../cell/profiles';

/**
 * Which cells a fleet command means (DESIGN 2.10): `--cells` and the app's selection take profile
 * names and group names, repeated or comma-separated (`all`, as in Ansible, is every cell). The result keeps the order of cells.json
 * (the plan order batches are formed in), each cell once. A word that names nothing, or both a
 * cell and a group, is refused rather than guessed.
 */
export function splitSelection(words: readonly string[]): string[] {
  return words.flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w.length > 0);
}

export function selectCells(profiles: readonly CellProfile[], words: readonly string[]): CellProfile[] {
  const wanted = splitSelection(words);
  if (wanted.length === 0) throw new CoreError('INVALID_SELECTION', 'no cells were selected: name cells or groups');
  const groups = new Set(profiles.flatMap((p) => p.groups ?? []));
  const names = new Set(profiles.map((p) => p.name));
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const w of wanted) {
    // Ansible's implicit group: every cell, unless a cell or group of that name exists.
    if (w === 'all' && !names.has(w) && !groups.has(w)) {
      for (const p of profiles) chosen.add(p.name);
      continue;
    }
    if (names.has(w) && groups.has(w)) throw new CoreError('INVALID_SELECTION', `"${w}" is both a cell and a group; rename one of them`);
    if (names.has(w)) chosen.add(w);
    else if (groups.has(w)) {
      for (const p of profiles) if (p.groups?.includes(w)) chosen.add(p.name);
    } else unknown.push(w);
  }
  if (unknown.length) {
    throw new CoreError('INVALID_SELECTION', `no cell or group named ${unknown.map((u) => JSON.stringify(u)).join(', ')} (cells: ${[...names].slice(0, 20).join(', ') || 'none'}; groups: ${[...groups].slice(0, 20).join(', ') || 'none'})`);
  }
  return profiles.filter((p) => chosen.has(p.name));
}
