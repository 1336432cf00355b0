import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../../../../scripts/testbed/cosign';
import { startCountingProxy, type CountingProxy } from '../../../../scripts/testbed/counting-proxy';
import { pushImage, type PushedImage } from '../../../../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../../../../scripts/testbed/registry';
import { openImageSources } from '../../../core/core-services';
import { createReceipt, receiptVerification, type Receipt } from '../../../core/receipts/receipt';
import { loadTrustRootFromFiles } from '../../../core/trust/trust-root';
import { verifyImage } from '../../../core/verification/verify-image';
import type { RecheckResult } from '../../contract/channels/activity';
import type { IpcResult } from '../../contract/domain';
import { createIpcRouter, type IpcRouter } from '../router';
import { createServices } from '../services/app-services';

/**
 * `activity:recheck` through the real router (DESIGN 2.5): a receipt naming an image on a real
 * loopback registry — behind a proxy that counts every request — is re-checked. Nothing reaches
 * that registry until the helpdesk person confirms its host or one of their own stores lists it;
 * and a machine lacking the key the receipt was judged under says it cannot judge.
 */
const sender = { transport: 'browser-shell' as const, id: 'itest', trusted: true };
let reg: TestRegistry;
let proxy: CountingProxy;
let key: TestKey;
let img: PushedImage;
let receipt: Receipt;
let work: string;

beforeAll(async () => {
  reg = await startRegistry();
  proxy = await startCountingProxy(reg.host);
  work = mkdtempSync(join(tmpdir(), 'pic-recheck-'));
  key = await makeTestKey(join(work, 'keys'), 'p256');
  img = await pushImage(reg.host, 'pic/notes');
  // The receipt an enforcing cell wrote when it refused the unsigned image, named at the proxy.
  const ref = `${proxy.host}/pic/notes@${img.digest}`;
  const sources = openImageSources({ plainHttpRegistries: [] });
  try {
    const report = await verifyImage({ image: ref, serviceId: 'notes', trustRoot: await loadTrustRootFromFiles([key.pubPath], 'local'), sources: sources.provider });
    expect(report.reason).toBe('SIGNATURE_NOT_FOUND');
    receipt = createReceipt({
      action: 'install', store: { name: 'Someone else’s store', url: `http://${proxy.host}/index.json` },
      service: { id: 'notes', name: 'Notes', version: '1.2.0' }, cell: { name: 'lab', destination: 'pic@cell.invalid', root: '/opt/pic' },
      image: ref, digest: img.digest, verification: receiptVerification(report), cellVerification: null,
      mode: { value: 'enforce', source: 'config', detail: 'enforce' }, decision: 'block', outcome: 'rejected', error: null,
    });
  } finally {
    sources.close();
  }
  // Signed since: a re-check that does reach the registry sees the change.
  const payload = cosignPayload(`${proxy.host}/pic/notes`, img.digest);
  await pushClassicSignatures(reg.host, 'pic/notes', img.digest, [{ payload, signature: signPayload(key, payload) }]);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A helpdesk machine: its own data dir with the given trusted keys and stores. */
function helpdesk(name: string, opts: { keys: string[]; storeImages?: string[] }): IpcRouter {
  const home = join(work, name);
  mkdirSync(join(home, 'trust'), { recursive: true });
  mkdirSync(join(home, 'appcfg', 'cosign'), { recursive: true });
  opts.keys.forEach((pem, i) => writeFileSync(join(home, 'trust', `k${i}.pub`), pem));
  if (opts.storeImages) {
    const services = opts.storeImages.map((image, i) => ({ id: `svc-${i}`, name: `Service ${i}`, version: '1.0.0', image }));
    writeFileSync(join(home, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'Our store', services }));
    writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Our store', url: pathToFileURL(join(home, 'index.json')).href }] }));
  }
  return createIpcRouter(createServices({ transport: 'browser-shell', env: { PIC_STORE_HOME: home, PIC_STORE_APP_CONFIG: join(home, 'appcfg') }, startDir: home, openExternal: vi.fn(async () => false) }));
}

async function recheck(router: IpcRouter, arg: Record<string, unknown>): Promise<RecheckResult> {
  const r = (await router.dispatch('activity:recheck', { receipt, ...arg }, sender)) as IpcResult<RecheckResult>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

describe('activity:recheck contacts nothing the receipt alone names', () => {
  it('says "not re-checked" without any request until that host is confirmed; then verifies there', async () => {
    const router = helpdesk('confirm', { keys: [key.pem], storeImages: ['images.example/other/app:1'] });
    proxy.requests.length = 0;
    const before = await recheck(router, {});
    expect(before).toMatchObject({ imageState: 'not-checked', registry: proxy.host, report: null });
    expect(before.summary).toContain(`Image not re-checked: its registry ${proxy.host} is not one of your configured stores' registries`);
    // Confirming some other host is no confirmation of this one.
    expect((await recheck(router, { confirmRegistry: reg.host })).imageState).toBe('not-checked');
    expect(proxy.requests).toEqual([]);

    const after = await recheck(router, { confirmRegistry: proxy.host });
    expect(after.imageState).toBe('checked');
    expect(after.report?.reason).toBe('VERIFIED');
    expect(after.summary).toContain('now verified (was not verified)');
    expect(proxy.requests.length).toBeGreaterThan(0);
  }, 60_000);

  it('checks at once when one of the person’s own configured stores lists that registry', async () => {
    const router = helpdesk('own-store', { keys: [key.pem], storeImages: [`${proxy.host}/pic/other:2`] });
    proxy.requests.length = 0;
    const r = await recheck(router, {});
    expect(r.imageState).toBe('checked');
    expect(r.report?.verified).toBe(true);
    expect(proxy.requests.length).toBeGreaterThan(0);
  }, 60_000);

  it('a machine without the key the receipt was judged under cannot judge, and contacts nothing even when confirmed', async () => {
    const other = await makeTestKey(join(work, 'keys'), 'p256');
    const router = helpdesk('no-key', { keys: [other.pem] });
    proxy.requests.length = 0;
    const r = await recheck(router, { confirmRegistry: proxy.host });
    expect(r).toMatchObject({ imageState: 'cannot-judge', report: null, changes: [] });
    expect(r.missingKeys).toHaveLength(1);
    expect(r.summary).toMatch(/^This machine cannot judge: it lacks key [0-9a-f]{64}, which the receipt was judged under\./);
    expect(proxy.requests).toEqual([]);
  }, 60_000);

  it('refuses a malformed confirmation', async () => {
    const router = helpdesk('bad-arg', { keys: [key.pem] });
    const r = (await router.dispatch('activity:recheck', { receipt, confirmRegistry: 42 }, sender)) as IpcResult<RecheckResult>;
    expect(r.ok ? null : r.error.code).toBe('IPC_BAD_ARGUMENT');
  });
});
