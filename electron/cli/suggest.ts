/**
 * "Did you mean" for the CLI (issue 17 item 9): the nearest known command or option to a
 * mistyped one, by edit distance, or none when nothing is close enough to be a typo.
 */

/** Levenshtein distance (insert, delete, substitute), over the short strings commands are. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest candidate within a typo's reach (a third of its length, at least 2), else null. */
export function closest(given: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(given.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(given.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** " (did you mean X?)" or nothing. */
export function didYouMean(given: string, candidates: readonly string[]): string {
  const c = closest(given, candidates);
  return c ? ` (did you mean ${c}?)` : '';
}
