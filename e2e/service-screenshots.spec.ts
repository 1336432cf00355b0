import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Issue 17 item 6: the manifest's screenshots (DESIGN 2.1) on the service page — the demo store's
 * inline PNGs — as a gallery with alt text that the keyboard drives; the card and page show the
 * listing's icon. Remote screenshots are fetched by main like icons (icon-fetch.test.ts).
 */
test('the demo store shows icons, and each service page a keyboard-driven screenshot gallery', async ({ page, problems }) => {
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    const card = page.locator('[data-service-id="pinboard"]');
    await expect(card.locator('img.service-icon')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
    await card.click();

    const gallery = page.getByTestId('screenshots');
    await expect(gallery.getByRole('heading', { name: 'Screenshots', level: 3 })).toBeVisible();
    const main = gallery.getByTestId('screenshot-main');
    await expect(main).toHaveAttribute('alt', 'Pinboard Notes, screenshot 1 of 2');
    // A real, decoded image (480×300), not a broken one.
    await expect.poll(() => main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    const thumbs = gallery.getByRole('button', { name: /^Show screenshot/ });
    await expect(thumbs).toHaveCount(2);
    await expect(thumbs.nth(0)).toHaveAttribute('aria-pressed', 'true');
    // One tab stop for the row; arrows move and show, End/Home jump.
    await expect(thumbs.nth(1)).toHaveAttribute('tabindex', '-1');
    await thumbs.nth(0).focus();
    await page.keyboard.press('ArrowRight');
    await expect(thumbs.nth(1)).toBeFocused();
    await expect(thumbs.nth(1)).toHaveAttribute('aria-pressed', 'true');
    await expect(main).toHaveAttribute('alt', 'Pinboard Notes, screenshot 2 of 2');
    await expect(gallery).toContainText('Screenshot 2 of 2');
    await page.keyboard.press('Home');
    await expect(thumbs.nth(0)).toBeFocused();
    await expect(main).toHaveAttribute('alt', 'Pinboard Notes, screenshot 1 of 2');
    await page.keyboard.press('ArrowLeft');
    await expect(main).toHaveAttribute('alt', 'Pinboard Notes, screenshot 2 of 2');
    await thumbs.nth(0).click();
    await expect(main).toHaveAttribute('alt', 'Pinboard Notes, screenshot 1 of 2');

    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 800 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await gallery.scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`service-screenshots-${width}${scheme === 'dark' ? '-dark' : ''}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});
