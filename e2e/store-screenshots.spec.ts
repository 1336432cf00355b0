import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

test('screenshots of the browse view (light, dark), a verified and a failing service page', async ({ page }) => {
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator('[data-service-id="pinboard"]')).toHaveAttribute('data-verification', 'VERIFIED');
    await expect(page.getByTestId('verify-status')).toBeVisible();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: screenshotPath('store-browse-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('store-browse-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('[data-service-id="pinboard"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'VERIFIED');
    await page.screenshot({ path: screenshotPath('service-verified.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await page.locator('[data-service-id="meter"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'SIGNATURE_DIGEST_MISMATCH');
    await page.screenshot({ path: screenshotPath('service-failing.png'), fullPage: true });
    // The compact list, and the narrowest supported window (900 px): browse and a failing page.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await page.screenshot({ path: screenshotPath('store-browse-list.png') });
    await page.setViewportSize({ width: 900, height: 700 });
    await page.getByRole('button', { name: 'Grid', exact: true }).click();
    await page.screenshot({ path: screenshotPath('store-browse-900.png') });
    await page.locator('[data-service-id="meter"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'SIGNATURE_DIGEST_MISMATCH');
    await page.screenshot({ path: screenshotPath('service-failing-900.png') });
  } finally {
    await stop();
  }
});
