import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code (`*.test.ts`); integration tests (`*.itest.ts`) talk to the
// real testbed (registry, cosign, sshd, dockerd) started by scripts/testbed. Two cores: keep
// parallelism low so the real components are not starved.
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'electron/**/*.itest.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    environment: 'node',
  },
});
