import { describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/testbed/registry';
import { installService } from './install-flow';
import type { PreflightSummary } from './preflight';
import { request, runningImage, signedA, signedB, tb, useInstallSuite } from '../../../scripts/testbed/install-suite';

// The app's consent path (DESIGN 2.9, `consentAtConfirm`) on the real cell: the pre-flight carries
// the review whatever it needs, and the gate is applied to what the confirmation answered — a
// confirmation without consent to an added port and a changed variable is a `rejected` receipt
// (UPDATE_NEEDS_REVIEW) with the cell still running v1; with consent the upgrade runs and the
// receipt's review records exactly what was accepted.
useInstallSuite();

describe('upgrade consent given at confirmation (the app)', () => {
  it('refuses a confirmation that does not cover the review, then upgrades with consent and records it', async () => {
    await tb.setMode('enforce');
    const [p1, p2] = [await freePort(), await freePort()];
    const v1 = { id: 'consent', name: 'Consent', version: '1.0', image: signedA, ports: [{ host: p1, container: 80, protocol: 'tcp' as const }], environment: { MODE: 'a' } };
    const v2 = { ...v1, version: '2.0', image: signedB, ports: [...v1.ports, { host: p2, container: 443, protocol: 'tcp' as const }], environment: { MODE: 'b' } };
    const first = await installService(request(v1), async () => true);
    expect(first.receipt.outcome, JSON.stringify(first.receipt.error)).toBe('installed');

    let shown: PreflightSummary | null = null;
    const refused = await installService(request(v2, { consentAtConfirm: true }), async (summary) => {
      shown = summary;
      return { confirmed: true, consent: { acceptChanges: false, acceptSigner: null } };
    });
    expect(shown!.review!.changes).toEqual([
      { field: 'ports', change: 'added', name: `${p2}/tcp`, to: `${p2}→443/tcp` },
      { field: 'environment', change: 'changed', name: 'MODE', from: 'a', to: 'b' },
    ]);
    expect(refused.receipt.outcome).toBe('rejected');
    expect(refused.receipt.error?.code).toBe('UPDATE_NEEDS_REVIEW');
    expect(refused.receipt.review?.accepted).toEqual([]);
    expect(await runningImage('consent')).toBe(`${signedA}|true`);

    const done = await installService(request(v2, { consentAtConfirm: true }), async () => ({ confirmed: true, consent: { acceptChanges: true, acceptSigner: null } }));
    expect(done.receipt.outcome, JSON.stringify(done.receipt.error)).toBe('installed');
    expect(done.receipt.action).toBe('upgrade');
    expect(done.receipt.review?.accepted.map((a) => `${a.field} ${a.change} ${a.name}`)).toEqual([`ports added ${p2}/tcp`, 'environment changed MODE']);
    expect(await runningImage('consent')).toBe(`${signedB}|true`);
  }, 300_000);
});
