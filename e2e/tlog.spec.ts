import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cosignPayload, makeTestKey, pushClassicSignatures, signPayload, type TestKey } from '../scripts/testbed/cosign';
import { pushImage } from '../scripts/testbed/images';
import { startRegistry, type TestRegistry } from '../scripts/testbed/registry';
import { hashedrekordEntry, makeTestLog, mockClassicEntry, trustedRootJson, type TestLog } from '../scripts/testbed/tlog';
import { expect, startShell, test } from './shell-fixture';

/**
 * Transparency log in the app (DESIGN 2.8): a store requiring log entries, a trusted root in the
 * data dir naming a test log, one logged and one unlogged signature on the real registry. The
 * Why panel shows the entry's log, index and "signed no later than"; About / Trust lists the log
 * with its key id and validity.
 */
let reg: TestRegistry;
let work: string;
let key: TestKey;
let log: TestLog;
let index: string;
let logIndex = 0;
let integratedTime = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  reg = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'pic-tlog-e2e-'));
  key = await makeTestKey(join(work, 'keys'), 'p256');
  log = await makeTestLog(work);
  const services = [];
  for (const id of ['logged', 'unlogged']) {
    const img = await pushImage(reg.host, `e2e/${id}`);
    const payload = cosignPayload(`${reg.host}/e2e/${id}`, img.digest);
    const signature = signPayload(key, payload);
    const annotations: Record<string, string> = {};
    if (id === 'logged') {
      const entry = await mockClassicEntry(log, hashedrekordEntry(signature, key.pem, payload));
      logIndex = entry.Payload.logIndex;
      integratedTime = new Date(entry.Payload.integratedTime * 1000).toISOString();
      annotations['dev.sigstore.cosign/bundle'] = JSON.stringify(entry);
    }
    await pushClassicSignatures(reg.host, img.repo, img.digest, [{ payload, signature, annotations }]);
    services.push({ id, name: `Svc ${id}`, version: '1.0.0', image: img.ref });
  }
  index = JSON.stringify({ schemaVersion: 1, name: 'Logged Store', policy: { transparencyLog: 'required' }, services });
});

test.afterAll(async () => {
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('Why panel shows the log entry; About / Trust lists the trusted log with key id and validity', async ({ page, problems }) => {
  test.setTimeout(90_000);
  const { shell, stop } = await startShell({
    seed: ({ home }) => {
      const indexPath = join(home, '..', 'tlog-index.json');
      writeFileSync(indexPath, index);
      mkdirSync(join(home, 'trust'), { recursive: true });
      writeFileSync(join(home, 'trust', 'store.pub'), key.pem);
      writeFileSync(join(home, 'trust', 'trusted_root.json'), JSON.stringify(trustedRootJson([{ log }])));
      writeFileSync(join(home, 'stores.json'), JSON.stringify({ stores: [{ name: 'Logged Store', url: pathToFileURL(indexPath).href }] }));
    },
  });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Store', exact: true }).click();
    await expect(page.locator('[data-service-id="logged"]')).toHaveAttribute('data-verification', 'VERIFIED', { timeout: 30_000 });
    await expect(page.locator('[data-service-id="unlogged"]')).toHaveAttribute('data-verification', 'TLOG_ENTRY_MISSING', { timeout: 30_000 });
    await page.locator('[data-service-id="logged"]').click();
    const row = page.getByTestId('why-tlog');
    await expect(row).toHaveAttribute('data-status', 'pass');
    await expect(page.getByTestId('why-tlog-index')).toHaveText(String(logIndex));
    await expect(page.getByTestId('why-tlog-log')).toHaveText(log.baseUrl);
    await expect(page.getByTestId('why-tlog-time')).toHaveText(integratedTime);
    await expect(page.getByTestId('why-tlog-policy')).toContainText('required');
    await page.keyboard.press('Escape');
    await page.locator('[data-service-id="unlogged"]').click();
    await expect(page.getByTestId('why-panel')).toHaveAttribute('data-failed-check', 'transparency-log');
    await expect(page.getByTestId('why-tlog')).toHaveAttribute('data-status', 'fail');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'About / Trust', exact: true }).click();
    await expect(page.getByTestId('tlog-root-origin')).toHaveAttribute('data-origin', 'local');
    const entry = page.getByTestId('trusted-log');
    await expect(entry).toHaveCount(1);
    await expect(entry.getByTestId('tlog-id')).toHaveText(log.logId.toString('hex'));
    await expect(entry.getByTestId('tlog-url')).toHaveText(log.baseUrl);
    await expect(entry.getByTestId('tlog-validity')).toContainText('valid from');
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await stop();
  }
});
