import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'chaos/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each file gets its own database, so files may run in parallel; two cores is the machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Printed by `pnpm test` (`vitest run --coverage`); no thresholds: a summary to read, not a gate.
    coverage: { provider: 'v8', reporter: ['text-summary'], include: ['src/**/*.ts'] },
  },
});
