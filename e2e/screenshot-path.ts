import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where an e2e test saves a screenshot. Normal runs (and CI) write under test-results/ so a test
 * run never changes tracked files; `PIC_STORE_UPDATE_SCREENSHOTS=1 npx playwright test` refreshes
 * the committed ones in docs/screenshots/ that the README shows.
 */
export function screenshotPath(name: string): string {
  const root = resolve(__dirname, '..');
  const dir = process.env.PIC_STORE_UPDATE_SCREENSHOTS === '1' ? join(root, 'docs', 'screenshots') : join(root, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
