import { defineConfig } from '@playwright/test';

/**
 * e2e through the browser shell (DESIGN 3.2) with Debian's Chromium — `npx playwright install`
 * cannot download a browser here. Flags from TESTBED.md keep Chromium off the closed network.
 * One worker: each test starts its own shell on a random loopback port anyway.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    headless: true,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.PIC_STORE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
