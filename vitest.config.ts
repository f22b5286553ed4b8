import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files start servers and child processes; two at a time fits a two-core machine.
    maxWorkers: 2,
  },
});
