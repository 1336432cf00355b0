import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, startShell, test } from './shell-fixture';

/**
 * The browser shell's session (DESIGN 3.2): one single-use token becomes an HttpOnly,
 * SameSite=Strict cookie of the browser profile that spent it; and the token reaches the browser
 * without ever sitting in a process's arguments or environment.
 */

async function expectApp(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
}

test('the session survives a reload, a reopened tab at the bare origin and a second tab with the spent URL; another profile is refused', async ({ page, context, browser }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await expectApp(page);
    const cookies = await context.cookies(shell.origin);
    expect(cookies).toEqual([expect.objectContaining({ name: `pic-store-shell-${new URL(shell.origin).port}`, httpOnly: true, sameSite: 'Strict', path: '/', domain: '127.0.0.1', expires: -1 })]);
    // The page's script cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await page.reload();
    await expectApp(page);

    await page.close();
    const reopened = await context.newPage();
    await reopened.goto(`${shell.origin}/`);
    await expectApp(reopened);

    const second = await context.newPage();
    await second.goto(shell.url);
    await expectApp(second);
    expect(second.url()).toBe(`${shell.origin}/`);

    const other = await browser.newContext();
    try {
      const stranger = await other.newPage();
      await stranger.goto(shell.url);
      await expect(stranger.getByRole('alert')).toContainText('could not start');
      await expect(stranger.getByRole('alert')).toContainText('this browser has no session');
      await expect(stranger.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
      expect(await other.cookies(shell.origin)).toEqual([]);
    } finally {
      await other.close();
    }
    expect(shell.stderr()).toContain('refused a connection (credential)');
  } finally {
    await stop();
  }
});

test("the opener gets a private hand-over file: the token is in no process's argv or environment", async ({ page }) => {
  // A fake `xdg-open` first on PATH records exactly what the shell hands the opener.
  const bin = mkdtempSync(join(tmpdir(), 'pic-opener-'));
  const record = join(bin, 'record.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\n{ printf 'ARG %s\\n' "$@"; echo ENV; env; } > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const { shell, stop } = await startShell({ env: { PATH: `${bin}:${process.env.PATH ?? ''}`, DISPLAY: ':99', PIC_STORE_NO_BROWSER: undefined, CI: undefined } });
  try {
    const token = new URL(shell.url).hash.replace('#token=', '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => existsSync(record), { timeout: 10_000 }).toBe(true);
    const recorded = readFileSync(record, 'utf8');
    expect(recorded).not.toContain(token);
    const args = recorded.split('\n').filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4));
    expect(args).toHaveLength(1);
    const handOver = args[0] as string;
    expect(statSync(handOver).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(handOver)).mode & 0o777).toBe(0o700);
    expect(statSync(handOver).uid).toBe(process.getuid?.());
    // Nor in the shell's own argv or environment.
    expect(readFileSync(`/proc/${shell.pid}/cmdline`, 'utf8')).not.toContain(token);
    expect(readFileSync(`/proc/${shell.pid}/environ`, 'utf8')).not.toContain(token);

    // A browser opened on the file reaches the app, and the file is gone once the token is spent.
    await page.goto(pathToFileURL(handOver).href);
    await page.waitForURL(`${shell.origin}/`);
    await expectApp(page);
    await expect.poll(() => existsSync(dirname(handOver)), { timeout: 5_000 }).toBe(false);
  } finally {
    await stop();
    rmSync(bin, { recursive: true, force: true });
  }
});

test('an unused hand-over file is removed when the shell exits', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'pic-opener-'));
  const record = join(bin, 'record.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const { stop } = await startShell({ env: { PATH: `${bin}:${process.env.PATH ?? ''}`, DISPLAY: ':99', PIC_STORE_NO_BROWSER: undefined, CI: undefined } });
  try {
    await expect.poll(() => existsSync(record), { timeout: 10_000 }).toBe(true);
    const handOver = readFileSync(record, 'utf8');
    expect(existsSync(handOver)).toBe(true);
    await stop();
    expect(existsSync(dirname(handOver))).toBe(false);
  } finally {
    await stop();
    rmSync(bin, { recursive: true, force: true });
  }
});
