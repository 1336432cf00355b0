import { generateKeyPairSync, createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

test('the app loads through the shell with no console errors or CSP violations', async ({ page, problems }) => {
  const { shell, stop } = await startShell();
  try {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const response = await page.goto(shell.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    for (const label of ['Store', 'Cells', 'Fleet', 'Activity', 'Preview', 'About / Trust']) {
      await expect(page.getByRole('button', { name: label, exact: true })).toBeVisible();
    }
    // The app opens on the Store view. This shell's app config is empty (no demo store shipped in
    // it, no stores configured), so the view says so and what to do (store-demo.spec covers the demo).
    await expect(page.getByRole('button', { name: 'Store', exact: true })).toHaveAttribute('aria-current', 'page');
    const storeView = page.getByRole('region', { name: 'Store' });
    await expect(storeView).toBeVisible();
    await expect(storeView).toContainText('demo store is missing');
    await expect(storeView.getByRole('button', { name: 'Manage stores' })).toBeVisible();
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByRole('button', { name: 'About / Trust', exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
    await expect(page.getByTestId('data-dir')).toHaveText(shell.home);
    // The single-use token is gone from the address bar (and history) once read.
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toBe(`${shell.origin}/`);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});

test('the renderer has no require, process or ipcRenderer, and one frozen picStore', async ({ page, problems }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toBeVisible();
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as Record<string, unknown>).require,
      process: typeof (window as unknown as Record<string, unknown>).process,
      ipcRenderer: typeof (window as unknown as Record<string, unknown>).ipcRenderer,
      module: typeof (window as unknown as Record<string, unknown>).module,
      picStoreFrozen: Object.isFrozen(window.picStore) && Object.isFrozen(window.picStore?.trust),
      domains: Object.keys(window.picStore ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', module: 'undefined', picStoreFrozen: true, domains: expect.arrayContaining(['app', 'trust']) });
    // A malformed call from the page gets an envelope, not an exception.
    const bad = await page.evaluate(() => (window.picStore?.trust.get as unknown as (a: unknown) => Promise<unknown>)({ evil: 1 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_BAD_ARGUMENT' } });
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('the trust panel says plainly that no store key is installed when config/cosign is empty', async ({ page, problems }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    const state = page.getByTestId('trust-state');
    await expect(state).toHaveAttribute('data-state', 'no-key');
    await expect(state).toContainText('No store key installed');
    await expect(page.getByTestId('no-keys')).toBeVisible();
    // First run (issue 17 item 1): a calm note with the real key path and next steps, not a red error.
    const firstRun = page.getByTestId('first-run');
    await expect(firstRun).toHaveAttribute('role', 'status');
    await expect(firstRun).toHaveClass(/banner--info/);
    await expect(firstRun).toContainText('Getting started.');
    await expect(firstRun).toContainText('The Demo store works now');
    // Shown home-relative: the shell's HOME is its temp dir, the app config ~/config in it.
    await expect(page.getByTestId('first-run-key-dir')).toHaveText('~/config/cosign');
    await expect(firstRun).toContainText('your own keys go in ~/.config/pic-store-manager/trust.');
    await expect(page.locator('.banner--danger')).toHaveCount(0);
    await firstRun.getByRole('button', { name: 'add and test a cell' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Cells' })).toBeVisible();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: screenshotPath('trust-panel-no-key.png'), fullPage: true });
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('a key placed in trust/ shows origin local and its fingerprint; an unusable file is reported', async ({ page, problems, context }) => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      mkdirSync(join(home, 'trust'));
      writeFileSync(join(home, 'trust', 'test-key.pub'), pem);
      writeFileSync(join(home, 'trust', 'broken.pub'), '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
    },
  });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.origin });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toHaveAttribute('data-state', 'local-only');
    await expect(page.getByTestId('trust-state')).toContainText('local keys in use');
    const key = page.getByTestId('trusted-key');
    await expect(key).toHaveCount(1);
    await expect(key.getByTestId('key-origin')).toHaveText('your own key');
    await expect(key.getByTestId('key-fingerprint')).toHaveText(fingerprint);
    await expect(page.getByTestId('key-problem')).toContainText('broken.pub');
    await key.getByRole('button', { name: /Copy fingerprint/ }).click();
    await expect(key.getByRole('button', { name: /Copy fingerprint/ })).toHaveText('Copied');
    // The button's name stays "Copy fingerprint …"; a polite live region says it worked.
    await expect(key.getByRole('status')).toHaveText('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fingerprint);
    await page.screenshot({ path: screenshotPath('trust-panel-local-key.png'), fullPage: true });
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

function fingerprintOfPem(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex');
}

test('a key in the app’s bundled config/cosign/ shows origin bundled and "Store key installed"; the demo key is listed as demo-only', async ({ page, problems }) => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const demoPem = readFileSync(join(__dirname, '..', 'config', 'demo-store', 'cosign.pub'), 'utf8');
  const { shell, stop } = await startShell({
    // PIC_STORE_APP_CONFIG points at this temp config dir: the store's publish key as a
    // deployment places it, and the demo store's own key where the app ships it.
    seed: ({ appConfig }) => {
      writeFileSync(join(appConfig, 'cosign', 'store.pub'), pem);
      mkdirSync(join(appConfig, 'demo-store'));
      copyFileSync(join(__dirname, '..', 'config', 'demo-store', 'cosign.pub'), join(appConfig, 'demo-store', 'cosign.pub'));
    },
  });
  try {
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    const state = page.getByTestId('trust-state');
    await expect(state).toHaveAttribute('data-state', 'store');
    await expect(state).toContainText('Store key installed');
    await expect(state).not.toContainText('No store key');
    await expect(page.getByText('No store key installed')).toHaveCount(0);
    await expect(page.getByTestId('first-run')).toHaveCount(0);
    const key = page.getByTestId('trusted-key');
    await expect(key).toHaveCount(1);
    await expect(key.getByTestId('key-origin')).toHaveText('the store key installed with the app');
    await expect(key.getByTestId('key-fingerprint')).toHaveText(fingerprint);
    await expect(page.getByTestId('no-keys')).toHaveCount(0);
    // The demo key is named (verdicts on the demo store cite it) but kept apart, tagged demo-only.
    const demo = page.getByTestId('demo-key');
    await expect(demo).toHaveCount(1);
    await expect(demo.getByTestId('key-origin')).toHaveText('demo — used only for the demo store');
    await expect(demo.getByTestId('key-fingerprint')).toHaveText(fingerprintOfPem(demoPem));
    await page.screenshot({ path: screenshotPath('trust-panel-store-key.png'), fullPage: true });
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('the printed URL works once: another browser profile with the spent token is refused', async ({ page, browser }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toBeVisible();
    // Reloading the tab keeps working: it reconnects with its session cookie, not the spent token
    // (shell-session.spec.ts covers reopened and second tabs of the same profile).
    await page.reload();
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toBeVisible();
    const other = await browser.newContext();
    try {
      const second = await other.newPage();
      await second.goto(shell.url);
      await expect(second.getByRole('alert')).toContainText('this browser has no session');
    } finally {
      await other.close();
    }
  } finally {
    await stop();
  }
});

test('the theme follows prefers-color-scheme (light and dark)', async ({ page, problems }) => {
  const { shell, stop } = await startShell();
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toBeVisible();
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(light).toBe('rgb(246, 247, 249)');
    expect(dark).toBe('rgb(18, 22, 29)');
    await page.screenshot({ path: screenshotPath('trust-panel-dark.png'), fullPage: true });
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('a key placed while the app runs appears without a reload (trust:changed pushed from main)', async ({ page, problems }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('trust-state')).toHaveAttribute('data-state', 'no-key');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    mkdirSync(join(shell.home, 'trust'));
    writeFileSync(join(shell.home, 'trust', 'added.pub'), publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await expect(page.getByTestId('trust-state')).toHaveAttribute('data-state', 'local-only', { timeout: 10_000 });
    await expect(page.getByTestId('key-origin')).toHaveText('your own key');
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

/** WCAG relative-luminance contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r = 0, g = 0, bl = 0] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

test('text fields and selects have an outline of at least 3:1 against the page and panels, light and dark', async ({ page }) => {
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    const field = page.locator('#import-path');
    await expect(field).toBeVisible();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const colours = await field.evaluate((el) => {
        const probe = (v: string) => {
          const d = document.createElement('div');
          d.style.color = `var(${v})`;
          document.body.append(d);
          const c = getComputedStyle(d).color;
          d.remove();
          return c;
        };
        return { border: getComputedStyle(el).borderTopColor, backgrounds: ['--bg', '--surface', '--surface-2'].map(probe) };
      });
      // The probes resolved the theme's colours (a blocked style would leave the text colour).
      expect(new Set(colours.backgrounds).size).toBe(3);
      for (const bg of colours.backgrounds) expect(contrast(colours.border, bg), `${scheme}: ${colours.border} on ${bg}`).toBeGreaterThanOrEqual(3);
    }
  } finally {
    await stop();
  }
});
