/* Search, filter and sort of the browse view: pure, so it is unit-tested and cheap per keystroke. */
import type { StoreServiceView, VerdictSummary } from '../../../../electron/ipc/contract/channels';
import type { BadgeKey } from '../../components/badge-meta';

export type SortKey = 'name' | 'badge' | 'category' | 'developer';

interface FilterState {
  query: string;
  category: string;
  badge: BadgeKey | '';
  sort: SortKey;
}

export interface Row {
  service: StoreServiceView;
  /** Lower-cased name, tagline, id and developer, built once per index load. */
  haystack: string;
  name: string;
  category: string;
  developer: string;
}

export function buildRows(services: readonly StoreServiceView[]): Row[] {
  return services.map((service) => {
    const m = service.manifest;
    const name = m?.name ?? service.id;
    const developer = m?.developer?.name ?? '';
    return { service, name, category: m?.category ?? '', developer, haystack: [name, m?.tagline ?? '', service.id, developer].join('\n').toLowerCase() };
  });
}

/** A service's badge; `missing` is what a service without a verdict shows (checking, or not checked). */
export function badgeOf(verdicts: Record<string, VerdictSummary>, id: string, missing: BadgeKey = 'pending'): BadgeKey {
  return verdicts[id]?.reason ?? missing;
}

/** One collator for every sort: same order as localeCompare, without its per-call set-up cost. */
const collator = new Intl.Collator();

/** Sorts once per index load and sort key, so a keystroke only filters (5,000 rows, no sort). */
export function sortRows(rows: readonly Row[], verdicts: Record<string, VerdictSummary>, sort: SortKey): Row[] {
  const out = [...rows];
  const byName = (a: Row, b: Row) => collator.compare(a.name, b.name);
  if (sort === 'name') return out.sort(byName);
  if (sort === 'category') return out.sort((a, b) => collator.compare(a.category, b.category) || byName(a, b));
  if (sort === 'developer') return out.sort((a, b) => collator.compare(a.developer, b.developer) || byName(a, b));
  const rank = (r: Row) => (badgeOf(verdicts, r.service.id) === 'VERIFIED' ? 0 : badgeOf(verdicts, r.service.id) === 'pending' ? 2 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || byName(a, b));
}

/** Keeps the order of `sorted`: search, category and badge only. */
export function filterRows(sorted: readonly Row[], verdicts: Record<string, VerdictSummary>, f: Omit<FilterState, 'sort'>, missing: BadgeKey = 'pending'): Row[] {
  const q = f.query.trim().toLowerCase();
  if (!q && !f.category && !f.badge) return sorted as Row[];
  return sorted.filter((r) => (!q || r.haystack.includes(q)) && (!f.category || r.category === f.category) && (!f.badge || badgeOf(verdicts, r.service.id, missing) === f.badge));
}

export function applyFilters(rows: readonly Row[], verdicts: Record<string, VerdictSummary>, f: FilterState): Row[] {
  return filterRows(sortRows(rows, verdicts, f.sort), verdicts, f);
}

export function countBadges(services: readonly StoreServiceView[], verdicts: Record<string, VerdictSummary>, missing: BadgeKey = 'pending'): Partial<Record<BadgeKey, number>> {
  const counts: Partial<Record<BadgeKey, number>> = {};
  for (const s of services) {
    const k = badgeOf(verdicts, s.id, missing);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
