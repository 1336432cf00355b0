import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startInstallTestbed, type InstallTestbed } from '../scripts/testbed/install-testbed';
import { addCellProfile } from '../electron/core/cell/profiles';
import type { Locator } from '@playwright/test';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * The install flow end to end: the built browser shell, Debian's Chromium, and a real cell
 * (sshd + dockerd + docker-compose) with a testbed registry holding a cosign-signed and an
 * unsigned image. Install from the service page, see the receipt; the unsigned one is blocked
 * with its reason and no Confirm button; uninstall from the Cells view.
 */

test.describe.configure({ timeout: 300_000 });

test('install a verified service from its page, see the unsigned one blocked, uninstall it from Cells', async ({ page, problems, context }) => {
  const tb: InstallTestbed = await startInstallTestbed();
  const port = 20000 + (process.pid % 500);
  try {
    await tb.setMode('enforce');
    const signed = await tb.image('demo/web', 'e2e signed');
    await tb.sign(signed);
    const unsigned = await tb.image('demo/unsigned', 'e2e unsigned');
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(tb.storeKey.pub));
        const index = {
          schemaVersion: 1,
          name: 'E2E store',
          services: [
            {
              id: 'web', name: 'Web server', version: '1.0', tagline: 'A tiny httpd', image: signed,
              ports: [{ host: port, container: 80, protocol: 'tcp' }], volumes: [{ name: 'data', path: '/data' }], environment: { GREETING: 'hello $HOME' },
            },
            { id: 'shady', name: 'Shady tool', version: '0.1', tagline: 'Not signed', image: unsigned },
          ],
        };
        writeFileSync(join(home, 'index.json'), JSON.stringify(index));
        writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'E2E store', url: pathToFileURL(join(home, 'index.json')).href }] }));
      },
    });
    try {
      const { id: _id, ...input } = tb.profile;
      void _id;
      await addCellProfile(shell.home, { ...input, name: 'test cell' });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.origin });
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(shell.url);

      // Install the verified service from its page. First a change of mind: Cancel at the
      // pre-flight closes the dialog with one click (issue 17 item 4), nothing installed.
      await page.getByRole('button', { name: /^Web server v1\.0/ }).click();
      await page.getByTestId('install-open').click();
      const dialog = page.getByTestId('install-dialog');
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('preflight')).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('install-cancel').click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('install-open')).toBeFocused();
      await page.getByTestId('install-open').click();
      await expect(dialog).toBeVisible();
      await expect(page.getByTestId('install-cell')).toBeFocused();
      await expect(page.getByTestId('install-cell')).toHaveValue(/.+/);
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('preflight')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('preflight-decision')).toHaveAttribute('data-decision', 'allow');
      await expect(page.getByTestId('preflight-decision')).toHaveText('it will be installed when you confirm.');
      expect(await page.getByTestId('preflight-verdict').innerText()).not.toMatch(/Decision:/);
      await expect(page.getByTestId('preflight-cell')).toContainText('test cell');
      await expect(page.getByTestId('preflight-mode')).toContainText('enforce');
      await expect(page.getByTestId('preflight-digest')).toHaveText(signed.split('@')[1]!);
      // The catalogue's full sentence and the admin's next step, before confirming (issue 7).
      await expect(page.getByTestId('preflight-explanation')).toContainText(`is pinned to ${signed.split('@')[1]!} and carries a valid cosign signature under a trusted key.`);
      await expect(page.getByTestId('preflight-next')).toContainText('Next: Nothing to do: the image may be installed.');
      await expect(page.getByTestId('preflight-mode-next')).toHaveText(/^Next: Nothing to do; /);
      await expect(dialog).toContainText('from the store listing, not signed');
      await expect(dialog).toContainText('"hello $HOME"');
      await dialog.screenshot({ path: screenshotPath('install-preflight.png') });
      await page.emulateMedia({ colorScheme: 'dark' });
      await dialog.screenshot({ path: screenshotPath('install-preflight-dark.png') });
      await page.emulateMedia({ colorScheme: 'light' });
      // Tab stays inside the modal: the page underneath is inert.
      for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="install-dialog"]'))).toBe(true);
      await page.getByTestId('install-confirm').click();
      await expect(page.getByTestId('install-outcome')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Installed');
      // Words, not codes (issue 17 item 3): the receipt explanation's sentence; no decision code,
      // no "may be installed" after it was.
      await expect(page.getByTestId('install-outcome-summary')).toHaveText('The install of Web server 1.0 completed with the image verified.');
      // What a person reads (innerText: the collapsed receipt JSON is not part of it).
      expect(await page.getByTestId('install-outcome').innerText()).not.toMatch(/decision|may be installed/);
      await expect(page.getByTestId('install-log')).not.toBeEmpty();
      await expectFollowingLogPane(page.getByTestId('install-log'));
      const receiptId = (await page.getByTestId('receipt-id').textContent())!;
      await page.getByText('Receipt JSON').click();
      expect(JSON.parse((await page.getByTestId('receipt-json').textContent())!)).toMatchObject({ id: receiptId, outcome: 'installed', decision: 'allow' });
      await page.getByRole('button', { name: 'Copy receipt JSON' }).click();
      expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toMatchObject({ id: receiptId });
      await dialog.screenshot({ path: screenshotPath('install-outcome.png') });
      const cid = (await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim();
      expect((await tb.docker(['inspect', '--format', '{{.Config.Image}}', cid])).trim()).toBe(signed);
      await page.getByTestId('install-close').click();
      await expect(dialog).toBeHidden();

      // The unsigned one: blocked with its reason, no Confirm button, the cell untouched.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /^Shady tool v0\.1/ }).click();
      await page.getByTestId('install-open').click();
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('install-outcome')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Refused');
      await expect(page.getByTestId('install-outcome')).toHaveAttribute('data-decision', 'block');
      await expect(page.getByTestId('install-outcome-summary')).toHaveText("The install of Shady tool 0.1 was blocked before anything on the cell was touched: the image did not verify and the cell's mode is enforce.");
      expect(await page.getByTestId('install-outcome').innerText()).not.toMatch(/decision/);
      await expect(page.getByTestId('install-outcome-reason')).toHaveAttribute('data-reason', 'SIGNATURE_NOT_FOUND');
      await expect(page.getByTestId('install-confirm')).toHaveCount(0);
      await dialog.screenshot({ path: screenshotPath('install-blocked.png') });
      // Escape closes a finished dialog and leaves the service page open.
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('install-open')).toBeVisible();

      // Uninstall from the Cells view.
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await page.getByRole('button', { name: /Test connection|Refresh status/ }).click();
      await expect(page.getByTestId('installed-actions-web')).toBeVisible({ timeout: 30_000 });
      // Its CURRENT badge: main verified the receipt's image@digest again against today's trust root.
      const installedBadge = page.locator('[data-installed-service="web"]').getByTestId('installed-badge');
      await expect(installedBadge).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 30_000 });
      await page.getByTestId('cell-services').screenshot({ path: screenshotPath('cells-installed-badge.png') });
      await page.getByTestId('service-logs').click();
      await expect(page.getByTestId('service-output')).toBeVisible({ timeout: 30_000 });
      await expectFollowingLogPane(page.getByTestId('service-output'));
      // Uninstall is destructive and looks it: a red question, a red button naming the service.
      await page.getByTestId('service-uninstall').click();
      const question = page.getByTestId('service-uninstall-question');
      await expect(question).toHaveClass(/callout--danger/);
      await expect(question).toContainText('Uninstall Web server? It is stopped and removed from this cell.');
      const confirmUninstall = page.getByTestId('service-uninstall-confirm');
      await expect(confirmUninstall).toHaveText('Uninstall Web server');
      await expect(confirmUninstall).toHaveClass(/button--danger/);
      await expect(confirmUninstall).toHaveCSS('color', 'rgb(138, 17, 17)');
      await page.getByTestId('cell-services').screenshot({ path: screenshotPath('cells-uninstall-confirm.png') });
      await confirmUninstall.click();
      // The list updates at once: the row is gone while its receipt is still being read.
      const uninstalled = page.getByTestId('uninstall-receipt');
      await expect(uninstalled.getByTestId('install-outcome-word')).toHaveText('Uninstalled', { timeout: 60_000 });
      await expect(page.getByTestId('installed-actions-web')).toHaveCount(0);
      await expect(page.getByTestId('cell-no-services')).toBeVisible({ timeout: 30_000 });
      await expect(uninstalled.getByTestId('install-outcome-summary')).toHaveText('The uninstall of Web server 1.0 completed; the service was removed from the cell.');
      expect(await uninstalled.innerText()).not.toMatch(/decision|Mode:/);
      expect((await tb.docker(['ps', '-q', '--filter', 'label=com.docker.compose.project=pic-web'])).trim()).toBe('');
      await page.screenshot({ path: screenshotPath('install-uninstalled.png'), fullPage: true });
      await page.getByTestId('service-receipt-done').click();
      await expect(uninstalled).toHaveCount(0);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await tb.stop();
  }
});

/**
 * A log pane (issue 17 item 4): resizable, a keyboard-scrollable log region, and at the end of
 * its output; scrolled up by the person, it stays where they put it until they scroll back down.
 */
async function expectFollowingLogPane(pane: Locator): Promise<void> {
  await expect(pane).toHaveAttribute('role', 'log');
  await expect(pane).toHaveCSS('resize', 'vertical');
  const atEnd = () => pane.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight <= 8);
  await expect.poll(atEnd).toBe(true);
  await expect(pane).toHaveAttribute('data-following', 'true');
  // Made short enough to scroll, then scrolled up: it no longer follows.
  await pane.evaluate((el) => {
    el.style.height = '40px';
    el.style.minHeight = '0';
  });
  if (await pane.evaluate((el) => el.scrollHeight > el.clientHeight + 8)) {
    await pane.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(pane).toHaveAttribute('data-following', 'true');
    await pane.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(pane).toHaveAttribute('data-following', 'false');
    await pane.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(pane).toHaveAttribute('data-following', 'true');
  }
  await pane.evaluate((el) => {
    el.style.height = '';
    el.style.minHeight = '';
  });
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('an unreachable cell: the outcome and the receipt say verification did not run, with the pinned digest (not "none"); Esc leaves the receipt', async ({ page, problems }) => {
  const digest = `sha256:${'5e'.repeat(32)}`;
  const image = `127.0.0.1:9/demo/app@${digest}`;
  const port = await closedPort();
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      const index = { schemaVersion: 1, name: 'E2E store', services: [{ id: 'app', name: 'Pinned app', version: '2.0', tagline: 'Pinned by digest', image }] };
      writeFileSync(join(home, 'index.json'), JSON.stringify(index));
      writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'E2E store', url: pathToFileURL(join(home, 'index.json')).href }] }));
    },
  });
  try {
    await addCellProfile(shell.home, { name: 'gone cell', destination: 'pic@127.0.0.1', port, root: '/opt/pic' });
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(shell.url);

    // Nothing recorded yet: the Activity view says so and what fills it, not a bare filter form.
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    const empty = page.getByTestId('activity-empty');
    await expect(empty).toContainText('No receipts yet');
    await expect(empty).toContainText('Install a service from the Store');
    await expect(page.getByRole('form', { name: 'Filter receipts' })).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('activity-empty.png'), fullPage: true });

    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await page.getByRole('button', { name: /^Pinned app v2\.0/ }).click();
    await page.getByTestId('install-open').click();
    await page.getByTestId('install-check').click();
    const outcome = page.getByTestId('install-outcome');
    await expect(outcome).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('install-outcome-word')).toHaveText('Failed');
    await expect(page.getByTestId('install-outcome-error')).toContainText('CELL_UNREACHABLE');
    await expect(page.getByTestId('install-outcome-not-checked')).toHaveText('Signature: not checked (verification did not run).');
    await expect(page.getByTestId('install-outcome-image')).toHaveText(image);
    await expect(page.getByTestId('install-outcome-digest')).toHaveText(digest);
    await expect(outcome).not.toContainText('none');
    await page.getByTestId('install-dialog').screenshot({ path: screenshotPath('install-unreachable.png') });
    await page.getByTestId('install-close').click();

    // The receipt explained: the digest from the reference, keys "not checked", never "no trusted key".
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    const row = page.getByTestId('activity-row');
    await expect(row).toHaveCount(1);
    await row.getByRole('button', { name: /^Explain / }).click();
    await expect(page.getByTestId('explain-headline')).toBeFocused();
    const evidence = page.getByTestId('explain-evidence');
    await expect(evidence.getByTestId('evidence-digest')).toHaveText(digest);
    await expect(evidence.getByTestId('evidence-image')).toHaveText(image);
    await expect(evidence.getByTestId('evidence-trusted-keys')).toHaveText('not checked (verification did not run)');
    await expect(evidence.getByTestId('evidence-signed-by')).toHaveText('not checked (verification did not run)');
    await expect(evidence).not.toContainText('not pinned');
    await expect(evidence).not.toContainText('no trusted key');
    await expect(evidence.getByRole('button', { name: 'Copy image digest' })).toBeVisible();
    await expect(evidence.getByRole('button', { name: 'Copy image reference' })).toBeVisible();
    await page.screenshot({ path: screenshotPath('activity-unreachable-detail.png'), fullPage: true });

    // Esc goes back to the list, and focus returns to the Explain button that opened the receipt.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('activity-detail')).toHaveCount(0);
    await expect(row.getByRole('button', { name: /^Explain / })).toBeFocused();
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});
