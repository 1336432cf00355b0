import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosignHome, cosignKeyPair, cosignSign, type CosignHome } from '../scripts/testbed/cosign';
import { pushImage, type PushedImage } from '../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { startTestCell, type TestCell } from '../scripts/testbed/cell';
import { explainReceipt } from '../electron/core/receipts/explain';
import { createReceipt, receiptVerification, type Receipt } from '../electron/core/receipts/receipt';
import { sampleReceipt } from '../scripts/testbed/sample-receipt';
import { RegistrySourcePool } from '../electron/core/registry/registry-pool';
import { RegistrySource } from '../electron/core/registry/registry-source';
import { loadTrustRootFromFiles } from '../electron/core/trust/trust-root';
import { verifyImage } from '../electron/core/verification/verify-image';
import { expect, startShell, test } from './shell-fixture';
import { screenshotPath } from './screenshot-path';

/**
 * Issue 8, helpdesk: a rejected install's receipt — made by core's createReceipt from a REAL
 * verification report of an unsigned image in a testbed registry — shows in Activity with its
 * explanation; export → import round-trips it unchanged; after the image is signed with cosign,
 * re-check shows what changed. And a 10,000-receipt log with a torn last line loads.
 */
let reg: TestRegistry;
let cosign: CosignHome;
let key: { key: string; pub: string };
let img: PushedImage;
let receipt: Receipt;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [reg, cosign] = await Promise.all([startRegistry(), cosignHome()]);
  key = await cosignKeyPair(cosign, 'store');
  work = mkdtempSync(join(tmpdir(), 'pic-activity-e2e-'));
  img = await pushImage(reg.host, 'pic/notes');
  receipt = await rejectedReceipt(img, { id: 'notes', name: 'Notes', version: '1.2.0' });
});

/**
 * A receipt of an enforcing cell refusing an unsigned image, from a REAL verification report. Its
 * cell is `pic@cell.invalid` (a name that never resolves): a re-check must never go there.
 */
async function rejectedReceipt(image: PushedImage, service: Receipt['service']): Promise<Receipt> {
  const pool = new RegistrySourcePool((registry) => new RegistrySource({ registry, timeoutMs: 5000 }));
  try {
    const report = await verifyImage({ image: image.ref, serviceId: service.id, trustRoot: await loadTrustRootFromFiles([key.pub], 'local'), sources: pool.provider });
    expect(report.reason).toBe('SIGNATURE_NOT_FOUND');
    return createReceipt({
      action: 'install',
      store: { name: 'Test store', url: `http://${reg.host}/index.json` },
      service,
      cell: { name: 'lab', destination: 'pic@cell.invalid', root: '/opt/pic' },
      image: image.ref,
      digest: image.digest,
      verification: receiptVerification(report),
      cellVerification: { ran: true, verified: false, cosignVersion: 'v2.5.0', output: 'Error: no signatures found' },
      mode: { value: 'enforce', source: 'config', detail: 'image_verification.mode is "enforce" in config/api/cell_config.json' },
      decision: 'block',
      outcome: 'rejected',
      error: null,
    });
  } finally {
    pool.close();
  }
}

test.afterAll(async () => {
  await reg?.stop();
  await cosign?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a rejected install is explained; export → import round-trips; re-check after signing shows the change', async ({ page, problems, context }) => {
  test.setTimeout(90_000);
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      mkdirSync(join(home, 'trust'));
      writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(key.pub));
      writeFileSync(join(home, 'activity.jsonl'), `${JSON.stringify(receipt)}\n`);
    },
  });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.origin });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    const row = page.getByTestId('activity-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Notes');
    await expect(row).toContainText('SIGNATURE_NOT_FOUND');
    // Issue 17 item 3: the catalogue's short label leads, the code follows as secondary text.
    await expect(row.getByTestId('activity-reason')).toHaveText('Unsigned SIGNATURE_NOT_FOUND');
    // The mode in words; its value and source stay as data attributes for the helpdesk.
    await expect(row.locator('[data-mode-value="enforce"][data-mode-source="config"]')).toHaveText('Enforce (from the cell config)');
    await page.screenshot({ path: screenshotPath('activity-list.png') });

    await row.getByRole('button', { name: /Explain/ }).click();
    const x = explainReceipt(receipt);
    const detail = page.getByTestId('activity-detail');
    await expect(detail).toHaveAttribute('data-receipt-id', receipt.id);
    await expect(page.getByTestId('explain-headline')).toHaveText(x.headline);
    await expect(page.getByTestId('explain-verdict')).toHaveAttribute('data-reason', 'SIGNATURE_NOT_FOUND');
    await expect(page.getByTestId('explain-verdict')).toContainText(x.verdict!.sentence);
    expect(x.verdict!.sentence).toContain(img.digest);
    // The check's label leads; its id follows as secondary text.
    await expect(page.getByTestId('failed-check')).toContainText('Failed check: Signature attached signature-found —');
    await expect(page.getByTestId('explain-evidence')).toContainText(img.digest);
    await expect(page.getByTestId('explain-mode')).toContainText(x.mode!.sentence);
    await expect(page.getByTestId('explain-mode')).toContainText('Enforce (from the cell config)');
    await expect(page.getByTestId('explain-mode')).not.toContainText('enforce from config');
    await expect(page.getByTestId('desktop-verdict')).toContainText('not verified: Unsigned');
    await expect(page.getByTestId('cell-verdict')).toContainText('not verified by cosign v2.5.0');
    await expect(page.getByTestId('disagreement')).toHaveCount(0);
    await expect(page.getByTestId('explain-next').locator('[data-role="helpdesk"]')).toHaveText(x.next.helpdesk);
    await page.screenshot({ path: screenshotPath('activity-detail.png'), fullPage: true });

    // Copy for a ticket: the same text the CLI prints, plus the raw receipt.
    await page.getByRole('button', { name: 'Copy for a ticket' }).click();
    const ticket = await page.evaluate(() => navigator.clipboard.readText());
    expect(ticket).toContain(x.headline);
    expect(ticket).toContain(`"id": "${receipt.id}"`);

    // Export through main, then import the file: unchanged.
    const file = join(work, 'exported receipt.json');
    await page.getByLabel('Save the receipt as a file (absolute path)').fill(file);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByTestId('export-done')).toContainText(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(receipt);
    await page.getByRole('button', { name: '← Back to the list' }).click();
    await page.getByLabel(/Import a receipt/).fill(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('activity-detail')).toHaveAttribute('data-receipt-id', receipt.id);
    await expect(page.getByText('imported', { exact: true })).toBeVisible();
    await page.getByText('Raw receipt').click();
    expect(JSON.parse((await page.getByTestId('raw-receipt').textContent()) ?? '')).toEqual(receipt);

    // A file that is not a receipt is refused with the JSON path of the problem.
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...receipt, outcome: 'exploded' }));
    await page.getByRole('button', { name: '← Back to the list' }).click();
    await page.getByLabel(/Import a receipt/).fill(bad);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('/outcome');

    // Re-check: the receipt's registry is none of this person's stores', so nothing is contacted
    // until they confirm that host (DESIGN 2.5). Then nothing changed; then sign and re-check.
    await page.getByRole('button', { name: /Explain/ }).first().click();
    await page.getByRole('button', { name: 'Re-check now' }).click();
    await expect(page.getByTestId('recheck-result')).toHaveAttribute('data-image-state', 'not-checked');
    await expect(page.getByTestId('recheck-summary')).toContainText(`Image not re-checked: its registry ${reg.host} is not one of your configured stores' registries`);
    await page.getByRole('button', { name: `Check image at ${reg.host}` }).click();
    await expect(page.getByTestId('recheck-result')).toHaveAttribute('data-image-state', 'checked');
    await expect(page.getByTestId('recheck-summary')).toContainText('Nothing changed');
    await cosignSign(cosign, key.key, img.ref);
    await page.getByRole('button', { name: 'Re-check now' }).click();
    await expect(page.getByTestId('recheck-summary')).toContainText('now verified (was not verified)');
    const changes = page.getByTestId('recheck-changes');
    await expect(changes.locator('[data-change="verified"]')).toContainText('verified');
    await expect(changes.locator('[data-change="reason"]')).toContainText('VERIFIED');
    await expect(page.getByTestId('recheck-result')).not.toContainText('pic@cell.invalid');
    await page.getByTestId('recheck-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('activity-recheck.png') });
    // The receipt itself is evidence: never rewritten by a re-check.
    expect(readFileSync(join(shell.home, 'activity.jsonl'), 'utf8')).toBe(`${JSON.stringify(receipt)}\n`);
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});

test('re-check with a cell the helpdesk person chooses reads the mode from THAT cell, never the receipt\'s destination', async ({ page, problems }) => {
  test.setTimeout(90_000);
  // Its own unsigned image, so that the signing in the test above does not matter here.
  const wiki = await pushImage(reg.host, 'pic/wiki');
  const wikiReceipt = await rejectedReceipt(wiki, { id: 'wiki', name: 'Wiki', version: '2.0.0' });
  const cell: TestCell = await startTestCell();
  try {
    await cell.writeFile('config/api/cell_config.json', `${JSON.stringify({ image_verification: { mode: 'warn' } }, null, 2)}\n`);
    const hostKey = await cell.hostKey();
    const { shell, stop } = await startShell({
      seed: ({ home }) => {
        mkdirSync(join(home, 'trust'));
        writeFileSync(join(home, 'trust', 'store.pub'), readFileSync(key.pub));
        writeFileSync(join(home, 'activity.jsonl'), `${JSON.stringify(wikiReceipt)}\n`);
        const profile = { id: 'helpdesk-lab', name: 'helpdesk lab', destination: cell.alias, sshConfig: cell.sshConfig, root: cell.root };
        writeFileSync(join(home, 'cells.json'), JSON.stringify({ version: 1, cells: [profile] }));
        writeFileSync(join(home, 'known_hosts'), `[127.0.0.1]:${cell.port} ${hostKey.line}\n`);
        // The helpdesk person's own store lists a service on that registry: no confirmation needed.
        writeFileSync(join(home, 'index.json'), JSON.stringify({ schemaVersion: 1, name: 'Helpdesk store', services: [{ id: 'wiki', name: 'Wiki', version: '2.0.0', image: `${reg.host}/pic/wiki:2.0.0` }] }));
        writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Helpdesk store', url: pathToFileURL(join(home, 'index.json')).href }] }));
      },
    });
    try {
      await page.goto(shell.url);
      await page.getByRole('button', { name: 'Activity', exact: true }).click();
      const row = page.getByTestId('activity-row');
      await expect(row).toHaveCount(1);
      await row.getByRole('button', { name: /Explain/ }).click();
      await expect(page.getByTestId('activity-detail')).toHaveAttribute('data-receipt-id', wikiReceipt.id);

      const chooser = page.getByLabel('Cell to read the mode from');
      // Only configured profiles are offered; the receipt's own destination is not one of them.
      await expect(chooser.locator('option')).toHaveText(['No cell (image only)', `helpdesk lab (${cell.alias})`]);
      await chooser.selectOption('helpdesk-lab');
      await page.getByRole('button', { name: 'Re-check now' }).click();

      const result = page.getByTestId('recheck-result');
      await expect(result).toBeVisible({ timeout: 30_000 });
      await expect(result).toHaveAttribute('data-image-state', 'checked');
      // The mode came from the chosen cell's cell_config.json (warn), not from the receipt (enforce).
      const modeChange = page.getByTestId('recheck-changes').locator('[data-change="mode"]');
      await expect(modeChange).toContainText('enforce (config)');
      await expect(modeChange).toContainText('warn (config)');
      await expect(page.getByTestId('recheck-changes').locator('[data-change="decision"]')).toContainText('warn');
      await expect(result).toContainText('helpdesk lab:');
      // In words, not the decision code (issue 17 item 3).
      await expect(result).toContainText('Today it would install, with a warning.');
      await expect(result).not.toContainText('Decision now');
      // Nothing was read from, or even attempted at, pic@cell.invalid: no cell error, no mention.
      await expect(result).not.toContainText('could not be read');
      await expect(result).not.toContainText('cell.invalid');
      // The image part is unchanged: still unsigned.
      await expect(page.getByTestId('recheck-changes').locator('[data-change="verified"]')).toHaveCount(0);
      await expect(page.getByTestId('recheck-summary')).toContainText("The chosen cell's mode is warn (config); the receipt recorded enforce (config).");
      expect(readFileSync(join(shell.home, 'activity.jsonl'), 'utf8')).toBe(`${JSON.stringify(wikiReceipt)}\n`);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await stop();
    }
  } finally {
    await cell.stop();
  }
});

test('10,000 receipts and a torn last line load, paged, with filters', async ({ page, problems }) => {
  test.setTimeout(90_000);
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++) {
        const r = sampleReceipt(
          { service: { id: `svc-${i % 50}`, name: `Service ${i % 50}`, version: '1.0' }, outcome: i % 10 === 0 ? 'installed' : 'rejected' },
          { now: () => new Date(Date.UTC(2031, 0, 1) + i * 1000) },
        );
        lines.push(JSON.stringify(r));
      }
      writeFileSync(join(home, 'activity.jsonl'), `${lines.join('\n')}\n`);
      appendFileSync(join(home, 'activity.jsonl'), '{"kind":"pic-store-receipt","version":1,"id":"tor');
    },
  });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    await expect(page.getByTestId('activity-count')).toHaveText('Showing 1–100 of 10,000 receipts, newest first');
    await expect(page.getByTestId('activity-row')).toHaveCount(100);
    await expect(page.getByTestId('skipped-lines')).toContainText('1 line(s)');
    await expect(page.getByTestId('activity-row').first()).toContainText('2031-01-01 02:46:39Z');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect(page.getByTestId('activity-count')).toHaveText('Showing 101–200 of 10,000 receipts, newest first');
    await page.getByLabel('Outcome').selectOption('installed');
    await page.getByLabel('Service', { exact: true }).fill('svc-10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('activity-count')).toHaveText('Showing 1–100 of 200 receipts, newest first');
    expect(existsSync(join(shell.home, 'activity.jsonl'))).toBe(true);
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await stop();
  }
});
