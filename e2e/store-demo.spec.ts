import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, startShell, test } from './shell-fixture';

const EXPECTED = JSON.parse(readFileSync(resolve(__dirname, '..', 'config', 'demo-store', 'expected.json'), 'utf8')) as Record<string, string>;

test('a fresh data dir opens on the demo store, labelled, with every demo badge as expected', async ({ page, problems }) => {
  // The real config/ (empty cosign/, the demo store with its own key).
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    // Said once: with no store key installed, the first-run note explains the demo store, and the
    // Store view adds no second note saying the same.
    await expect(page.getByTestId('first-run')).toContainText('The Demo store works now: its images are checked with the demo store’s own key.');
    await expect(page.getByTestId('demo-label')).toHaveCount(0);
    // The demo store is a signed directory store with its own demo root (DESIGN 2.7).
    await expect(page.getByTestId('listing-line')).toHaveText('Listing signed by PIC Demo Store, version 1, valid until 2099-12-31 00:00 UTC');
    await expect(page.getByTestId('listing-banner')).toHaveCount(0);
    await page.getByRole('button', { name: 'Manage stores' }).click();
    const row = page.getByTestId('store-row');
    await expect(row).toHaveAttribute('data-signed', 'true');
    await expect(row.getByTestId('store-row-state')).toHaveText('current');
    await page.getByRole('button', { name: 'Manage stores' }).click();
    for (const [id, reason] of Object.entries(EXPECTED)) {
      await expect(page.locator(`[data-service-id="${id}"]`)).toHaveAttribute('data-verification', reason);
    }
    await expect(page.getByTestId('store-summary').locator('[data-summary="VERIFIED"]')).toContainText('2');
    // Keyboard: `/` focuses search; typing filters; arrows move; Enter opens; Esc goes back.
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search services' })).toBeFocused();
    await page.keyboard.type('pinboard');
    await expect(page.getByTestId('result-count')).toHaveText('1 of 6 services');
    await page.locator('[data-service-id="pinboard"]').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'VERIFIED');
    await expect(page.getByTestId('verified-key')).toContainText(/[0-9a-f]{64}/);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('searchbox', { name: 'Search services' })).toBeVisible();
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('searchbox', { name: 'Search services' })).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await page.locator('[data-service-id="meter"]').click();
    await expect(page.getByTestId('why-failed-check')).toContainText('Failing check: Signature names this image digest-binding —');
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    void join;
  } finally {
    await stop();
  }
});
