import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startInstallTestbed, type InstallTestbed } from '../scripts/testbed/install-testbed';
import { buildCli, runBuiltCli } from '../scripts/testbed/built-cli';
import { freePort } from '../scripts/testbed/registry';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Living with installed services (DESIGN 2.9) through the browser shell on the real cell (sshd +
 * dockerd + compose, a testbed registry, cosign signatures made now): two services installed at
 * v1 with the built CLI; the store then lists web v2 (same signer, one added port, one changed
 * variable) and withdraws the tool. The Installed view shows both states and the withdrawal's
 * banner; Open gives the cell host's address; Update shows the review's diff, needs consent, and
 * the receipt records it; the Cells view keeps each cell's last status across navigation.
 */

test.describe.configure({ timeout: 420_000 });

test('Installed view: states, a revoked banner, Open, an Update whose review shows the diff, and the Cells view keeping its last status', async ({ page, problems, context }) => {
  const tb: InstallTestbed = await startInstallTestbed();
  try {
    await buildCli();
    await tb.setMode('enforce');
    const imgA = await tb.image('demo/web', 'installed e2e web v1');
    const imgB = await tb.image('demo/web', 'installed e2e web v2');
    const imgT = await tb.image('demo/tool', 'installed e2e tool');
    for (const img of [imgA, imgB, imgT]) await tb.sign(img);
    const [p1, p2] = [await freePort(), await freePort()];
    const webV1 = { id: 'web', name: 'Web server', version: '1.0', tagline: 'A tiny httpd', image: imgA, ports: [{ host: p1, container: 80, protocol: 'tcp' }], environment: { MODE: 'a', KEEP: 'k' } };
    const webV2 = { ...webV1, version: '2.0', image: imgB, ports: [...webV1.ports, { host: p2, container: 443, protocol: 'tcp' }], environment: { MODE: 'b', KEEP: 'k' } };
    const tool = { id: 'tool', name: 'Old tool', version: '0.9', tagline: 'Soon withdrawn', image: imgT };
    const revokedTool = { ...tool, revoked: { reason: 'a remote code execution flaw (CVE-2026-0001)', at: '2026-12-01T00:00:00Z' } };
    let indexPath = '';
    const list = (services: object[]) => writeFileSync(indexPath, JSON.stringify({ schemaVersion: 1, name: 'E2E store', services }));
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(tb.storeKey.pub));
        indexPath = join(home, 'index.json');
        list([webV1, tool]);
        writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'E2E store', url: pathToFileURL(indexPath).href }] }));
        writeFileSync(join(home, 'cells.json'), JSON.stringify({ version: 1, cells: [{ id: 'c1', name: 'test cell', destination: tb.cell.alias, root: tb.cell.root, sshConfig: tb.cell.sshConfig }] }));
      },
    });
    try {
      // v1 of both, installed with the CLI against the same data directory (the app's own receipts).
      const cli = (args: string[]) => runBuiltCli(args, { timeoutMs: 180_000, env: { PATH: process.env.PATH ?? '', HOME: shell.home, PIC_STORE_HOME: shell.home, PIC_STORE_APP_CONFIG: shell.appConfig } });
      for (const id of ['web', 'tool']) {
        const r = await cli(['install', id, '--cell', 'test cell', '--yes', '--json']);
        expect(r.code, r.stderr).toBe(0);
      }
      // The store moves on: web 2.0 adds a port and changes MODE; the tool is withdrawn.
      list([webV2, revokedTool]);

      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.origin });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Installed', exact: true }).click();
      await page.getByTestId('installed-check').click();
      const web = page.locator('[data-installed-row="web"]');
      const toolRow = page.locator('[data-installed-row="tool"]');
      await expect(web).toHaveAttribute('data-state', 'update', { timeout: 120_000 });
      await expect(toolRow).toHaveAttribute('data-state', 'revoked');
      await expect(web.getByTestId('installed-state')).toHaveText('Update available');
      await expect(web.getByTestId('installed-version')).toHaveText('1.0');
      await expect(web.getByTestId('installed-digest')).toHaveText(`${imgA.split('@')[1]!.slice(0, 19)}…`);
      await expect(web.getByTestId('installed-container')).toHaveAttribute('data-container', 'running');
      // The container's state in words (the raw state stays in data-container); its ports follow.
      await expect(web.getByTestId('installed-container')).toHaveText(`Running${p1}/tcp`);
      await expect(web.getByTestId('installed-ports')).toHaveText(`${p1}/tcp`);
      await expect(web.getByTestId('installed-signer')).toContainText('signed by ');
      await expect(web.getByTestId('installed-badge')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 60_000 });
      await expect(toolRow.getByTestId('installed-state')).toHaveText('Withdrawn by the store');
      // The withdrawal: a banner with the store's reason and the next step, and Uninstall on its row.
      const banner = page.getByTestId('revoked-banner');
      await expect(banner).toHaveCount(1);
      await expect(banner).toContainText('Old tool on test cell');
      await expect(banner).toContainText('a remote code execution flaw (CVE-2026-0001)');
      await expect(banner).toContainText('Stop and uninstall');
      await expect(toolRow.getByTestId('service-uninstall')).toBeVisible();
      await expect(toolRow.getByTestId('installed-update')).toHaveCount(0);
      // In the shell, the notices are in the page (Electron shows them as system notifications).
      await expect(page.locator('[data-testid="update-notice"][data-state="revoked"]')).toContainText('CVE-2026-0001');
      await expect(page.locator('[data-testid="update-notice"][data-state="update"]')).toContainText('1.0 → 2.0');
      await page.screenshot({ path: screenshotPath('installed-view.png'), fullPage: true });

      // Open: the cell profile's host and the first tcp port, through main.
      await web.getByTestId('installed-open').click();
      await expect(web.getByTestId('installed-address')).toContainText(`http://127.0.0.1:${p1}/`);
      await expect(web.getByRole('link', { name: `http://127.0.0.1:${p1}/` })).toHaveAttribute('href', `http://127.0.0.1:${p1}/`);

      // Update: the review shows exactly the diff; Confirm waits for consent; the receipt records it.
      await web.getByTestId('installed-update').click();
      const dialog = page.getByTestId('install-dialog');
      await expect(dialog).toBeVisible();
      await expect(page.getByTestId('install-cell')).toHaveValue('c1');
      await page.getByTestId('install-check').click();
      const review = page.getByTestId('review');
      await expect(review).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('review-version')).toHaveText('1.0 → 2.0');
      await expect(page.getByTestId('review-digest')).toContainText(imgB.split('@')[1]!);
      await expect(page.getByTestId('review-signers')).toHaveAttribute('data-changed', 'false');
      await expect(page.getByTestId('review-listing')).toHaveText('from the store listing, not signed');
      const changes = page.getByTestId('review-changes').locator('li');
      await expect(changes).toHaveCount(2);
      await expect(page.locator('li[data-field="ports"][data-change="added"]')).toContainText(`${p2}/tcp`);
      await expect(page.locator('li[data-field="environment"][data-change="changed"]')).toContainText('MODE: "a" → "b"');
      await expect(page.getByTestId('install-confirm')).toHaveAttribute('aria-disabled', 'true');
      await review.screenshot({ path: screenshotPath('installed-update-review.png') });
      await page.getByTestId('review-accept-changes').check();
      await expect(page.getByTestId('install-confirm')).not.toHaveAttribute('aria-disabled', 'true');
      await page.getByTestId('install-confirm').click();
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Installed', { timeout: 180_000 });
      await page.getByText('Receipt JSON').click();
      const receipt = JSON.parse((await page.getByTestId('receipt-json').textContent())!) as { action: string; review: { accepted: { field: string; change: string; name: string }[]; version: { from: string; to: string } } };
      expect(receipt.action).toBe('upgrade');
      expect(receipt.review.version).toEqual({ from: '1.0', to: '2.0' });
      expect(receipt.review.accepted.map((a) => `${a.field} ${a.change} ${a.name}`).sort()).toEqual(['environment changed MODE', `ports added ${p2}/tcp`]);
      await page.getByTestId('install-close').click();
      await expect(web).toHaveAttribute('data-state', 'current', { timeout: 120_000 });
      await expect(web.getByTestId('installed-version')).toHaveText('2.0');

      // The store says where it is installed.
      await page.getByRole('button', { name: 'Store', exact: true }).click();
      await expect(page.locator('[data-service-id="web"]').getByTestId('card-installed-on')).toHaveText('Installed on test cell (2.0)');
      await expect(page.locator('[data-service-id="tool"]').getByTestId('card-installed-on')).toHaveText('Installed on test cell (0.9, withdrawn by the store)');

      // The withdrawn one cannot be installed again: the refusal in the update catalogue's words, with the store's reason.
      await page.locator('[data-service-id="tool"]').click();
      await expect(page.getByTestId('installed-on')).toHaveText('Installed on test cell (0.9, withdrawn by the store)');
      await page.getByTestId('install-open').click();
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Refused', { timeout: 60_000 });
      const refusal = page.getByTestId('install-outcome-refusal');
      await expect(refusal).toHaveAttribute('data-code', 'SERVICE_REVOKED');
      await expect(refusal).toContainText('Withdrawn by the store');
      await expect(refusal).toContainText('The store withdrew tool: a remote code execution flaw (CVE-2026-0001).');
      await page.getByTestId('install-dialog').screenshot({ path: screenshotPath('installed-revoked-refused.png') });
      await page.getByTestId('install-close').click();
      await page.keyboard.press('Escape');

      // The Cells view shows the cell's last status without a new check, after navigating and after a reload.
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await expect(page.getByTestId('cell-status')).toBeVisible();
      await expect(page.locator('[data-installed-service="web"]')).toBeVisible();
      await page.getByRole('button', { name: 'Activity', exact: true }).click();
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await expect(page.locator('[data-installed-service="web"]')).toBeVisible();
      await page.reload();
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await expect(page.locator('[data-installed-service="tool"]')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Refresh status' })).toBeVisible();
      // Flagged here too; Upgrade only where the store lists another version (none for the current web).
      await expect(page.locator('[data-installed-service="tool"]').getByTestId('cell-service-state')).toHaveText('Withdrawn by the store: a remote code execution flaw (CVE-2026-0001)');
      await expect(page.locator('[data-installed-service="web"]').getByRole('button', { name: 'Upgrade' })).toHaveCount(0);
      await expect(page.locator('[data-installed-service="web"]').getByTestId('installed-badge')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 60_000 });
      await expect(page.locator('[data-installed-service="tool"]').getByTestId('installed-badge')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 60_000 });
      await page.screenshot({ path: screenshotPath('cells-last-status.png'), fullPage: true });
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await tb.stop();
  }
});
