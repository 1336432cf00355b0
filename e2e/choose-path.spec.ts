import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startShell, test } from './shell-fixture';

/**
 * DESIGN 3: files are opened by path in main — a dialog in Electron, a typed or dropped path in
 * the browser shell. The shell has no dialog: `app:choose-path` says so, no "Choose…" button is
 * shown anywhere, `pathForFile` answers null, and typed or dropped (file: URL) paths still work.
 */
let work: string;
test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pic-choose-e2e-'));
});
test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const manifest = { id: 'notes', name: 'Team Notes', version: '1.0.0', image: `127.0.0.1:1/dev/notes@sha256:${'a'.repeat(64)}` };

test('browser shell: no Choose buttons, choose-path unsupported, typed and dropped paths open', async ({ page, problems }) => {
  const file = join(work, 'my manifest.json');
  writeFileSync(file, JSON.stringify(manifest));
  const { shell, stop } = await startShell();
  try {
    await page.goto(shell.url);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    const answers = await page.evaluate(async () => {
      const app = window.picStore!.app;
      return {
        info: await app.info(),
        choose: await app.choosePath({ purpose: 'listing' }),
        dropped: app.pathForFile(new File(['x'], 'x.json')),
        frozen: Object.isFrozen(app),
      };
    });
    expect(answers.info).toMatchObject({ ok: true, data: { transport: 'browser-shell', canChoosePaths: false } });
    expect(answers.choose).toEqual({ ok: true, data: { supported: false } });
    expect(answers.dropped).toBeNull();
    expect(answers.frozen).toBe(true);

    const chooseButtons = page.getByRole('button', { name: 'Choose…' });
    // Store: Manage stores.
    await page.getByRole('region', { name: 'Store' }).getByRole('button', { name: 'Manage stores' }).click();
    await expect(page.getByLabel('Store URL or index file path')).toBeVisible();
    await expect(chooseButtons).toHaveCount(0);
    // Cells: the add form (identity file, ssh config).
    await page.getByRole('button', { name: 'Cells', exact: true }).click();
    await page.getByRole('button', { name: 'Add cell' }).click();
    await expect(page.getByLabel('Identity file')).toBeVisible();
    await expect(chooseButtons).toHaveCount(0);
    // Activity: import.
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    await expect(page.getByLabel(/Import a receipt/)).toBeVisible();
    await expect(chooseButtons).toHaveCount(0);
    // Preview: a typed path opens; the key and layout fields have no Choose either.
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByLabel(/Manifest or index to preview/).fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('preview-meta')).toContainText(file);
    await expect(page.getByLabel('Your public key (absolute path, optional)')).toBeVisible();
    await expect(chooseButtons).toHaveCount(0);

    // A dropped file: its File has no path here, so the drop's text/uri-list (file: URL) is used.
    const other = join(work, 'other.json');
    writeFileSync(other, JSON.stringify({ ...manifest, id: 'other', name: 'Other Notes' }));
    await page.evaluate((url) => {
      const data = new DataTransfer();
      data.items.add(new File(['{}'], 'other.json', { type: 'application/json' }));
      data.setData('text/uri-list', url);
      const form = document.getElementById('preview-path')!.closest('form')!;
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, `file://${encodeURI(other)}`);
    await expect(page.getByTestId('preview-meta')).toContainText(other);
    await expect(page.getByLabel(/Manifest or index to preview/)).toHaveValue(other);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});
