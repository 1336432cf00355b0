import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeTufRepo, serveRepo, type RepoServer } from '../scripts/testbed/tuf-repo';
import { expect } from './shell-fixture';

/**
 * The states a person sees beyond each view's first look, for the axe scan (issue 17 item 7):
 * forms, dialogs, outcomes, an open receipt, loaded previews. Everything stays on this machine:
 * the cell is a loopback port nothing listens on, the signed store a TUF repository served on
 * loopback. Not reachable without a real cell (and so not here): the install pre-flight and the
 * uninstall confirmation — install.spec scans neither, it asserts their words.
 */
export interface StateScreen {
  name: string;
  open: (page: Page) => Promise<void>;
}

export interface StateFixtures {
  /** A TUF repository on loopback and the file holding its first root. */
  signedStore: RepoServer;
  rootFile: string;
  /** A valid listing and one with a schema error (port 0), both absolute paths. */
  validListing: string;
  invalidListing: string;
  stop: () => Promise<void>;
}

const IMAGE = `127.0.0.1:9/team/notes@sha256:${'5e'.repeat(32)}`;
const listing = (hostPort: number) => ({ id: 'notes', name: 'Team Notes', version: '2.0.0', tagline: 'Shared notes', image: IMAGE, ports: [{ container: 8080, host: hostPort, protocol: 'tcp' }] });

/** Writes the listings and starts the signed store under `dir` (removed by the caller). */
export async function startStateFixtures(dir: string): Promise<StateFixtures> {
  const repo = makeTufRepo(join(dir, 'repo'));
  repo.publish({ schemaVersion: 1, name: 'Team Signed Store', services: [{ id: 'svc', name: 'Service', version: '1.0', tagline: 'A listed service', image: IMAGE }] });
  const rootFile = join(dir, 'team-root.json');
  writeFileSync(rootFile, readFileSync(join(repo.dir, 'metadata', '1.root.json')));
  const validListing = join(dir, 'notes.json');
  const invalidListing = join(dir, 'notes-invalid.json');
  writeFileSync(validListing, JSON.stringify(listing(8088), null, 2));
  writeFileSync(invalidListing, JSON.stringify(listing(0), null, 2));
  const signedStore = await serveRepo(repo.dir);
  return { signedStore, rootFile, validListing, invalidListing, stop: () => signedStore.stop() };
}

async function openService(page: Page, id: string, reason: string): Promise<void> {
  await page.getByRole('button', { name: 'Store', exact: true }).click();
  // Esc goes back from an open service page to the grid (and does nothing on the grid).
  await page.keyboard.press('Escape');
  await page.locator(`[data-service-id="${id}"]`).click();
  await expect(page.getByTestId('why-panel')).toHaveAttribute('data-reason', reason, { timeout: 30_000 });
}

async function openPreview(page: Page, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByLabel(/Manifest or index to preview/).fill(file);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('preview-page')).toBeVisible({ timeout: 30_000 });
}

/** In this order: some states continue the one before (the outcome follows the dialog). */
export function stateScreens(f: StateFixtures): StateScreen[] {
  return [
    { name: 'Signed store: confirm step', open: async (page) => {
      await page.getByRole('button', { name: 'Manage stores' }).click();
      await page.getByLabel('Store URL or index file path').fill(f.signedStore.url);
      await page.getByLabel('Root file of a signed store (optional)').fill(f.rootFile);
      await page.getByRole('button', { name: 'Check signed store' }).click();
      await expect(page.getByTestId('store-add-confirm')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('store-add-name')).toHaveText('Team Signed Store');
    } },
    { name: 'Manage stores: an unreachable store refused', open: async (page) => {
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByLabel('Store URL or index file path').fill('http://127.0.0.1:9/index.json');
      await page.getByLabel('Root file of a signed store (optional)').fill('');
      await page.getByRole('button', { name: 'Add store' }).click();
      await expect(page.getByRole('alert')).toContainText('the store was not added', { timeout: 30_000 });
    } },
    { name: 'Service page: failing, with its screenshot gallery', open: async (page) => {
      await openService(page, 'meter', 'SIGNATURE_DIGEST_MISMATCH');
      await expect(page.getByTestId('screenshots')).toBeVisible();
      await expect(page.getByTestId('screenshot-main')).toBeVisible();
    } },
    { name: 'Install dialog: choosing a cell', open: async (page) => {
      await openService(page, 'pinboard', 'VERIFIED');
      await page.getByTestId('install-open').click();
      await expect(page.getByTestId('install-dialog')).toBeVisible();
      await expect(page.getByTestId('install-cell')).toHaveValue(/.+/);
    } },
    { name: 'Install outcome: the cell cannot be reached', open: async (page) => {
      await page.getByTestId('install-check').click();
      await expect(page.getByTestId('install-outcome-word')).toHaveText('Failed', { timeout: 60_000 });
    } },
    { name: 'Activity: an open receipt', open: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Activity', exact: true }).click();
      await page.getByTestId('activity-row').first().getByRole('button', { name: /^Explain / }).click();
      await expect(page.getByTestId('explain-evidence')).toBeVisible();
    } },
    { name: 'Cells: a cell and the Add cell form', open: async (page) => {
      await page.getByRole('button', { name: 'Cells', exact: true }).click();
      await expect(page.getByText('gone cell').first()).toBeVisible();
      await page.getByRole('button', { name: 'Add cell' }).click();
      await expect(page.getByLabel('Name')).toBeFocused();
    } },
    { name: 'Installed: a cell that cannot be reached', open: async (page) => {
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Installed', exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Installed' })).toBeVisible();
      // The check at start ran before the cell was added: ask again, as a person would.
      await page.getByRole('button', { name: 'Check for updates now' }).click();
      await expect(page.getByRole('main')).toContainText('gone cell', { timeout: 30_000 });
    } },
    { name: 'Fleet: the plan form with a cell', open: async (page) => {
      await page.getByRole('button', { name: 'Fleet', exact: true }).click();
      await expect(page.getByTestId('fleet-service')).toBeVisible();
    } },
    { name: 'Preview: a valid listing', open: async (page) => {
      await openPreview(page, f.validListing);
      await expect(page.getByTestId('schema-error')).toHaveCount(0);
      await expect(page.getByTestId('mode-table')).toBeVisible();
    } },
    { name: 'Preview: an invalid listing', open: async (page) => {
      await openPreview(page, f.invalidListing);
      await expect(page.getByTestId('schema-error').first()).toBeVisible();
      await expect(page.getByTestId('preview-page').getByTestId('field-errors').first()).toBeVisible();
    } },
  ];
}
