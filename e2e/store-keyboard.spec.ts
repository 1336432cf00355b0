import type { Page } from '@playwright/test';
import { expect, startShell, test } from './shell-fixture';

/**
 * The store browser by keyboard and at the narrowest supported width, on the embedded demo store
 * (real verification, no registry needed): one Tab stop in the card list, arrows move focus,
 * Enter opens, Esc comes back to the same search/sort/layout with focus on the opened card, `/`
 * and Ctrl+K from a service page go back to the search field; list rows do not overlap; at
 * 900x700 nothing overflows sideways and the failure reason is visible without scrolling.
 */
const activeId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.serviceId ?? null);
const cardIds = (page: Page) => page.locator('[data-service-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.serviceId));

test('arrows move between cards, Enter opens, Esc returns to the same search, sort and layout with focus on the opened card', async ({ page, problems }) => {
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator('[data-service-id="meter"]')).toHaveAttribute('data-verification', 'SIGNATURE_DIGEST_MISMATCH');
    const search = page.getByRole('searchbox', { name: 'Search services' });
    await search.fill('o');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('category');
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expect(page.getByRole('button', { name: 'List', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const count = await page.getByTestId('result-count').textContent();
    const order = await cardIds(page);
    expect(order.length).toBeGreaterThan(2);

    // Exactly one card is a Tab stop (roving tabindex), so Tab leaves the list.
    await expect(page.locator('[data-service-id][tabindex="0"]')).toHaveCount(1);
    await page.locator(`[data-service-id="${order[0]}"]`).focus();
    expect(await activeId(page)).toBe(order[0]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeId(page)).toBe(order[1]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeId(page)).toBe(order[2]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => activeId(page)).toBe(order[1]);
    await expect(page.locator('[data-service-id][tabindex="0"]')).toHaveCount(1);
    await expect(page.locator(`[data-service-id="${order[1]}"]`)).toHaveAttribute('tabindex', '0');
    await page.keyboard.press('Tab');
    expect(await activeId(page)).toBeNull();
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => activeId(page)).toBe(order[1]);

    // Enter opens the service page with focus on its heading.
    await page.keyboard.press('Enter');
    await expect(page.locator(`[data-service-page="${order[1]}"]`)).toBeVisible();
    await expect(page.locator('#service-title')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(search).toHaveValue('o');
    await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('category');
    await expect(page.getByRole('button', { name: 'List', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('result-count')).toHaveText(count ?? '');
    expect(await cardIds(page)).toEqual(order);
    await expect.poll(() => activeId(page)).toBe(order[1]);

    // `/` and Ctrl+K from a service page: back to the list, search focused, state kept.
    await page.keyboard.press('Enter');
    await expect(page.locator(`[data-service-page="${order[1]}"]`)).toBeVisible();
    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    await expect(search).toHaveValue('o');
    await page.locator(`[data-service-id="${order[2]}"]`).click();
    await expect(page.locator(`[data-service-page="${order[2]}"]`)).toBeVisible();
    await page.keyboard.press('Control+k');
    await expect(search).toBeFocused();
    await expect(page.getByRole('button', { name: 'List', exact: true })).toHaveAttribute('aria-pressed', 'true');
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('list rows are not clipped and do not overlap', async ({ page }) => {
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator('[data-service-id="pinboard"]')).toHaveAttribute('data-verification', 'VERIFIED');
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expect(page.locator('.card--list').first()).toBeVisible();
    const boxes = await page.locator('.card--list').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const body = e.querySelector('.card__body')!.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, bodyBottom: body.bottom, clipped: e.scrollHeight > e.clientHeight + 1 };
      }),
    );
    expect(boxes.length).toBeGreaterThan(2);
    boxes.sort((a, b) => a.top - b.top);
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(b.clipped, `row ${i} clipped`).toBe(false);
      expect(b.bodyBottom, `row ${i} content inside its card`).toBeLessThanOrEqual(b.bottom + 0.5);
      if (i > 0) expect(b.top, `row ${i} overlaps the row above`).toBeGreaterThanOrEqual(boxes[i - 1]!.bottom);
    }
  } finally {
    await stop();
  }
});

test('at 900x700 the store and a failing service page have no horizontal overflow and the reason is visible without scrolling', async ({ page }) => {
  const { shell, stop } = await startShell({ emptyAppConfig: false });
  try {
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator('[data-service-id="meter"]')).toHaveAttribute('data-verification', 'SIGNATURE_DIGEST_MISMATCH');
    const overflow = () => page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, main: (() => { const m = document.querySelector('.main')!; return { sw: m.scrollWidth, cw: m.clientWidth, sh: m.scrollHeight, ch: m.clientHeight }; })() }));
    let o = await overflow();
    expect(o.sw).toBeLessThanOrEqual(o.cw);
    expect(o.main.sw).toBeLessThanOrEqual(o.main.cw);
    // One scroll area: the card list, not the page around it.
    expect(o.main.sh).toBeLessThanOrEqual(o.main.ch);
    const grid = await page.getByTestId('service-grid').boundingBox();
    expect(grid!.height).toBeGreaterThan(150);
    expect(grid!.y + grid!.height).toBeLessThanOrEqual(700);
    await page.locator('[data-service-id="meter"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', 'SIGNATURE_DIGEST_MISMATCH');
    o = await overflow();
    expect(o.sw).toBeLessThanOrEqual(o.cw);
    expect(o.main.sw).toBeLessThanOrEqual(o.main.cw);
    for (const id of ['why-sentence', 'why-failed-check']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.y + Math.min(box!.height, 40), `${id} starts within the first screen`).toBeLessThanOrEqual(700);
    }
    await expect(page.getByTestId('why-failed-check')).toBeInViewport();
    // Failing verdict: Install is not the primary action, and the page says what cells will do.
    await expect(page.getByTestId('install-caution')).toContainText('Enforcing cells will refuse this image');
    await expect(page.getByTestId('install-action')).toHaveClass(/install-action--caution/);
  } finally {
    await stop();
  }
});
