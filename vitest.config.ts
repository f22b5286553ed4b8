import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';
import { redisAvailable } from './test/support/redis.js';

/** Test files that cannot run without a Redis server (the others that use one skip their Redis cases). */
const needRedis = ['test/state/redis.test.ts', 'test/replicas/replicas.test.ts'];
if (!redisAvailable) console.warn(`No redis-server on the PATH and no REDIS_URL: skipping ${needRedis.join(', ')} (apt-get install redis-server).`);

/** After vitest's own summary, one plain closing line that any CI can read: "N passed, N failed, N skipped". */
const closingLine: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules)
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed' || state === 'failed' || state === 'skipped') count[state]++;
      }
    process.stdout.write(`${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  },
};

export default defineConfig({
  test: {
    reporters: ['default', closingLine],
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(redisAvailable ? [] : needRedis)],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files start servers and child processes; two at a time fits a two-core machine.
    maxWorkers: 2,
  },
});
