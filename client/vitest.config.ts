import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // Outbox and db tests run in Node on fake-indexeddb; screen tests opt into happy-dom per file.
    environment: 'node',
    // Printed by `pnpm test` (`vitest run --coverage`); no thresholds: a summary to read, not a gate.
    coverage: { provider: 'v8', reporter: ['text-summary'], include: ['src/**/*.{ts,tsx}'] },
  },
});
