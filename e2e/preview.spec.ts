import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from '../scripts/testbed/cosign';
import { pushImage, type PushedImage } from '../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Issue 8, service developers: a local manifest with an error shows the error's JSON path;
 * saving a fixed file re-renders the preview live with the store's card, the page and the
 * per-mode table; the developer's own key is tried separately and never becomes trusted.
 */
let reg: TestRegistry;
let cosign: CosignHome;
let storeKey: { key: string; pub: string };
let devKey: { key: string; pub: string };
let img: PushedImage;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [reg, cosign] = await Promise.all([startRegistry(), cosignHome()]);
  [storeKey, devKey] = await Promise.all([cosignKeyPair(cosign, 'store'), cosignKeyPair(cosign, 'dev')]);
  work = mkdtempSync(join(tmpdir(), 'pic-preview-e2e-'));
  img = await pushImage(reg.host, 'dev/notes');
  // Signed by the developer's key only: the store's trust root does not accept it.
  await cosignSign(cosign, devKey.key, img.ref);
});

test.afterAll(async () => {
  await reg?.stop();
  await cosign?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function manifest(extra: Record<string, unknown> = {}) {
  return {
    id: 'notes',
    name: 'Team Notes',
    version: '2.0.0',
    image: img.ref,
    tagline: 'Shared notes for the whole house',
    category: 'productivity',
    description: '# Team Notes\n\nWrite things down **together**.',
    developer: { name: 'Ada Dev', url: 'https://dev.example/notes' },
    ports: [{ container: 8080, host: 8088, protocol: 'tcp' }],
    volumes: [{ name: 'notes-data', path: '/var/lib/notes' }],
    environment: { NOTES_MODE: 'team' },
    ...extra,
  };
}

test('preview: error path, live fix, card + page + per-mode table, developer key tried separately', async ({ page, problems }) => {
  test.setTimeout(90_000);
  const file = join(work, 'manifest.json');
  writeFileSync(file, JSON.stringify(manifest({ ports: [{ container: 8080, host: 0, protocol: 'tcp' }] }), null, 2));
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      mkdirSync(join(home, 'trust'));
      writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(storeKey.pub));
    },
  });
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByLabel(/Manifest or index to preview/).fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('preview-meta')).toHaveAttribute('data-kind', 'manifest');
    const err = page.getByTestId('schema-error');
    await expect(err).toHaveCount(1);
    await expect(err).toHaveAttribute('data-path', '/ports/0/host');
    await expect(err).toContainText('must be 1–65535');
    // Issue 17 item 5: the invalid listing still shows the card and page it can, the error marked
    // next to the field it is about, and its verdict says no mode installs it.
    const invalidCard = page.getByTestId('preview-card').locator('[data-service-id="notes"]');
    await expect(invalidCard).toContainText('Team Notes');
    await expect(invalidCard).toHaveAttribute('data-verification', 'MANIFEST_INVALID');
    const invalidPage = page.getByTestId('preview-page');
    await expect(invalidPage.getByRole('heading', { name: 'Team Notes', level: 2 })).toBeVisible();
    await expect(invalidPage).toContainText('Write things down');
    const marked = invalidPage.getByTestId('field-errors');
    await expect(marked).toHaveCount(1);
    await expect(marked.locator('li')).toHaveAttribute('data-path', '/ports/0/host');
    await expect(marked).toContainText('must be 1–65535');
    // Marked in the Ports row of "What it will run", not somewhere else on the page.
    await expect(invalidPage.locator('.runs__list > div').filter({ hasText: 'Ports (from the store listing' }).getByTestId('field-errors')).toHaveCount(1);
    for (const mode of ['enforce', 'warn', 'off']) {
      await expect(page.getByTestId('mode-table').locator(`[data-mode="${mode}"]`)).toHaveAttribute('data-decision', 'block');
      await expect(page.getByTestId('mode-table').locator(`[data-mode="${mode}"]`)).toContainText('cannot be installed in any mode');
    }
    await page.screenshot({ path: screenshotPath('preview-error.png') });

    // The developer saves a fixed file the way editors do (write + rename): the preview follows.
    writeFileSync(`${file}.tmp`, JSON.stringify(manifest(), null, 2));
    renameSync(`${file}.tmp`, file);
    await expect(page.getByTestId('schema-error')).toHaveCount(0);
    const card = page.getByTestId('preview-card').locator('[data-service-id="notes"]');
    await expect(card).toContainText('Team Notes');
    await expect(card).toHaveAttribute('data-verification', 'SIGNATURE_INVALID');
    const pg = page.getByTestId('preview-page');
    await expect(pg.getByRole('heading', { name: 'Team Notes', level: 2 })).toBeVisible();
    await expect(pg).toContainText('Write things down');
    await expect(pg).toContainText('8088 → 8080/tcp');
    await expect(pg).toContainText('from the store listing, not signed');
    const table = page.getByTestId('mode-table');
    await expect(table.locator('[data-mode="enforce"]')).toHaveAttribute('data-decision', 'block');
    await expect(table.locator('[data-mode="enforce"]')).toContainText('blocked because signatures are attached to');
    await expect(table.locator('[data-mode="warn"]')).toContainText('installs with a warning');
    await expect(table.locator('[data-mode="off"]')).toHaveAttribute('data-decision', 'allow');
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'SIGNATURE_INVALID');
    // The page is the store's own ServicePage (same Why panel, digest row), not a look-alike.
    await expect(pg.locator('[data-service-page="notes"]').getByTestId('why-panel')).toBeVisible();
    await expect(pg.getByTestId('service-digest')).toHaveText(/^sha256:[0-9a-f]{64}$/);

    // The developer's own key: verified with it, still not trusted by the app.
    await page.getByLabel('Your public key (absolute path, optional)').fill(devKey.pub);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByTestId('dev-key-result')).toContainText('carries a valid cosign signature');
    await expect(page.getByTestId('dev-key-result').locator('[data-badge]')).toHaveAttribute('data-badge', 'VERIFIED');
    await expect(card).toHaveAttribute('data-verification', 'SIGNATURE_INVALID');
    await page.screenshot({ path: screenshotPath('preview.png') });
    await pg.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('preview-card-page.png') });

    // Signed by the store key now: a save re-verifies, every mode installs.
    await cosignSign(cosign, storeKey.key, img.ref);
    writeFileSync(file, JSON.stringify(manifest({ version: '2.0.1' }), null, 2));
    await expect(page.getByTestId('preview-page')).toContainText('Version 2.0.1');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(card).toHaveAttribute('data-verification', 'VERIFIED');
    await expect(table.locator('[data-mode="enforce"]')).toHaveAttribute('data-decision', 'allow');

    // Broken JSON mid-edit: the position is shown, nothing crashes.
    writeFileSync(file, '{\n  "id": "notes",\n  "name": \n');
    await expect(page.getByTestId('schema-error')).toContainText('line 4, column 1');
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('an image string that is not a reference is never described as installing, in any mode (issue 17 item 5)', async ({ page, problems }) => {
  const file = join(work, 'bad-image.json');
  writeFileSync(file, JSON.stringify(manifest({ image: 'Not A Valid::Reference' }), null, 2));
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByLabel(/Manifest or index to preview/).fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const table = page.getByTestId('mode-table');
    await expect(table).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('preview-card').locator('[data-service-id="notes"]')).toHaveAttribute('data-verification', 'REFERENCE_INVALID');
    for (const mode of ['enforce', 'warn', 'off']) {
      const row = table.locator(`[data-mode="${mode}"]`);
      await expect(row).toHaveAttribute('data-decision', 'block');
      await expect(row).toContainText('cannot be installed in any mode');
      await expect(row).not.toContainText('installs');
    }
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('preview of an index: each service with its own errors', async ({ page, problems }) => {
  const file = join(work, 'index.json');
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, name: 'Dev store', services: [manifest(), { ...manifest(), id: 'Bad_Id', name: '' }] }));
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByLabel(/Manifest or index to preview/).fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('preview-meta')).toContainText('Index “Dev store” with 2 service(s)');
    await expect(page.getByTestId('preview-card')).toBeVisible();
    await page.getByLabel('Service in this index').selectOption('1');
    await expect(page.getByTestId('schema-error')).toHaveCount(2);
    await expect(page.getByTestId('schema-error').first()).toHaveAttribute('data-path', '/services/1/id');
    // Its card and page are drawn from the fields that are valid; the bad id and empty name are
    // marked beside the heading, which falls back to the listing's id.
    await expect(page.getByTestId('preview-card').locator('[data-service-id="Bad_Id"]')).toBeVisible();
    await expect(page.getByTestId('preview-page').getByRole('heading', { name: 'Bad_Id', level: 2 })).toBeVisible();
    await expect(page.getByTestId('preview-page').getByTestId('field-errors').first().locator('li')).toHaveCount(2);
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('preview from a local OCI layout: a copy of the demo store layout, the demo key in the developer key field', async ({ page, problems }) => {
  test.setTimeout(60_000);
  const demo = resolve(__dirname, '..', 'config', 'demo-store');
  const demoIndex = JSON.parse(readFileSync(join(demo, 'index.json'), 'utf8')) as { services: Array<Record<string, unknown> & { id: string; image: string }> };
  // A copy: the committed layout is never the one opened.
  const layout = join(work, 'demo-layout');
  cpSync(join(demo, 'oci'), layout, { recursive: true });
  const pinboard = demoIndex.services.find((s) => s.id === 'pinboard')!;
  const meter = demoIndex.services.find((s) => s.id === 'meter')!;
  const file = join(work, 'layout-manifest.json');
  writeFileSync(file, JSON.stringify(pinboard, null, 2));
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      mkdirSync(join(home, 'trust'));
      writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(storeKey.pub));
    },
  });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByLabel(/Manifest or index to preview/).fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('preview-meta')).toHaveAttribute('data-kind', 'manifest');
    await page.getByLabel('OCI layout directory (absolute path, optional)').fill(layout);
    await page.getByLabel('Your public key (absolute path, optional)').fill(join(demo, 'cosign.pub'));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    // Under the developer key the image read from the layout verifies (the demo key signed it)...
    const devResult = page.getByTestId('dev-key-result');
    await expect(devResult.locator('[data-badge]')).toHaveAttribute('data-badge', 'VERIFIED');
    await expect(devResult).toContainText('carries a valid cosign signature');
    await expect(devResult).toContainText(join(demo, 'cosign.pub'));
    // ...while the app's trust root (the store key) does not accept the demo key's signature.
    const card = page.getByTestId('preview-card').locator('[data-service-id="pinboard"]');
    await expect(card).toHaveAttribute('data-verification', 'SIGNATURE_INVALID');
    await expect(page.getByTestId('mode-table').locator('[data-mode="enforce"]')).toHaveAttribute('data-decision', 'block');

    // Another image of the same layout: the borrowed signature binds another digest.
    writeFileSync(file, JSON.stringify(meter, null, 2));
    await expect(page.getByTestId('preview-card').locator('[data-service-id="meter"]')).toBeVisible();
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(devResult.locator('[data-badge]')).toHaveAttribute('data-badge', 'SIGNATURE_DIGEST_MISMATCH');
    // The demo key never became trusted by being used here.
    expect(readdirSync(join(shell.home, 'trust'))).toEqual(['store.pub']);
    expect(readFileSync(join(shell.home, 'trust', 'store.pub'), 'utf8')).toBe(readFileSync(storeKey.pub, 'utf8'));
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});
