import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../scripts/testbed/cosign';
import { OCI_MANIFEST, pushImage, sha256 } from '../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { expect, startShell, test } from './shell-fixture';
import { checkLabel } from '../electron/core/catalogue/short-labels';

/**
 * The reason codes the registry e2e lacks, from a real registry (PAYLOAD_INVALID,
 * REFERENCE_INVALID), a hostile loopback registry written here (CONTENT_DIGEST_MISMATCH,
 * REGISTRY_AUTH_FAILED, LIMIT_EXCEEDED) and a store without a usable key (TRUST_ROOT_INVALID);
 * the whole-store progress bar, Cancel and Re-verify all (a gate on the hostile registry holds
 * some services mid-check); and the Why panel's time, cached/fresh, Re-verify and links.
 */
let reg: TestRegistry;
let hostile: http.Server;
let hostileHost = '';
let work: string;
let key: TestKey;
/** While closed, the gated repositories of the hostile registry hold their answers. */
let gateOpen = true;
const held = new Set<http.ServerResponse>();
const routes = new Map<string, (res: http.ServerResponse) => void>();
const expected: Record<string, { reason: string; check: string }> = {};
const services: Record<string, unknown>[] = [];
const GATED = Array.from({ length: 12 }, (_, i) => `slow${i}`);

function send(res: http.ServerResponse, body: Buffer, type = OCI_MANIFEST, status = 200) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

/** An image manifest on the hostile registry; `serve` decides what its manifest URL answers. */
function hostileImage(repo: string, serve?: (res: http.ServerResponse, manifest: Buffer) => void): string {
  const layer = Buffer.from(`layer of ${repo}`);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(Buffer.from('{}')), size: 2 }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }] }));
  const digest = sha256(manifest);
  routes.set(`/v2/${repo}/manifests/${digest}`, (res) => (serve ? serve(res, manifest) : send(res, manifest)));
  return `${hostileHost}/${repo}@${digest}`;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  work = mkdtempSync(join(tmpdir(), 'pic-store-e2e-outcomes-'));
  reg = await startRegistry();
  key = await makeTestKey(join(work, 'keys'), 'p256');
  hostile = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (path === '/v2/' || path === '/v2') return send(res, Buffer.from('{}'), 'application/json');
    const h = routes.get(path);
    if (h) return h(res);
    send(res, Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'), 'application/json', 404);
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  hostileHost = `127.0.0.1:${(hostile.address() as AddressInfo).port}`;

  const svc = (id: string, image: string, reason: string, check: string, extra: Record<string, unknown> = {}) => {
    services.push({ id, name: `Svc ${id}`, version: '1.0.0', image, tagline: `The ${id} service`, category: 'test', ...extra });
    expected[id] = { reason, check };
  };
  const good = await pushImage(reg.host, 'out/good');
  await pushClassicSignatures(reg.host, 'out/good', good.digest, [{ payload: cosignPayload(`${reg.host}/out/good`, good.digest), signature: signPayload(key, cosignPayload(`${reg.host}/out/good`, good.digest)) }]);
  svc('good', good.ref, 'VERIFIED', '', { description: 'Docs: [the manual](https://example.invalid/manual)' });
  const odd = await pushImage(reg.host, 'out/odd');
  await pushClassicSignatures(reg.host, 'out/odd', odd.digest, [{ payload: Buffer.from('["not a cosign payload"]'), signature: signPayload(key, Buffer.from('["not a cosign payload"]')) }]);
  svc('odd', odd.ref, 'PAYLOAD_INVALID', 'digest-binding');
  svc('badref', `${reg.host}/out/x@sha256:xyz`, 'REFERENCE_INVALID', 'reference');
  svc('swapped', hostileImage('bad/manifest', (res) => send(res, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] })))), 'CONTENT_DIGEST_MISMATCH', 'manifest');
  svc('locked', hostileImage('bad/e401', (res) => send(res, Buffer.from(''), 'text/plain', 401)), 'REGISTRY_AUTH_FAILED', 'registry');
  svc('huge', hostileImage('bad/huge', (res) => send(res, Buffer.alloc(8 * 1024 * 1024, 0x20))), 'LIMIT_EXCEEDED', 'manifest');
  for (const id of GATED) {
    const ref = hostileImage(`gated/${id}`, (res, manifest) => {
      if (gateOpen) return send(res, manifest);
      held.add(res);
    });
    // Reachable and unsigned once the gate is open.
    svc(id, ref, 'SIGNATURE_NOT_FOUND', 'signature-found');
  }
});

test.afterAll(async () => {
  for (const r of held) r.destroy();
  hostile?.closeAllConnections();
  await new Promise<void>((r) => (hostile ? hostile.close(() => r()) : r()));
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function seed(home: string, list: Record<string, unknown>[], withKey = true) {
  const indexPath = join(home, '..', 'index.json');
  writeFileSync(indexPath, JSON.stringify({ schemaVersion: 1, name: 'Outcomes', services: list }));
  const otherPath = join(home, '..', 'other.json');
  writeFileSync(otherPath, JSON.stringify({ schemaVersion: 1, name: 'Other', services: [list[0]] }));
  if (withKey) {
    mkdirSync(join(home, 'trust'), { recursive: true });
    copyFileSync(key.pubPath, join(home, 'trust', 'store.pub'));
  }
  writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Outcomes', url: pathToFileURL(indexPath).href }, { name: 'Other', url: pathToFileURL(otherPath).href }] }));
}

const card = (page: Page, id: string) => page.locator(`[data-service-id="${id}"]`);

test('each remaining reason code gets its card and the Why panel names the failing check', async ({ page }) => {
  test.setTimeout(120_000);
  const fast = services.filter((s) => !GATED.includes(s.id as string));
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, fast) });
  try {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    for (const s of fast) {
      const id = s.id as string;
      await expect(card(page, id)).toHaveAttribute('data-verification', expected[id]!.reason, { timeout: 40_000 });
    }
    for (const s of fast) {
      const id = s.id as string;
      if (!expected[id]!.check) continue;
      await card(page, id).click();
      await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', expected[id]!.reason);
      await expect(page.getByTestId('why-panel')).toHaveAttribute('data-failed-check', expected[id]!.check);
      await expect(page.getByTestId('why-failed-check')).toContainText(`Failing check: ${checkLabel(expected[id]!.check)} ${expected[id]!.check} —`);
      await page.keyboard.press('Escape');
    }
  } finally {
    await stop();
  }
});

test('a store with no usable key: every card is TRUST_ROOT_INVALID and the Why panel says no trusted key', async ({ page }) => {
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, services.filter((s) => s.id === 'good' || s.id === 'odd'), false) });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'TRUST_ROOT_INVALID', { timeout: 30_000 });
    await expect(card(page, 'odd')).toHaveAttribute('data-verification', 'TRUST_ROOT_INVALID');
    await card(page, 'good').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'TRUST_ROOT_INVALID');
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-failed-check', /.+/);
    await expect(page.getByTestId('why-panel')).toContainText('No trusted key was available.');
  } finally {
    await stop();
  }
});

test('progress bar, Cancel (unchecked services say "Not checked", earlier verdicts kept) and Re-verify all', async ({ page }) => {
  test.setTimeout(120_000);
  const list = services.filter((s) => ['good', 'badref', ...GATED].includes(s.id as string));
  gateOpen = false;
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, list) });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    // The first run: the two fast services finish, the gated ones are held mid-check.
    await expect(page.getByTestId('verify-progress')).toBeVisible({ timeout: 20_000 });
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 30_000 });
    await expect(card(page, 'badref')).toHaveAttribute('data-verification', 'REFERENCE_INVALID');
    await expect(card(page, 'slow11')).toHaveAttribute('data-verification', 'pending');
    await expect(page.getByText(/Verifying \d+ of 14…/)).toBeVisible();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(page.getByTestId('verify-status')).toContainText('Verification cancelled', { timeout: 15_000 });
    await expect(page.getByTestId('verify-status')).toContainText('not checked');
    for (const id of GATED) await expect(card(page, id)).toHaveAttribute('data-verification', 'unchecked');
    await expect(card(page, 'slow0').locator('[data-badge="unchecked"]')).toContainText('Not checked');
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'VERIFIED');
    await expect(page.getByTestId('store-summary').locator('[data-summary="unchecked"] .summary__count')).toHaveText(String(GATED.length));
    await expect(page.getByTestId('store-summary').locator('[data-summary="pending"]')).toHaveCount(0);
    // A not-checked service's page says so (not "still being checked") and offers Re-verify.
    await card(page, 'slow0').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'unchecked');
    await expect(page.getByTestId('why-panel')).toContainText('Not checked');
    await page.keyboard.press('Escape');

    // Re-verify all with the gate open: every service reached.
    gateOpen = true;
    for (const r of held) r.destroy();
    held.clear();
    await page.getByRole('button', { name: 'Re-verify all' }).click();
    await expect(page.getByTestId('verify-status')).toHaveText(`All ${list.length} services checked.`, { timeout: 40_000 });
    for (const id of GATED) await expect(card(page, id)).toHaveAttribute('data-verification', 'SIGNATURE_NOT_FOUND');

    // Re-verify all again, held and cancelled: the earlier verdicts stay (marked stale meanwhile).
    gateOpen = false;
    await page.getByRole('button', { name: 'Re-verify all' }).click();
    await expect(page.getByTestId('verify-progress')).toBeVisible();
    await expect(card(page, 'slow11')).toHaveAttribute('data-stale', 'true');
    await expect(card(page, 'slow11')).toHaveAttribute('data-verification', 'SIGNATURE_NOT_FOUND');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(page.getByTestId('verify-status')).toContainText('Verification cancelled', { timeout: 15_000 });
    for (const id of GATED) await expect(card(page, id)).toHaveAttribute('data-verification', 'SIGNATURE_NOT_FOUND');
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'VERIFIED');
    await expect(page.getByTestId('store-summary').locator('[data-summary="unchecked"]')).toHaveCount(0);
  } finally {
    gateOpen = true;
    for (const r of held) r.destroy();
    held.clear();
    await stop();
  }
});

test('the Why panel shows when and whether cached, Re-verify re-checks, and a link main cannot open shows its address', async ({ page }) => {
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, services.filter((s) => s.id === 'good' || s.id === 'odd')) });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 30_000 });
    await card(page, 'good').click();
    const why = page.getByTestId('why-panel');
    await expect(why).toHaveAttribute('data-reason', 'VERIFIED');
    await expect(page.getByTestId('why-cached')).toHaveText('fresh');
    const first = await page.getByTestId('why-verified-at').getAttribute('data-verified-at');
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(page.getByTestId('why-verified-at')).not.toHaveText('unknown');
    await page.waitForTimeout(20);
    await page.getByTestId('why-reverify').click();
    await expect(page.getByTestId('why-verified-at')).not.toHaveAttribute('data-verified-at', first!, { timeout: 20_000 });
    await expect(page.getByTestId('why-cached')).toHaveText('fresh');
    await expect(why).toHaveAttribute('data-reason', 'VERIFIED');

    // An https link goes to main; the shell has no display (opened: false), so the page shows the
    // address instead and does not navigate.
    const before = page.url();
    await page.locator('.markdown').getByText('the manual').click();
    await expect(page.getByTestId('external-fallback')).toContainText('https://example.invalid/manual');
    expect(page.url()).toBe(before);

    // Back to the list, to another store and back: the verdict now comes from the badge cache.
    await page.keyboard.press('Escape');
    const picker = page.getByRole('combobox', { name: 'Store', exact: true });
    await picker.selectOption({ label: 'Other' });
    await expect(card(page, 'good')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 20_000 });
    await card(page, 'good').click();
    await expect(page.getByTestId('why-cached')).toHaveText('from the badge cache');
  } finally {
    await stop();
  }
});
