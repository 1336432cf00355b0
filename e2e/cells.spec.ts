import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCell, type TestCell } from '../scripts/testbed/cell';
import { closeCellConnection } from '../electron/core/cell/ssh';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * The Cells view end to end: a real sshd test cell (no dockerd needed), the built browser shell,
 * Debian's Chromium. The cell is added through the form, its host key confirmed in the dialog,
 * and its mode banner read from the cell over ssh.
 */

function cellKeyPair(): { pem: string; fingerprint: string } {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
  };
}

test.describe.configure({ timeout: 120_000 });

test('add the test cell in the UI, confirm its host key, and see its mode banner', async ({ page, problems, context }) => {
  const cell: TestCell = await startTestCell();
  const key = cellKeyPair();
  try {
    await cell.writeFile('config/api/cell_config.json', JSON.stringify({ image_verification: { mode: 'warn' } }));
    await cell.writeFile('config/cosign/cosign.pub', key.pem);
    const digest = `sha256:${'ab'.repeat(32)}`;
    await cell.writeFile('services/hello/receipt.json', JSON.stringify({ kind: 'pic-store-receipt', service: { id: 'hello', name: 'Hello', version: '1.2.0' }, digest }));
    const { shell, stop } = await startShell({
      // The app trusts the same key the cell holds, so "matches the app's trust root" is shown.
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        writeFileSync(join(home, 'trust', 'cell-key.pub'), key.pem);
      },
    });
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.origin });
      await page.setViewportSize({ width: 1100, height: 820 });
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await expect(page.getByTestId('cells-empty')).toBeVisible();

      // "Add cell" puts the caret in Name; an empty submit moves focus to the first invalid field,
      // and once Name is filled, to the next one main refused (SSH destination).
      await page.getByRole('button', { name: 'Add cell' }).click();
      await expect(page.getByLabel('Name')).toBeFocused();
      await page.getByRole('button', { name: 'Add cell' }).click();
      await expect(page.getByTestId('field-error-name')).toBeVisible();
      await expect(page.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('Name')).toBeFocused();
      await page.getByLabel('Name').fill('x');
      await page.getByLabel('Name').press('Enter');
      await expect(page.getByLabel('Name')).not.toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('SSH destination')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('SSH destination')).toBeFocused();
      // Cancel hands focus back to the button that opened the form.
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('button', { name: 'Add cell' })).toBeFocused();
      expect(existsSync(join(shell.home, 'cells.json'))).toBe(false);

      // Invalid input is refused by main and shown next to each field; nothing is stored.
      await page.getByRole('button', { name: 'Add cell' }).click();
      await expect(page.getByLabel('Name')).toBeFocused();
      await page.getByLabel('SSH destination').fill('-oProxyCommand=touch /tmp/pwned');
      await page.getByLabel('Port').fill('99999');
      await page.getByRole('button', { name: 'Add cell' }).click();
      await expect(page.getByTestId('field-error-name')).toBeVisible();
      await expect(page.getByTestId('field-error-destination')).toContainText('starts with "-"');
      await expect(page.getByTestId('field-error-port')).toContainText('1 to 65535');
      await expect(page.getByLabel('SSH destination')).toHaveAttribute('aria-invalid', 'true');
      expect(existsSync(join(shell.home, 'cells.json'))).toBe(false);
      await page.screenshot({ path: screenshotPath('cells-form-errors.png'), fullPage: true });

      // Keyboard only from here: fill, Tab, Enter.
      await page.getByLabel('Name').fill('test cell');
      await page.getByLabel('SSH destination').fill(cell.userAtHost);
      await page.getByLabel('Port').fill(String(cell.port));
      await page.getByLabel('Identity file').fill(cell.clientKey);
      await page.getByLabel('PIC root').fill(cell.root);
      await page.getByLabel('PIC root').press('Enter');
      const card = page.getByTestId('cell-card');
      await expect(card).toHaveCount(1);
      await expect(card.getByRole('heading', { name: 'test cell' })).toBeVisible();
      const stored = JSON.parse(readFileSync(join(shell.home, 'cells.json'), 'utf8')) as { cells: Array<{ destination: string; port: number }> };
      expect(stored.cells).toMatchObject([{ destination: cell.userAtHost, port: cell.port }]);

      // First connection: the host key is unknown, so a dialog shows it; nothing is recorded yet.
      await card.getByRole('button', { name: 'Test connection' }).click();
      const dialog = page.getByTestId('host-key-dialog');
      await expect(dialog).toBeVisible();
      const hostKey = await cell.hostKey();
      await expect(dialog.getByTestId('host-key-fingerprint')).toHaveText(hostKey.fingerprint);
      await expect(dialog.getByTestId('host-key-type')).toHaveText('ssh-ed25519');
      await expect(dialog.getByTestId('host-key-host')).toHaveText(`[127.0.0.1]:${cell.port}`);
      expect(existsSync(join(shell.home, 'known_hosts'))).toBe(false);
      await dialog.getByRole('button', { name: 'Copy host key fingerprint' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hostKey.fingerprint);
      await page.screenshot({ path: screenshotPath('cells-host-key-dialog.png') });

      // Cancel (Escape) records nothing; asking again brings the dialog back.
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      expect(existsSync(join(shell.home, 'known_hosts'))).toBe(false);
      await card.getByRole('button', { name: 'Test connection' }).click();
      await expect(dialog).toBeVisible();
      // Its Cancel button closes it with one click too, recording nothing (issue 17 item 4).
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      expect(existsSync(join(shell.home, 'known_hosts'))).toBe(false);
      await card.getByRole('button', { name: 'Test connection' }).click();
      await expect(dialog).toBeVisible();
      // Keyboard: focus starts on the safe choice (Cancel); Shift+Tab reaches Confirm, Enter confirms.
      await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
      await page.keyboard.press('Shift+Tab');
      await expect(dialog.getByRole('button', { name: 'Confirm and connect' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(dialog).toHaveCount(0);

      const banner = card.getByTestId('cell-mode-banner');
      await expect(banner).toHaveAttribute('data-mode', 'warn');
      await expect(banner).toHaveAttribute('data-source', 'config');
      await expect(banner).toContainText("warn — set in the cell's config");
      await expect(banner).toContainText(`PIC root ${cell.root} (non-default)`);
      await expect(card.getByTestId('cell-root-nondefault')).toBeVisible();
      await expect(card.getByTestId('cell-key-fingerprint')).toHaveText(key.fingerprint);
      await expect(card.getByTestId('cell-key-match')).toHaveText('matches the app’s trust root');
      await expect(card.getByTestId('cell-services')).toContainText('hello');
      await expect(card.getByTestId('cell-services')).toContainText('1.2.0');
      await expect(card.getByTestId('cell-services')).toContainText(digest);
      const knownHosts = readFileSync(join(shell.home, 'known_hosts'), 'utf8');
      expect(knownHosts).toContain(`[127.0.0.1]:${cell.port} ${hostKey.line}`);
      await page.screenshot({ path: screenshotPath('cells-status-light.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: screenshotPath('cells-status-dark.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });

      // Remove asks first; "Keep" returns focus to Remove. Then the profile is gone and the empty state is back.
      await card.getByRole('button', { name: 'Remove' }).click();
      const confirm = page.getByRole('group', { name: 'Remove test cell?' });
      await expect(confirm.getByRole('button', { name: 'Keep' })).toBeFocused();
      await confirm.getByRole('button', { name: 'Keep' }).click();
      await expect(confirm).toHaveCount(0);
      await expect(card.getByRole('button', { name: 'Remove' })).toBeFocused();
      await card.getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('group', { name: 'Remove test cell?' }).getByRole('button', { name: 'Remove' }).click();
      await expect(page.getByTestId('cells-empty')).toBeVisible();
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await cell.stop();
  }
});

// A configured cell may already show its last status (read by the app's update check at start,
// DESIGN 2.9), so its button says "Refresh status" rather than "Test connection".
test('a corrupt cell_config.json shows the fail-closed banner; a changed host key is refused', async ({ page, problems }) => {
  const cell: TestCell = await startTestCell();
  try {
    await cell.writeFile('config/api/cell_config.json', '{\n  "image_verification": {\n    "mode": "off",\n  }\n}\n');
    const hostKey = await cell.hostKey();
    const { shell, stop } = await startShell({
      // A profile on the ssh config alias, with its host key already confirmed earlier.
      seed: ({ home }) => {
        const profile = { id: 'cell-1', name: 'corrupt cell', destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root };
        writeFileSync(join(home, 'cells.json'), JSON.stringify({ version: 1, cells: [profile] }));
        writeFileSync(join(home, 'known_hosts'), `[127.0.0.1]:${cell.port} ${hostKey.line}\n`);
      },
    });
    try {
      await page.setViewportSize({ width: 1100, height: 820 });
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      const card = page.getByTestId('cell-card');
      await card.getByRole('button', { name: /^(Test connection|Refresh status)$/ }).click();
      const banner = card.getByTestId('cell-mode-banner');
      await expect(banner).toHaveAttribute('data-mode', 'enforce');
      await expect(banner).toHaveAttribute('data-source', 'fail-closed');
      await expect(banner).toContainText(/^enforce — config unreadable: .*line 4.*\(failing closed\)/);
      await expect(card.getByTestId('cell-key-problem')).toContainText('absent');
      await page.screenshot({ path: screenshotPath('cells-fail-closed.png'), fullPage: true });

      // The cell comes back with a different host key: refused with the plain explanation.
      await cell.restartWithNewHostKey();
      await card.getByRole('button', { name: 'Refresh status' }).click();
      const refusal = card.getByTestId('host-key-changed');
      await expect(refusal).toBeVisible({ timeout: 30_000 });
      await expect(refusal).toContainText('REMOTE HOST IDENTIFICATION HAS CHANGED');
      await expect(refusal).toContainText((await cell.hostKey()).fingerprint);
      await expect(card.getByTestId('cell-mode-banner')).toHaveCount(0);
      expect(readFileSync(join(shell.home, 'known_hosts'), 'utf8')).toBe(`[127.0.0.1]:${cell.port} ${hostKey.line}\n`);
      await page.screenshot({ path: screenshotPath('cells-host-key-changed.png'), fullPage: true });
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await cell.stop();
  }
});

test('error states: unreadable cells.json, a frozen cell cancelled, a refused login', async ({ page, problems }) => {
  const corrupt = await startShell({ seed: ({ home }) => writeFileSync(join(home, 'cells.json'), '{"cells": [ {"name": 5} ]}') });
  try {
    await page.goto(corrupt.shell.url);
    await page.getByRole('button', { name: 'Cells', exact: true }).click();
    const err = page.getByRole('alert').filter({ hasText: 'Could not read the cell profiles' });
    await expect(err).toContainText('DATA_FILE_CORRUPT');
    await expect(err).toContainText('left as it is');
    // Reported, never replaced.
    expect(readFileSync(join(corrupt.shell.home, 'cells.json'), 'utf8')).toBe('{"cells": [ {"name": 5} ]}');
  } finally {
    await corrupt.stop();
  }

  const cell: TestCell = await startTestCell();
  try {
    const hostKey = await cell.hostKey();
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        const profile = { id: 'c1', name: 'flaky', destination: cell.userAtHost, port: cell.port, identityFile: cell.clientKey, root: '/opt/pic' };
        writeFileSync(join(home, 'cells.json'), JSON.stringify({ version: 1, cells: [profile] }));
        writeFileSync(join(home, 'known_hosts'), `[127.0.0.1]:${cell.port} ${hostKey.line}\n`);
      },
    });
    try {
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      const card = page.getByTestId('cell-card');
      await cell.freeze();
      try {
        await card.getByRole('button', { name: /^(Test connection|Refresh status)$/ }).click();
        await expect(card.getByText('Connecting with your ssh…')).toBeVisible();
        // Busy, yet still focused (aria-disabled, not disabled): focus never drops to <body>.
        const busy = card.getByRole('button', { name: 'Connecting…' });
        await expect(busy).toHaveAttribute('aria-disabled', 'true');
        await expect(busy).toBeFocused();
        const started = Date.now();
        await card.getByRole('button', { name: 'Cancel' }).click();
        await expect(card.getByTestId('cell-check-cancelled')).toBeVisible({ timeout: 5000 });
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        await cell.thaw();
      }
      // The app's update check at start read this cell and its ssh master persists (ControlPersist),
      // as after any check; end it so the next connection really logs in again.
      await closeCellConnection({ id: 'c1', name: 'flaky', destination: cell.userAtHost, port: cell.port, identityFile: cell.clientKey, root: '/opt/pic' }, { dataDir: shell.home });
      await cell.removeAuthorizedKey();
      await card.getByRole('button', { name: /^(Test connection|Refresh status)$/ }).click();
      const err = card.getByRole('alert');
      await expect(err).toContainText('AUTH_FAILED', { timeout: 20_000 });
      await expect(err).toContainText('refused the login');
      await page.screenshot({ path: screenshotPath('cells-auth-failed.png'), fullPage: true });
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await cell.stop();
  }
});
