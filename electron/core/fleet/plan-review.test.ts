import { describe, expect, it } from 'vitest';
import type { InstalledService } from '../cell/installed-inventory';
import type { CellProfile } from '../cell/profiles';
import type { CellStatus } from '../cell/status';
import type { InstallPlan } from '../install/install-flow';
import type { ServiceManifest } from '../store/manifest-schema';
import type { VerificationReport } from '../verification/types';
import { rowOf } from './plan';

// The plan row builder carries each upgrading cell's own review (DESIGN 2.10 + 2.9); real cells in fleet.itest.ts.
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const K1 = '1'.repeat(64);
const K2 = '2'.repeat(64);
const profile = { id: 'c1', name: 'c1', destination: 'c1.lan', root: '/opt/pic' } as CellProfile;
const manifest: ServiceManifest = { id: 'web', name: 'Web', version: '2', image: `r.lan/web@${B}`, ports: [{ host: 8080, container: 80, protocol: 'tcp' }, { host: 8443, container: 443, protocol: 'tcp' }], environment: { MODE: 'b' } };
const installed = (signers: string[]): InstalledService => ({
  id: 'web', name: 'Web', version: '1', digest: A, image: `r.lan/web@${A}`, signers, store: null,
  listing: { ports: [{ host: 8080, container: 80, protocol: 'tcp' }], volumes: [{ name: 'data', path: '/d' }], environment: { MODE: 'a' } },
  container: { state: 'running', health: null, status: 'Up' },
});
const report = (signers: string[]): VerificationReport => ({
  image: manifest.image, digest: B, verified: true, reason: 'VERIFIED', checks: [], trustedKeys: [],
  signatures: signers.map((k) => ({ format: 'classic' as const, keyFingerprint: k, identity: null })),
});

/** An install plan as planInstall shapes one: only the fields the row builder reads. */
function planFor(cellRuns: InstalledService[], signers: string[]): InstallPlan {
  const status = { mode: { value: 'enforce', source: 'config', detail: '' }, installed: cellRuns, cellKey: { fingerprint: 'KEY' }, runtime: 'docker compose' } as unknown as CellStatus;
  return {
    action: cellRuns.length ? 'upgrade' : 'install', status, report: report(signers), appReport: null, decision: 'allow',
    summary: { verdict: { verified: true, why: 'verified under the cell key' } }, base: { service: { id: 'web', name: 'Web', version: '2' }, digest: B },
  } as unknown as InstallPlan;
}

describe('fleet plan rows carry the upgrade review', () => {
  it("an upgrade's row holds its review: versions, digests, signers and what the new listing adds, changes and removes", () => {
    const row = rowOf(profile, planFor([installed([K1])], [K1]), {}, null, { manifest });
    expect(row).toMatchObject({ action: 'upgrade', reason: null, current: { version: '1', digest: A } });
    expect(row.review).toMatchObject({ version: { from: '1', to: '2' }, digest: { from: A, to: B }, signers: { from: [K1], to: [K1], changed: false }, cellKeyVerifies: true, listingSigned: false });
    expect(row.review?.changes).toEqual([
      { field: 'ports', change: 'added', name: '8443/tcp', to: '8443→443/tcp' },
      { field: 'volumes', change: 'removed', name: 'data', from: '/d' },
      { field: 'environment', change: 'changed', name: 'MODE', from: 'a', to: 'b' },
    ]);
  });
  it('a fresh install has no review; a row built without the listing has none either', () => {
    expect(rowOf(profile, planFor([], [K1]), {}, null, { manifest })).toMatchObject({ action: 'install', review: null });
    expect(rowOf(profile, planFor([installed([K1])], [K1]), {}, null).review).toBeNull();
  });
  it('a changed signer blocks the cell (a fleet cannot confirm a new key per cell) and still shows the review', () => {
    const row = rowOf(profile, planFor([installed([K1])], [K2]), {}, null, { manifest, listingSigned: true });
    expect(row).toMatchObject({ action: 'blocked', reason: 'SIGNER_CHANGED' });
    expect(row.detail).toContain(K2);
    expect(row.review).toMatchObject({ signers: { from: [K1], to: [K2], changed: true }, listingSigned: true });
  });
});
