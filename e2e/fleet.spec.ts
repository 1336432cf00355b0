import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataPaths } from '../electron/core/data-dir';
import { startFleetTestbed, type FleetTestbed } from '../scripts/testbed/fleet-testbed';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Fleets end to end (DESIGN 2.10): the built browser shell, Debian's Chromium and three real
 * cells (sshd + own PIC root + own dockerd each, one loopback registry). Two cells are chosen by
 * their group, one by name; that one trusts no key, so the plan blocks it in plain words. The run
 * goes canary first and is stopped between batches; a retry carries on; both fleet receipts are
 * in Activity with each cell's outcome.
 */
test.describe.configure({ timeout: 420_000 });

test('plan over three real cells, a canary batch, stop between batches, retry, fleet receipts in Activity', async ({ page, problems }) => {
  const tb: FleetTestbed = await startFleetTestbed(3);
  try {
    const image = await tb.image('e2e/fleet-web', 'e2e fleet v1');
    const image2 = await tb.image('e2e/fleet-web', 'e2e fleet v2');
    await tb.sign(image);
    await tb.sign(image2);
    for (let i = 0; i < 3; i++) await tb.setMode(i, 'enforce');
    await tb.setCellKey(2, null); // f3 trusts no key: an enforcing cell with nothing to verify under
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        copyFileSync(tb.storeKey.pub, join(home, 'trust', 'store.pub'));
        copyFileSync(dataPaths(tb.dataDir).cells, dataPaths(home).cells);
        const index = { schemaVersion: 1, name: 'Fleet store', services: [{ id: 'web', name: 'Web server', version: '1.0', tagline: 'A tiny httpd', image }] };
        writeFileSync(join(home, 'index.json'), JSON.stringify(index));
        writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Fleet store', url: pathToFileURL(join(home, 'index.json')).href }] }));
      },
    });
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Fleet', exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Fleet' })).toBeVisible();

      // What and where: the listing, the group "east" (f1, f2) and the cell f3 by name.
      await page.getByTestId('fleet-service').selectOption({ label: 'Web server 1.0' }, { timeout: 15_000 });
      await page.locator('[data-testid="fleet-pick-group"][data-word="east"]').check();
      await page.locator('[data-testid="fleet-pick-cell"][data-word="f3"]').check();
      await page.getByTestId('fleet-make-plan').click();
      const table = page.getByTestId('fleet-plan-table');
      await expect(table).toBeVisible({ timeout: 120_000 });
      const row = (cell: string) => table.locator(`[data-testid="fleet-plan-row"][data-cell="${cell}"]`);
      await expect(row('f1')).toHaveAttribute('data-action', 'install');
      await expect(row('f2')).toHaveAttribute('data-action', 'install');
      await expect(row('f3')).toHaveAttribute('data-action', 'blocked');
      await expect(row('f1')).toContainText('Enforce (from the cell config)');
      await expect(row('f1')).toContainText('not installed');
      await expect(row('f1').getByTestId('fleet-plan-why')).toHaveText("Verified under the cell's own key.");
      // The blocked cell's reason in the catalogue's words first; the code only after them.
      const why3 = row('f3').getByTestId('fleet-plan-why');
      await expect(why3.locator('strong')).not.toHaveText(/^[A-Z_]+\.?$/);
      await expect(why3).toContainText('f3');
      await expect(page.getByTestId('fleet-plan-summary')).toHaveText('Web server 1.0 onto 3 cells: 2 to install, 0 to upgrade, 0 already up to date, 1 blocked.');
      await page.screenshot({ path: screenshotPath('fleet-plan.png'), fullPage: true });

      // The plan saved where the person says (here typed: the browser shell has no file dialog), for `pic-store fleet apply FILE`.
      const planFile = join(shell.home, 'saved-plan.json');
      await page.getByTestId('fleet-save-path').fill(planFile);
      await page.getByRole('button', { name: 'Save plan', exact: true }).click();
      await expect(page.getByTestId('fleet-saved')).toHaveText(`Saved to ${planFile}.`);
      expect(JSON.parse(readFileSync(planFile, 'utf8'))).toMatchObject({ kind: 'pic-store-fleet-plan', cells: [{ cell: 'f1', action: 'install' }, { cell: 'f2', action: 'install' }, { cell: 'f3', action: 'blocked' }] });

      // Canary first, then the rest — stopped while the canary runs, so the second batch never starts.
      await page.getByTestId('fleet-batches').fill('1, 100%');
      await page.getByTestId('fleet-apply').click();
      const run = page.getByTestId('fleet-run');
      await expect(run.locator('[data-testid="fleet-run-row"][data-cell="f1"]')).toBeVisible({ timeout: 30_000 });
      await page.getByTestId('fleet-stop').click();
      await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 180_000 });
      const f1Row = run.locator('[data-testid="fleet-run-row"][data-cell="f1"]');
      expect(await f1Row.getAttribute('data-outcome'), await f1Row.innerText()).toBe('installed'); // the why, should it fail
      await expect(page.getByTestId('fleet-run-ended')).toHaveText(/^Stopped after batch 1 of 2, as asked/);
      await expect(run.locator('[data-testid="fleet-run-row"][data-cell="f2"]')).toHaveAttribute('data-outcome', 'not-tried');
      await run.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('fleet-stopped.png') });
      expect((await tb.docker(1, ['ps', '-q'])).trim()).toBe(''); // f2 untouched

      // Retry carries on with the cell the stop left untried; live progress while it runs.
      await page.getByTestId('fleet-retry').click();
      await expect(run).toHaveAttribute('data-status', 'running');
      await expect(run.locator('[data-testid="fleet-run-row"][data-cell="f2"][data-state="running"]')).toBeVisible({ timeout: 30_000 });
      await run.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('fleet-progress.png') });
      await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 180_000 });
      const f2Row = run.locator('[data-testid="fleet-run-row"][data-cell="f2"]');
      expect(await f2Row.getAttribute('data-outcome'), await f2Row.innerText()).toBe('installed');
      await expect(page.getByTestId('fleet-run-ended')).toHaveText(/^Completed/);
      expect((await tb.docker(1, ['ps', '-q'])).trim()).not.toBe('');

      // Both fleet receipts in Activity, newest first, each cell's outcome there, its own receipt openable.
      await page.getByRole('button', { name: 'Activity', exact: true }).click();
      const receipts = page.getByTestId('fleet-run-receipt');
      await expect(receipts).toHaveCount(2);
      await expect(receipts.nth(1)).toHaveAttribute('data-stopped-after', '1');
      await receipts.nth(1).locator('summary').click();
      await expect(receipts.nth(1).getByTestId('fleet-run-receipt-ended')).toHaveText(/^Stopped after batch 1 of 2, as asked/);
      const cellOf = (n: number, cell: string) => receipts.nth(n).locator(`[data-testid="fleet-run-receipt-cell"][data-cell="${cell}"]`);
      await expect(cellOf(1, 'f1')).toHaveAttribute('data-outcome', 'installed');
      await expect(cellOf(1, 'f2')).toHaveAttribute('data-outcome', 'not-tried');
      await expect(cellOf(1, 'f3')).toHaveAttribute('data-outcome', 'skipped');
      await receipts.nth(0).locator('summary').click();
      await expect(cellOf(0, 'f2')).toHaveAttribute('data-outcome', 'installed');
      await expect(cellOf(0, 'f1')).toContainText('Not part of this retry');
      await page.screenshot({ path: screenshotPath('fleet-activity.png'), fullPage: true });
      const f1Receipt = await cellOf(1, 'f1').getAttribute('data-receipt-id');
      expect(f1Receipt).toMatch(/^[0-9a-f-]{36}$/);
      await cellOf(1, 'f1').getByRole('button', { name: "Explain f1's receipt" }).click();
      await expect(page.getByTestId('activity-detail')).toHaveAttribute('data-receipt-id', f1Receipt!);
      await expect(page.getByTestId('explain-outcome')).toHaveText('The install of Web server 1.0 completed with the image verified.');

      // The store lists the next version; across the same cells each upgrade carries its own review (DESIGN 2.9).
      const next = { schemaVersion: 1, name: 'Fleet store', services: [{ id: 'web', name: 'Web server', version: '2.0', tagline: 'A tiny httpd', image: image2, environment: { GREETING: 'hello' }, volumes: [{ name: 'data', path: '/data' }] }] };
      writeFileSync(join(shell.home, 'index.json'), JSON.stringify(next));
      await page.reload();
      await page.getByRole('button', { name: 'Fleet', exact: true }).click();
      await page.getByTestId('fleet-service').selectOption({ label: 'Web server 2.0' }, { timeout: 15_000 });
      await page.locator('[data-testid="fleet-pick-group"][data-word="east"]').check();
      await page.locator('[data-testid="fleet-pick-cell"][data-word="f3"]').check();
      // A host from an Ansible inventory: added as a cell, but its host key is nobody's word yet.
      const inventory = join(shell.home, 'inventory.yml');
      const user = tb.cells[0]!.userAtHost.split('@')[0];
      writeFileSync(inventory, `all:\n  children:\n    south:\n      hosts:\n        imported1: { ansible_host: localhost, ansible_port: ${tb.cells[0]!.port}, ansible_user: ${user} }\n`);
      await page.getByTestId('fleet-inventory').locator('summary').click();
      await page.getByTestId('fleet-inventory-import').fill(inventory);
      await page.getByTestId('fleet-inventory').getByRole('button', { name: 'Import', exact: true }).click();
      await expect(page.getByTestId('fleet-inventory-imported')).toContainText('Added 1 cell: imported1');
      await page.locator('[data-testid="fleet-pick-group"][data-word="south"]').check();
      await page.getByTestId('fleet-make-plan').click();
      await expect(row('f1')).toHaveAttribute('data-action', 'upgrade', { timeout: 120_000 });
      await expect(row('imported1')).toHaveAttribute('data-action', 'blocked');
      await expect(row('imported1').getByTestId('fleet-plan-why')).toContainText('Host key not confirmed yet.');
      await expect(row('f2')).toHaveAttribute('data-action', 'upgrade');
      await expect(row('f1')).toContainText('1.0');
      const review = row('f1').getByTestId('fleet-review');
      await expect(review.locator('summary')).toHaveText('1.0 → 2.0: 2 added, 0 changed, 0 removed');
      await review.locator('summary').click();
      await expect(review).toContainText('variable GREETING: hello');
      await expect(review).toContainText('volume data: /data');
      await expect(review).toContainText("The cell's key verifies the new image.");
      await page.screenshot({ path: screenshotPath('fleet-plan-upgrade.png'), fullPage: true });
      expect(problems.cspViolations).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await tb.stop();
  }
});
