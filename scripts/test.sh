#!/usr/bin/env bash
# The README's test command (`npm test`): sets up on a fresh Debian bookworm machine everything
# the tests need (Debian packages, cosign, Chromium, npm dependencies), builds, then runs lint,
# type checks, the unit tests, the integration tests (Vitest, against the real registry, cosign,
# sshd and dockerd) and the e2e tests (Playwright on Debian's Chromium, through the browser shell).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

bash scripts/testbed/install-deps.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run -s build
npm run -s typecheck
npm run -s lint
npm run -s test:unit
# Built above: the integration tests use that CLI instead of rebuilding it in each test file.
PIC_STORE_CLI_PREBUILT=1 npm run -s test:integration
npx playwright test
