import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStoreIndex, type LoadedStore } from '../../../core/store/load-index';
import { loadTrustRootFromFiles, type TrustRoot } from '../../../core/trust/trust-root';
import type { VerdictSummary, VerificationFinished } from '../../contract/channels/verification';
import { createCoreServices } from '../../../core/core-services';
import { EventHub } from '../event-hub';
import { StoreRuntime } from './store-runtime';
import { VerificationRunner } from './verification-runner';

/** A runner over a data directory of its own (the badge cache under dir/cache). */
function newRunner(): VerificationRunner {
  const core = createCoreServices({ dataDir: dir, appConfigDir: join(dir, 'no-config') });
  return new VerificationRunner(core, new StoreRuntime(core), new EventHub());
}

/**
 * Issue 12.4 (DESIGN 2.1, each index entry judged on its own): a repeated service id never makes
 * two entries share a badge. Verdicts are kept and answered by position; the later duplicate is
 * MANIFEST_INVALID at /services/N/id and the first keeps its own verdict. Real verification of
 * the demo store's OCI layout, no fakes.
 */
const DEMO = join(__dirname, '..', '..', '..', '..', 'config', 'demo-store');

let dir: string;
let store: LoadedStore;
let trustRoot: TrustRoot;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pic-runner-'));
  await cp(DEMO, join(dir, 'store'), { recursive: true });
  const index = JSON.parse(await readFile(join(DEMO, 'index.json'), 'utf8')) as { services: { id: string }[] };
  const byId = (id: string) => index.services.find((s) => s.id === id)!;
  // pinboard (VERIFIED), then open-wiki's listing under the id "pinboard", then meter.
  const services = [byId('pinboard'), { ...byId('open-wiki'), id: 'pinboard' }, byId('meter')];
  await writeFile(join(dir, 'store', 'dup.json'), JSON.stringify({ ...index, services }));
  store = await loadStoreIndex(join(dir, 'store', 'dup.json'));
  trustRoot = await loadTrustRootFromFiles([join(dir, 'store', 'cosign.pub')], 'local');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runToEnd(runner: VerificationRunner, fresh = false): Promise<{ summaries: VerdictSummary[]; finished: VerificationFinished }> {
  const summaries: VerdictSummary[] = [];
  return new Promise((done) => {
    runner.start('dup', store, trustRoot, fresh, {
      progress: (p) => summaries.push(...p.summaries),
      finished: (finished) => done({ summaries, finished }),
    });
  });
}

describe('VerificationRunner with a repeated service id', () => {
  it('gives every entry its own badge, keyed by position', async () => {
    const runner = newRunner();
    const { summaries, finished } = await runToEnd(runner);
    expect(finished).toMatchObject({ done: 3, total: 3, cancelled: false, error: null });
    const byIndex = Object.fromEntries(summaries.map((s) => [s.index, [s.serviceId, s.reason]]));
    expect(byIndex).toEqual({ 0: ['pinboard', 'VERIFIED'], 1: ['pinboard', 'MANIFEST_INVALID'], 2: ['meter', 'SIGNATURE_DIGEST_MISMATCH'] });

    expect(runner.verdict('dup', 'pinboard', 0)?.report.reason).toBe('VERIFIED');
    const later = runner.verdict('dup', 'pinboard', 1);
    expect(later?.report.reason).toBe('MANIFEST_INVALID');
    expect(later?.report.errors).toEqual([{ path: '/services/1/id', message: 'duplicate id "pinboard" (already used by /services/0)' }]);
    // Without a position: the first entry's, whatever order the results arrived in.
    expect(runner.verdict('dup', 'pinboard')?.index).toBe(0);
    // A position that holds another id answers nothing rather than the wrong entry's verdict.
    expect(runner.verdict('dup', 'meter', 0)).toBeNull();
  });

  it('re-verifies one entry without touching the other entry of the same id', async () => {
    const runner = newRunner();
    await runToEnd(runner);
    const again = await runner.one('dup', store, store.services[0]!, trustRoot);
    expect(again).toMatchObject({ index: 0, serviceId: 'pinboard', report: { reason: 'VERIFIED' } });
    expect(runner.verdict('dup', 'pinboard', 1)?.report.reason).toBe('MANIFEST_INVALID');
  });
});
