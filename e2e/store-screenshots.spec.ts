import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';
import type { Page } from '@playwright/test';

/**
 * The app scrolls inside its own main area, so a full-page shot stops at the window's height:
 * a window as tall as main's content puts the whole service page (Why panel, checks) in the image.
 */
async function fitWindowToPage(page: Page): Promise<void> {
  const height = await page.locator('main').evaluate((el) => el.getBoundingClientRect().top + el.scrollHeight);
  await page.setViewportSize({ width: 1200, height: Math.min(Math.ceil(height), 4000) });
}

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
    await fitWindowToPage(page);
    await page.screenshot({ path: screenshotPath('service-verified.png') });
    await page.keyboard.press('Escape');
    await page.locator('[data-service-id="meter"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'SIGNATURE_DIGEST_MISMATCH');
    await fitWindowToPage(page);
    await page.screenshot({ path: screenshotPath('service-failing.png') });
    // The compact list, and the narrowest supported window (900 px): browse and a failing page.
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1200, height: 800 });
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
