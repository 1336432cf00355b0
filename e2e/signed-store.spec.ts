import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTufRepo, serveRepo, type RepoServer } from '../scripts/testbed/tuf-repo';
import { startInstallTestbed, type InstallTestbed } from '../scripts/testbed/install-testbed';
import { addCellProfile } from '../electron/core/cell/profiles';
import { addStore } from '../electron/core/store/stores-config';
import { refreshSignedStore } from '../electron/core/signed-store/signed-refresh';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Signed stores in the app (DESIGN 2.7), through the built browser shell and Chromium, against
 * TUF repositories made by the publishing module and served on loopback: adding one shows its
 * root's key ids, threshold and expiry before it is saved; Refresh picks up a new release; a
 * replayed release is refused with the catalogue's banner; an install from a current signed
 * store records the signed listing in its receipt, and one from an expired store is blocked
 * with the catalogue's words (a real cell and registry, as in install.spec).
 */

test.describe.configure({ timeout: 300_000 });

const HASH = (n: number) => String(n).repeat(64).slice(0, 64);
/** Images on a loopback port nothing serves: the store view's own checks stay on this machine. */
const storeIndex = (services: number) => ({
  schemaVersion: 1,
  name: 'Team Signed Store',
  services: Array.from({ length: services }, (_, i) => ({ id: `svc-${i + 1}`, name: `Service ${i + 1}`, version: '1.0', tagline: 'A listed service', image: `127.0.0.1:9/team/svc-${i + 1}@sha256:${HASH(i + 1)}` })),
});

test('Manage stores: add a signed store after seeing its root, Refresh picks up v2, a replayed v1 is refused with a banner', async ({ page, problems }) => {
  const tmp = mkdtempSync(join(tmpdir(), 'pic-e2e-tuf-'));
  let server: RepoServer | null = null;
  try {
    const repo = makeTufRepo(join(tmp, 'repo'), { thresholds: { root: 2 } });
    repo.publish(storeIndex(1));
    cpSync(repo.dir, join(tmp, 'v1'), { recursive: true });
    server = await serveRepo(repo.dir);
    const rootFile = join(tmp, 'team-root.json');
    writeFileSync(rootFile, readFileSync(join(repo.dir, 'metadata', '1.root.json')));
    const { shell, stop } = await startShell();
    try {
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Manage stores' }).click();
      // An unreachable store is refused when added, with the reason, and nothing is saved.
      const gone = await serveRepo(join(tmp, 'nothing'));
      await gone.stop();
      await page.getByLabel('Store URL or index file path').fill(`${gone.url}index.json`);
      await page.getByRole('button', { name: 'Add store' }).click();
      await expect(page.getByRole('alert')).toContainText('the store was not added');
      expect(readdirSync(shell.home)).not.toContain('stores.json');
      // A root whose store cannot be read with it: refused before the confirm step.
      await page.getByLabel('Store URL or index file path').fill(gone.url);
      await page.getByLabel('Root file of a signed store (optional)').fill(rootFile);
      await page.getByRole('button', { name: 'Check signed store' }).click();
      await expect(page.getByRole('alert')).toContainText('could not be read with this root, so it was not added');
      await expect(page.getByTestId('store-add-confirm')).toHaveCount(0);
      // Cancel at the confirm step saves nothing.
      await page.getByLabel('Store URL or index file path').fill(server.url);
      await page.getByRole('button', { name: 'Check signed store' }).click();
      await expect(page.getByTestId('store-add-confirm')).toBeVisible({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByTestId('store-add-confirm')).toHaveCount(0);
      expect(readdirSync(shell.home)).not.toContain('stores.json');
      await page.getByLabel('Store URL or index file path').fill(server.url);
      await page.getByLabel('Root file of a signed store (optional)').fill(rootFile);
      await page.getByRole('button', { name: 'Check signed store' }).click();

      // Before anything is saved: the root's key ids, threshold and expiry, and the index's name.
      const confirm = page.getByTestId('store-add-confirm');
      await expect(confirm).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('store-add-name')).toHaveText('Team Signed Store');
      for (const k of repo.keys.root) await expect(page.getByTestId('store-add-keyids')).toContainText(k.keyid);
      await expect(page.getByTestId('store-add-threshold')).toHaveText('2 of 2 root keys must sign a new root');
      await expect(page.getByTestId('store-add-expiry')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      await expect(confirm).toContainText('Listing signed by Team Signed Store, version 1, valid until');
      expect(readdirSync(shell.home)).not.toContain('stores.json');
      await page.getByTestId('store-add-confirm').screenshot({ path: screenshotPath('signed-store-confirm.png') });
      await page.getByRole('button', { name: 'Trust and add store' }).click();

      // Saved: the row says signed, its version, expiry and state; the view says whose listing it is.
      const row = page.getByTestId('store-row');
      await expect(row).toHaveAttribute('data-signed', 'true');
      await expect(row.getByTestId('store-row-version')).toHaveText('version 1');
      await expect(row.getByTestId('store-row-expiry')).toHaveText(/^valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      await expect(row.getByTestId('store-row-state')).toHaveText('current');
      await expect(page.getByTestId('listing-line')).toHaveText(/^Listing signed by Team Signed Store, version 1, valid until /);
      await expect(page.getByRole('button', { name: /^Service 1 v1\.0/ })).toBeVisible();

      // A new release: Refresh reads it (no page reload), a second service appears.
      repo.publish(storeIndex(2));
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect(page.getByTestId('listing-line')).toHaveText(/^Listing signed by Team Signed Store, version 2, /);
      await expect(page.getByRole('button', { name: /^Service 2 v1\.0/ })).toBeVisible();
      await expect(row.getByTestId('store-row-version')).toHaveText('version 2');

      // The old release served again (a rollback): refused, the banner names it, v2 stays shown.
      for (const f of readdirSync(join(tmp, 'v1', 'metadata'))) cpSync(join(tmp, 'v1', 'metadata', f), join(repo.dir, 'metadata', f));
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      const banner = page.getByTestId('listing-banner');
      await expect(banner).toHaveAttribute('data-code', 'STORE_ROLLBACK');
      await expect(page.getByTestId('listing-banner-title')).toHaveText('Store rollback refused.');
      await expect(page.getByTestId('listing-banner-sentence')).toContainText('served metadata older than what this machine already trusts');
      await expect(page.getByTestId('listing-banner-sentence')).toContainText('It still shows the last trusted listing, version 2');
      await expect(page.getByTestId('listing-banner-next')).toContainText('Do not install from this store until it refreshes cleanly');
      // The TUF library's own message stays out of the sentence; it is secondary text for the helpdesk.
      await expect(page.getByTestId('listing-banner-sentence')).not.toContainText('timestamp.json');
      await expect(page.getByTestId('listing-banner-sentence')).not.toContainText('is less than current');
      await expect(page.getByTestId('listing-banner-detail')).toHaveText(/^Details for the helpdesk: .*is less than current/);
      await expect(page.getByRole('button', { name: /^Service 2 v1\.0/ })).toBeVisible();
      await expect(row.getByTestId('store-row-state')).toHaveText('update refused');
      await banner.screenshot({ path: screenshotPath('signed-store-banner.png') });
      await page.locator('.store-manager').screenshot({ path: screenshotPath('signed-store-manage.png') });
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('installs: from a current signed store the receipt records the signed listing; from an expired one the catalogue blocks it', async ({ page, problems }) => {
  const tb: InstallTestbed = await startInstallTestbed();
  const tmp = mkdtempSync(join(tmpdir(), 'pic-e2e-tuf-'));
  const servers: RepoServer[] = [];
  try {
    await tb.setMode('enforce');
    const signed = await tb.image('demo/signed-listing', 'e2e signed listing');
    await tb.sign(signed);
    const service = { id: 'web', name: 'Web server', version: '1.0', tagline: 'A tiny httpd', image: signed };
    const current = makeTufRepo(join(tmp, 'current'));
    current.publish({ schemaVersion: 1, name: 'Signed Team Store', services: [service] });
    // The frozen store's timestamp runs out shortly: its listing expires while the test runs.
    const frozen = makeTufRepo(join(tmp, 'frozen'));
    const frozenUntil = Date.now() + 20_000;
    frozen.publish({ schemaVersion: 1, name: 'Frozen Store', services: [{ ...service, id: 'web-frozen', name: 'Frozen web' }] }, { expiresInMs: { timestamp: 20_000 } });
    for (const r of [current, frozen]) servers.push(await serveRepo(r.dir));
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(tb.storeKey.pub));
      },
    });
    try {
      for (const [i, r] of [current, frozen].entries()) {
        const url = servers[i]!.url;
        await addStore(shell.home, { location: url, name: i === 0 ? 'Signed Team Store' : 'Frozen Store', root: readFileSync(join(r.dir, 'metadata', '1.root.json')) });
        expect((await refreshSignedStore({ dataDir: shell.home, url })).listing.state).toBe('current');
      }
      const { id: _id, ...input } = tb.profile;
      void _id;
      await addCellProfile(shell.home, { ...input, name: 'test cell' });
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(shell.url);

      // Current: the pre-flight names the signed listing, the receipt records it.
      await expect(page.getByTestId('listing-line')).toHaveText(/^Listing signed by Signed Team Store, version 1, valid until /);
      await page.getByRole('button', { name: /^Web server v1\.0/ }).click();
      await expect(page.getByTestId('listing-line')).toHaveText(/^Listing signed by Signed Team Store, version 1, /);
      await expect(page.getByTestId('runs-signed-listing')).toContainText('Ports, volumes and environment are as the store signed them (Listing signed by Signed Team Store, version 1');
      await page.getByTestId('install-open').click();
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('preflight')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('preflight-listing-signature')).toHaveText(/^Listing signed by Signed Team Store, version 1, valid until /);
      await expect(page.locator('.preflight__listing h4')).toContainText('from the signed store listing');
      await expect(page.locator('.preflight__listing h4')).not.toContainText('not signed');
      await page.locator('.preflight__listing').screenshot({ path: screenshotPath('signed-store-preflight.png') });
      await page.getByTestId('install-confirm').click();
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Installed', { timeout: 120_000 });
      // The same listing sentence as the pre-flight and the service page, built in main.
      const currentLine = (await page.getByTestId('install-outcome-listing').textContent())!;
      expect(currentLine).toMatch(/^Listing signed by Signed Team Store, version 1, valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
      await page.getByText('Receipt JSON').click();
      expect(JSON.parse((await page.getByTestId('receipt-json').textContent())!)).toMatchObject({ outcome: 'installed', listing: { signed: true, storeVersion: 1, state: 'current' } });
      await page.getByTestId('install-close').click();
      await page.keyboard.press('Escape');

      // Expired: once the frozen store's timestamp has run out, its install is blocked in the catalogue's words.
      while (Date.now() <= frozenUntil) await page.waitForTimeout(Math.min(1000, frozenUntil - Date.now() + 50));
      await page.getByRole('combobox', { name: 'Store' }).selectOption({ label: 'Frozen Store' });
      await expect(page.getByTestId('listing-banner')).toHaveAttribute('data-code', 'STORE_EXPIRED', { timeout: 30_000 });
      await expect(page.getByTestId('listing-banner')).toHaveAttribute('data-state', 'expired');
      await page.getByRole('button', { name: /^Frozen web v1\.0/ }).click();
      await page.getByTestId('install-open').click();
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Refused', { timeout: 60_000 });
      await expect(page.getByTestId('install-outcome')).toHaveAttribute('data-decision', 'block');
      const block = page.getByTestId('install-outcome-listing-block');
      await expect(block).toHaveAttribute('data-code', 'STORE_EXPIRED');
      await expect(block).toContainText('Store listing expired.');
      await expect(block).toContainText('The signed store Frozen Store has no listing that is still valid');
      await expect(block).toContainText('Installs from this store are blocked until a fresh listing verifies');
      // No library text (it named the wrong role) in the person-facing sentence; the helpdesk detail apart.
      const blockSentence = (await block.locator('p').first().textContent())!;
      expect(blockSentence).not.toContain('timestamp.json');
      expect(blockSentence).not.toContain('is expired');
      await expect(page.getByTestId('install-outcome-listing-detail')).toHaveText(/^Details for the helpdesk: \S/);
      await expect(page.getByTestId('install-outcome-listing')).toHaveText(/^Listing signed by Frozen Store, version 1, expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC; installs from it are blocked$/);
      await expect(page.getByTestId('install-outcome-not-checked')).toHaveText("The image was not checked: the store's listing is blocked, so nothing from it is installed.");
      await expect(page.getByTestId('install-confirm')).toHaveCount(0);
      await page.getByTestId('install-dialog').screenshot({ path: screenshotPath('signed-store-install-blocked.png') });
      await page.getByText('Receipt JSON').click();
      expect(JSON.parse((await page.getByTestId('receipt-json').textContent())!)).toMatchObject({ outcome: 'rejected', error: { code: 'STORE_EXPIRED' }, listing: { signed: true, storeVersion: 1, state: 'expired' } });
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
    await tb.stop();
  }
});
