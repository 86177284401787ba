import { configDefaults, defineConfig } from 'vitest/config';

// Two tiers: `unit` (test/unit/: pure functions, no database, seconds) and `integration`
// (the rest: a real PostgreSQL and real HTTP). `vitest run` runs both; `vitest run
// --project unit` runs the unit tier alone, on a machine with no PostgreSQL at all.
export default defineConfig({
  test: {
    // Each file gets its own database, so files may run in parallel; two cores is the machine.
    maxWorkers: 2,
    // Printed by `pnpm test` (`vitest run --coverage`); no thresholds: a summary to read, not a gate.
    coverage: { provider: 'v8', reporter: ['text-summary'], include: ['src/**/*.ts'] },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'chaos/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
