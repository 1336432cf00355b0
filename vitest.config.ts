import { defineConfig } from 'vitest/config';

// Tests by kind (DESIGN 3.3), two Vitest projects, both run by `npm test`:
// - unit (`*.test.ts`, `npm run test:unit`): the code under test runs in the test's own process,
//   against fakes, temp files and loopback servers the test starts itself (a fixture may be made
//   with a system tool, e.g. a FIFO with mkfifo or a throwaway certificate with openssl);
// - integration (`*.itest.ts`, `npm run test:integration`): the code under test runs real
//   programs or is run by them — sh, node children, cosign, the built CLI, electron-builder, and
//   the testbed started by scripts/testbed (registry, sshd, dockerd).
// Two cores: keep parallelism low so the real components are not starved.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    environment: 'node',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['electron/**/*.itest.ts', 'scripts/**/*.itest.ts'] },
      },
    ],
  },
});
