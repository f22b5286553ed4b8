import { defineConfig } from 'vitest/config';
import { redisAvailable } from './test/support/redis.js';

/** Test files that cannot run without a Redis server (the others that use one skip their Redis cases). */
const needRedis = ['test/state/redis.test.ts', 'test/replicas/replicas.test.ts'];
if (!redisAvailable)
  console.warn(`No redis-server on the PATH and no REDIS_URL: skipping ${needRedis.join(', ')} (apt-get install redis-server).`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(redisAvailable ? [] : needRedis)],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files start servers and child processes; two at a time fits a two-core machine.
    maxWorkers: 2,
  },
});
