import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosignHome, cosignKeyPair, cosignPayload, cosignSign, makeTestKey, pushClassicSignatures, signPayload, type CosignHome } from '../scripts/testbed/cosign';
import { pushImage } from '../scripts/testbed/images';
import { freePort, startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { expect, startShell, test } from './shell-fixture';
import { checkLabel } from '../electron/core/catalogue/short-labels';

/**
 * The store browser against a real registry with real cosign signatures: one service per
 * outcome, each card's badge, the Why panel's failing check, an inert hostile description, the
 * summary counts, and the unreachable / not-JSON / partly-invalid index states.
 */
const HOSTILE = [
  '# Hostile',
  '<script>window.__pwned = 1; alert(1)</script>',
  '<img src="x" onerror="window.__pwned = 2">',
  '<iframe src="https://example.invalid/"></iframe>',
  '[click me](javascript:window.__pwned=3)',
  '[remote](https://example.invalid/page)',
  '![tracker](https://example.invalid/pixel.png)',
  '![svg](data:image/svg+xml;base64,' + Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=4"><script>window.__pwned=5</script></svg>').toString('base64') + ')',
  '<svg onload="window.__pwned=6"></svg>',
].join('\n\n');

let reg: TestRegistry;
let cosign: CosignHome;
let work: string;
let trustPub: string;
let extraPub: string;
const expected: Record<string, string> = {};
const services: Record<string, unknown>[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  reg = await startRegistry();
  cosign = await cosignHome();
  work = mkdtempSync(join(tmpdir(), 'pic-store-e2e-'));
  const trusted = await cosignKeyPair(cosign, 'trusted');
  const other = await cosignKeyPair(cosign, 'other');
  const node = await makeTestKey(join(work, 'keys'), 'p256');
  trustPub = trusted.pub;
  extraPub = node.pubPath;
  const svc = (id: string, image: string, reason: string, extra: Record<string, unknown> = {}) => {
    services.push({ id, name: `Svc ${id}`, version: '1.0.0', image, tagline: `The ${id} service`, category: 'test', ...extra });
    expected[id] = reason;
  };
  const good = await pushImage(reg.host, 'e2e/good');
  await cosignSign(cosign, trusted.key, good.ref);
  svc('good', good.ref, 'VERIFIED', { description: HOSTILE, ports: [{ container: 80, host: 8080, protocol: 'tcp' }], environment: { MODE: 'demo' }, volumes: [{ name: 'data', path: '/data' }] });
  const unsigned = await pushImage(reg.host, 'e2e/unsigned');
  svc('unsigned', unsigned.ref, 'SIGNATURE_NOT_FOUND');
  const forged = await pushImage(reg.host, 'e2e/forged');
  await cosignSign(cosign, other.key, forged.ref);
  svc('forged', forged.ref, 'SIGNATURE_INVALID');
  const moved = await pushImage(reg.host, 'e2e/moved');
  const elsewhere = await pushImage(reg.host, 'e2e/moved', { tag: 'other' });
  await pushClassicSignatures(reg.host, 'e2e/moved', moved.digest, [{ payload: cosignPayload(`${reg.host}/e2e/moved`, elsewhere.digest), signature: signPayload(node, cosignPayload(`${reg.host}/e2e/moved`, elsewhere.digest)) }]);
  svc('moved', moved.ref, 'SIGNATURE_DIGEST_MISMATCH');
  await pushImage(reg.host, 'e2e/tagged', { tag: 'v1' });
  svc('tagged', `${reg.host}/e2e/tagged:v1`, 'DIGEST_MISSING');
  svc('missing', `${reg.host}/e2e/missing@sha256:${'0'.repeat(64)}`, 'IMAGE_NOT_FOUND');
  const deadPort = await freePort();
  svc('offline', `127.0.0.1:${deadPort}/e2e/x@${good.digest}`, 'REGISTRY_UNREACHABLE');
  services.push({ id: 'broken', name: 'Broken listing', version: '1', image: good.ref, privileged: true });
  expected.broken = 'MANIFEST_INVALID';
});

test.afterAll(async () => {
  await reg?.stop();
  await cosign?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function seedStore(home: string, indexText: string, extraStores: { name: string; url: string }[] = []): string {
  const indexPath = join(home, '..', 'index.json');
  writeFileSync(indexPath, indexText);
  mkdirSync(join(home, 'trust'), { recursive: true });
  copyFileSync(trustPub, join(home, 'trust', 'store.pub'));
  copyFileSync(extraPub, join(home, 'trust', 'node.pub'));
  writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'E2E Store', url: pathToFileURL(indexPath).href }, ...extraStores] }));
  return indexPath;
}

test('every outcome gets its badge, the Why panel names the failing check, and the summary counts match', async ({ page, problems }) => {
  test.setTimeout(90_000);
  const { shell, stop } = await startShell({ seed: ({ home }) => void seedStore(home, JSON.stringify({ schemaVersion: 1, name: 'E2E Store', services })) });
  try {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    for (const [id, reason] of Object.entries(expected)) {
      await expect(page.locator(`[data-service-id="${id}"]`)).toHaveAttribute('data-verification', reason, { timeout: 30_000 });
    }
    const counts: Record<string, number> = {};
    for (const r of Object.values(expected)) counts[r] = (counts[r] ?? 0) + 1;
    for (const [reason, n] of Object.entries(counts)) {
      await expect(page.getByTestId('store-summary').locator(`[data-summary="${reason}"] .summary__count`)).toHaveText(String(n));
    }
    const failingCheck: Record<string, string> = { unsigned: 'signature-found', forged: 'signature-valid', moved: 'digest-binding', tagged: 'digest-pinned', missing: 'manifest', offline: 'registry' };
    for (const [id, check] of Object.entries(failingCheck)) {
      await page.locator(`[data-service-id="${id}"]`).click();
      await expect(page.getByTestId('why-panel')).toHaveAttribute('data-failed-check', check);
      // The check's label leads, its id follows for the helpdesk.
      await expect(page.getByTestId('why-failed-check')).toContainText(`Failing check: ${checkLabel(check)} ${check} —`);
      await page.keyboard.press('Escape');
    }
    await page.locator('[data-service-id="broken"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'MANIFEST_INVALID');
    await expect(page.getByTestId('why-panel')).toContainText('/services/7/privileged');
    await page.keyboard.press('Escape');
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});

test('a hostile description renders inert: no dialog, no script, no navigation, no request', async ({ page, problems }) => {
  const { shell, stop } = await startShell({ seed: ({ home }) => void seedStore(home, JSON.stringify({ schemaVersion: 1, name: 'E2E Store', services })) });
  try {
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    const origin = shell.origin;
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.locator('[data-service-id="good"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'VERIFIED', { timeout: 30_000 });
    const md = page.locator('.markdown');
    await expect(md).toContainText('Hostile');
    expect(await md.locator('script, iframe, svg, [onerror], [onload]').count()).toBe(0);
    expect(await md.locator('a[href^="javascript:"]').count()).toBe(0);
    await md.getByText('click me').click();
    await md.getByText('remote').click();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(page.url()).toBe(`${origin}/`);
    // What it will run is labelled as coming from the listing, not signed.
    await expect(page.getByText('from the store listing, not signed').first()).toBeVisible();
    await expect(page.getByTestId('service-digest')).toHaveText(/^sha256:[0-9a-f]{64}$/);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});

test('an unreachable store, an index that is not JSON, and one with invalid manifests each give the right state', async ({ page }) => {
  const deadPort = await freePort();
  let notJsonPath = '';
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      notJsonPath = join(home, '..', 'not-json.json');
      writeFileSync(notJsonPath, '<html>this is not a store</html>');
      seedStore(home, JSON.stringify({ schemaVersion: 1, name: 'E2E Store', services }), [
        { name: 'Dead store', url: `http://127.0.0.1:${deadPort}/index.json` },
        { name: 'Not JSON', url: pathToFileURL(notJsonPath).href },
      ]);
    },
  });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    // Partly invalid: the rest of the store still works.
    await expect(page.locator('[data-service-id="broken"]')).toHaveAttribute('data-verification', 'MANIFEST_INVALID', { timeout: 30_000 });
    await expect(page.locator('[data-service-id="good"]')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 30_000 });
    const picker = page.getByRole('combobox', { name: 'Store', exact: true });
    await picker.selectOption({ label: 'Dead store' });
    await expect(page.getByTestId('store-error')).toHaveAttribute('data-code', 'INDEX_UNREADABLE');
    await expect(page.getByTestId('store-error')).toContainText('could not be fetched');
    await picker.selectOption({ label: 'Not JSON' });
    await expect(page.getByTestId('store-error')).toHaveAttribute('data-code', 'INDEX_INVALID');
    // The last good copy is shown, marked stale, once a store that loaded before fails.
    await picker.selectOption({ label: 'E2E Store' });
    await expect(page.locator('[data-service-id="good"]')).toBeVisible();
    writeFileSync(join(shell.home, '..', 'index.json'), 'not json any more');
    rmSync(join(shell.home, '..', 'index.json'));
    await picker.selectOption({ label: 'Not JSON' });
    await picker.selectOption({ label: 'E2E Store' });
    await expect(page.getByTestId('stale-banner')).toContainText('last good copy');
    await expect(page.locator('[data-service-id="good"]')).toBeVisible();
  } finally {
    await stop();
  }
});
