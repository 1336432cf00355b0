import { describe, expect, it } from 'vitest';
import type { CellStatus } from '../../../core/cell/status';
import type { CellUpdates } from '../../../core/updates/detect-updates';
import { isAllowedOpenUrl } from '../../../core/updates/open-address';
import type { ServiceUpdate } from '../../../core/updates/update-state';
import type { CellUpdatesView } from '../../contract/channels/cells';
import { noticesOf, openTargets, rowsOf } from './updates-view';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const container = { state: 'running', health: null };

function svc(id: string, over: Partial<ServiceUpdate>): ServiceUpdate {
  return { id, installed: { version: '1.0', digest: D1, signers: ['aa'], container }, listed: { store: 'Lab store', version: '1.0', digest: D1 }, state: 'current', reason: null, revoked: null, endOfLife: null, review: null, note: null, ...over };
}

const review = {
  version: { from: '1.0', to: '2.0' },
  digest: { from: D1, to: D2 },
  signers: { from: ['aa'], to: ['aa'], changed: false },
  cellKeyVerifies: true,
  listingSigned: false,
  changes: [
    { field: 'ports' as const, change: 'added' as const, name: '8443/tcp', to: '8443→443/tcp' },
    { field: 'environment' as const, change: 'changed' as const, name: 'MODE', from: 'a', to: 'b' },
    { field: 'volumes' as const, change: 'removed' as const, name: 'cache', from: '/cache' },
  ],
};

function cell(services: ServiceUpdate[]): CellUpdates {
  const installed = [
    { id: 'web', name: 'Web server', version: '1.0', digest: D1, reference: `reg/web@${D1}`, listing: { ports: [{ host: 5353, container: 53, protocol: 'udp' as const }, { host: 8080, container: 80, protocol: 'tcp' as const }], volumes: [], environment: {} } },
    { id: 'tool', name: 'Old tool', version: '0.9', digest: D1, listing: { ports: [], volumes: [], environment: {} } },
  ];
  return { cell: 'lab', destination: 'admin@lab-alias', reachable: true, error: null, checkedAt: '2026-12-04T11:00:00Z', services, status: { installed } as unknown as CellStatus };
}

const update = svc('web', { state: 'update', reason: 'UPDATE_NEEDS_REVIEW', listed: { store: 'Lab store', version: '2.0', digest: D2 }, review });
const revoked = svc('tool', { id: 'tool', state: 'revoked', reason: 'SERVICE_REVOKED', revoked: { reason: 'a remote code execution flaw', at: '2026-12-01T00:00:00Z' } });

function view(services: ServiceUpdate[]): CellUpdatesView[] {
  const c = cell(services);
  return [{ cellId: 'c1', cell: c.cell, destination: c.destination, reachable: true, error: null, checkedAt: c.checkedAt, services: rowsOf(c, new Map([['Lab store', 'store-1']]), '10.0.0.5') }];
}

describe('the Installed view rows', () => {
  it('adds the catalogue words, the store id and the Open address (profile host, first tcp port)', () => {
    const [web, tool] = view([update, revoked])[0]!.services;
    expect(web).toMatchObject({ name: 'Web server', storeId: 'store-1', openUrl: 'http://10.0.0.5:8080/', reference: `reg/web@${D1}`, stateWords: { label: 'Update available' } });
    expect(web!.explanation?.code).toBe('UPDATE_NEEDS_REVIEW');
    // What the update asks for, never the removed volume (removed things need no consent).
    expect(web!.explanation?.sentence).toContain('(adds port 8443/tcp, changes variable MODE)');
    expect(tool).toMatchObject({ openUrl: null, stateWords: { label: 'Withdrawn by the store' } });
    expect(tool!.explanation?.sentence).toBe("The store withdrew tool: a remote code execution flaw. It cannot be installed or upgraded on any cell, whatever the cell's mode.");
    expect(tool!.explanation?.next.admin).toContain('pic-store uninstall tool --cell');
  });

  it('opens only the addresses the cells publish', () => {
    const targets = openTargets(view([update, revoked]));
    expect(isAllowedOpenUrl('http://10.0.0.5:8080/', targets)).toBe(true);
    expect(isAllowedOpenUrl('http://10.0.0.5:5353/', targets)).toBe(false);
    expect(isAllowedOpenUrl('http://evil.example:8080/', targets)).toBe(false);
    expect(isAllowedOpenUrl('https://10.0.0.5:8080/', targets)).toBe(false);
  });
});

describe('notices', () => {
  it('tells once about each newly reached update, withdrawal or end of life, and again when another version is listed', () => {
    const first = view([update, revoked]);
    expect(noticesOf([], first).map((n) => `${n.state} ${n.title}: ${n.body}`)).toEqual([
      'update Update available: Web server on lab: 1.0 → 2.0. The store lists a newer image signed by the same key; review what it changes before updating.',
      'revoked Withdrawn by the store: Old tool on lab: a remote code execution flaw',
    ]);
    expect(noticesOf(first, view([update, revoked]))).toEqual([]);
    const v3 = svc('web', { ...update, listed: { store: 'Lab store', version: '3.0', digest: `sha256:${'3'.repeat(64)}` } });
    expect(noticesOf(first, view([v3, revoked])).map((n) => n.body)).toEqual(['Web server on lab: 1.0 → 3.0. The store lists a newer image signed by the same key; review what it changes before updating.']);
    expect(noticesOf([], view([svc('web', {}), svc('tool', { state: 'unlisted', listed: null })]))).toEqual([]);
  });
});
