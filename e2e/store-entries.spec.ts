import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../scripts/testbed/cosign';
import { pushImage } from '../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { expect, startShell, test } from './shell-fixture';

/**
 * Issue 12 items 4 and 7 in real Chromium against a real registry: every index entry is its own
 * (a repeated id is MANIFEST_INVALID at /services/N/id while the first entry keeps its verdict and
 * page), and bidi / invisible characters in store text are shown as visible escapes.
 */
let reg: TestRegistry;
let work: string;
let key: TestKey;
let goodRef = '';
let unsignedRef = '';

test.beforeAll(async () => {
  test.setTimeout(90_000);
  work = mkdtempSync(join(tmpdir(), 'pic-store-e2e-entries-'));
  reg = await startRegistry();
  key = await makeTestKey(join(work, 'keys'), 'p256');
  const good = await pushImage(reg.host, 'entries/good');
  const payload = cosignPayload(`${reg.host}/entries/good`, good.digest);
  await pushClassicSignatures(reg.host, 'entries/good', good.digest, [{ payload, signature: signPayload(key, payload) }]);
  goodRef = good.ref;
  unsignedRef = (await pushImage(reg.host, 'entries/unsigned')).ref;
});

test.afterAll(async () => {
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function seed(home: string, services: Record<string, unknown>[]) {
  const indexPath = join(home, '..', 'index.json');
  writeFileSync(indexPath, JSON.stringify({ schemaVersion: 1, name: 'Entries', services }));
  mkdirSync(join(home, 'trust'), { recursive: true });
  copyFileSync(key.pubPath, join(home, 'trust', 'store.pub'));
  writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Entries', url: pathToFileURL(indexPath).href }] }));
}

const entry = (i: number) => `[data-entry-index="${i}"]`;

test('a repeated id: the later entry is MANIFEST_INVALID at /services/1/id, the first keeps its badge and its own page', async ({ page }) => {
  test.setTimeout(90_000);
  const services = [
    { id: 'twin', name: 'First Twin', version: '1.0.0', image: goodRef, tagline: 'The signed one', category: 'test' },
    { id: 'twin', name: 'Second Twin', version: '2.0.0', image: unsignedRef, tagline: 'The impostor', category: 'test' },
    { id: 'other', name: 'Other', version: '1.0.0', image: unsignedRef, tagline: 'Unsigned', category: 'test' },
  ];
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, services) });
  try {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator(entry(0))).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 40_000 });
    await expect(page.locator(entry(1))).toHaveAttribute('data-verification', 'MANIFEST_INVALID');
    await expect(page.locator(entry(2))).toHaveAttribute('data-verification', 'SIGNATURE_NOT_FOUND');
    await expect(page.locator(entry(0))).toContainText('First Twin');
    // One "will be refused" style for whatever an enforcing cell refuses, and the card says so.
    await expect(page.locator(entry(0)).getByTestId('card-refused')).toHaveCount(0);
    for (const i of [1, 2]) {
      await expect(page.locator(entry(i)).getByTestId('card-refused')).toHaveText('Enforcing cells refuse it');
      await expect(page.locator(entry(i)).locator('.badge')).toHaveClass(/badge--refused/);
    }
    // Both cards carry the same id; the badges stay with their positions after a fresh run too.
    await expect(page.locator('[data-service-id="twin"]')).toHaveCount(2);
    await page.getByRole('button', { name: /Re-verify all/ }).click();
    await expect(page.locator(entry(0))).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 40_000 });
    await expect(page.locator(entry(1))).toHaveAttribute('data-verification', 'MANIFEST_INVALID');

    // The first entry opens its own page, with its own verdict.
    await page.locator(entry(0)).click();
    await expect(page.locator('#service-title')).toHaveText('First Twin');
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'VERIFIED');
    // Issue 17 item 2: the panel leads with who vouches, in words: origin, short fingerprint, file.
    await expect(page.getByTestId('why-vouch')).toContainText(/^Signed by your own key — fingerprint [0-9a-f]{8}… \(store\.pub\)\./);
    await expect(page.getByTestId('why-vouch')).not.toContainText('local');
    await page.keyboard.press('Escape');
    // The later duplicate opens ITS page: invalid, the error at /services/1/id named.
    await page.locator(entry(1)).click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'MANIFEST_INVALID');
    await expect(page.locator('[data-service-page="twin"]')).toContainText('/services/1/id');
    await expect(page.getByTestId('why-vouch')).toContainText('No trusted key vouches for this image: a default (enforce) cell will refuse it.');
    await page.keyboard.press('Escape');
    // Re-checking the first from its page keeps the other entry's badge where it was.
    await page.locator(entry(0)).click();
    await page.getByTestId('why-panel').getByRole('button', { name: /Re-verify/ }).click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'VERIFIED', { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect(page.locator(entry(0))).toHaveAttribute('data-verification', 'VERIFIED');
    await expect(page.locator(entry(1))).toHaveAttribute('data-verification', 'MANIFEST_INVALID');
  } finally {
    await stop();
  }
});

test('an RTL override that makes "evil" read "live" is shown escaped, as are zero-width and isolate characters', async ({ page }) => {
  test.setTimeout(90_000);
  const services = [
    { id: 'rtl', name: '\u202elive', version: '1.0.0', image: goodRef, tagline: 'zero\u200bwidth and \u2066isolate\u2069', category: 'test', developer: { name: 'Dev\u202e', url: 'https://example.invalid/dev' } },
  ];
  const { shell, stop } = await startShell({ seed: ({ home }) => seed(home, services) });
  try {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    const card = page.locator('[data-service-id="rtl"]');
    await expect(card).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 40_000 });
    // What a person sees: the override as a visible escape, never the override itself.
    await expect(card.locator('.card__name')).toHaveText('\\u202elive');
    await expect(card.locator('.card__tagline')).toHaveText('zero\\u200bwidth and \\u2066isolate\\u2069');
    const cardText = await card.innerText();
    expect(cardText).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    await expect(card).toHaveAccessibleName(/^\\u202elive ?v1\.0\.0/);
    await card.click();
    await expect(page.locator('#service-title')).toHaveText('\\u202elive');
    await expect(page.locator('.service-page__tagline')).toHaveText('zero\\u200bwidth and \\u2066isolate\\u2069');
    const pageText = await page.locator('[data-service-page="rtl"]').innerText();
    expect(pageText).toContain('Dev\\u202e');
    expect(pageText).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
  } finally {
    await stop();
  }
});
