import { describe, expect, it } from 'vitest';
import type { StoreServiceView, VerdictSummary } from '../../../../electron/ipc/contract/channels';
import { applyFilters, buildRows, countBadges, filterRows, sortRows } from './filters';

function svc(index: number, id: string, name: string, extra: Record<string, unknown> = {}): StoreServiceView {
  return { index, id, manifest: { id, name, version: '1', image: `r/${id}@sha256:${'a'.repeat(64)}`, ...extra } as StoreServiceView['manifest'], errors: [], iconData: null, iconUrl: null, screenshots: [] };
}
function verdict(index: number, id: string, reason: VerdictSummary['reason']): VerdictSummary {
  return { serviceId: id, index, reason, verified: reason === 'VERIFIED', verifiedAt: null, cached: false };
}

const services = [
  svc(0, 'wiki', 'Open Wiki', { tagline: 'Notes for teams', category: 'docs', developer: { name: 'Acme', url: 'https://a.example' } }),
  svc(1, 'chat', 'Relay Chat', { category: 'comms' }),
  svc(2, 'photos', 'Lumen Photos', { tagline: 'Your pictures', category: 'media' }),
];
// Keyed by entry position, as the verification slice keeps them (ids can repeat).
const verdicts = { 0: verdict(0, 'wiki', 'VERIFIED'), 1: verdict(1, 'chat', 'SIGNATURE_INVALID') };
const base = { query: '', category: '', badge: '' as const, sort: 'name' as const };

describe('browse filters', () => {
  const rows = buildRows(services);
  it('searches name, tagline, id and developer, case-insensitively', () => {
    expect(applyFilters(rows, verdicts, { ...base, query: 'NOTES' }).map((r) => r.service.id)).toEqual(['wiki']);
    expect(applyFilters(rows, verdicts, { ...base, query: 'acme' }).map((r) => r.service.id)).toEqual(['wiki']);
    expect(applyFilters(rows, verdicts, { ...base, query: 'photos' }).map((r) => r.service.id)).toEqual(['photos']);
  });
  it('filters by category and by badge, pending included', () => {
    expect(applyFilters(rows, verdicts, { ...base, category: 'comms' }).map((r) => r.service.id)).toEqual(['chat']);
    expect(applyFilters(rows, verdicts, { ...base, badge: 'pending' }).map((r) => r.service.id)).toEqual(['photos']);
  });
  it('sorts by name, or verified first', () => {
    expect(applyFilters(rows, verdicts, base).map((r) => r.service.id)).toEqual(['photos', 'wiki', 'chat']);
    expect(applyFilters(rows, verdicts, { ...base, sort: 'badge' }).map((r) => r.service.id)).toEqual(['wiki', 'chat', 'photos']);
  });
  it('filters a sorted list without re-sorting it, and hands it back as is when nothing filters', () => {
    const byDeveloper = sortRows(rows, verdicts, 'developer');
    expect(byDeveloper.map((r) => r.service.id)).toEqual(['photos', 'chat', 'wiki']);
    expect(filterRows(byDeveloper, verdicts, { query: 'E', category: '', badge: '' }).map((r) => r.service.id)).toEqual(['photos', 'chat', 'wiki']);
    expect(filterRows(byDeveloper, verdicts, { query: '', category: '', badge: 'VERIFIED' }).map((r) => r.service.id)).toEqual(['wiki']);
    expect(filterRows(byDeveloper, verdicts, { query: '  ', category: '', badge: '' })).toBe(byDeveloper);
  });
  it('counts each outcome', () => {
    expect(countBadges(services, verdicts)).toEqual({ VERIFIED: 1, SIGNATURE_INVALID: 1, pending: 1 });
  });
  it('a service without a verdict counts and filters as "Not checked" once no run is coming', () => {
    expect(countBadges(services, verdicts, 'unchecked')).toEqual({ VERIFIED: 1, SIGNATURE_INVALID: 1, unchecked: 1 });
    const rows = sortRows(buildRows(services), verdicts, 'name');
    expect(filterRows(rows, verdicts, { query: '', category: '', badge: 'unchecked' }, 'unchecked').map((r) => r.service.id)).toEqual(['photos']);
    expect(filterRows(rows, verdicts, { query: '', category: '', badge: 'pending' }, 'unchecked')).toEqual([]);
  });
  it('a repeated id is its own entry: each keeps the badge of its position', () => {
    const twins = [svc(0, 'web', 'Web'), svc(1, 'web', 'Web again')];
    const v = { 0: verdict(0, 'web', 'VERIFIED'), 1: verdict(1, 'web', 'MANIFEST_INVALID') };
    expect(countBadges(twins, v)).toEqual({ VERIFIED: 1, MANIFEST_INVALID: 1 });
    expect(applyFilters(buildRows(twins), v, { ...base, badge: 'VERIFIED' }).map((r) => r.service.index)).toEqual([0]);
  });
});
