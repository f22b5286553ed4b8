/**
 * Which state store the configuration asks for: Redis when STATE_URL is set (several replicas share it), else the
 * file in DATA_DIR (one process).
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { FileStore } from './file.js';
import type { RedisStoreOptions } from './redis.js';
import type { StateStore } from './store.js';

export type { StateStore } from './store.js';
export { FileStore } from './file.js';

/** Opens the configured store; with Redis, waits for the first connection and throws if it does not come. */
export async function createStore(
  config: Pick<Config, 'dataDir' | 'stateUrl'>,
  log: Logger,
  redisOptions: Partial<Omit<RedisStoreOptions, 'url' | 'log'>> = {},
): Promise<StateStore> {
  if (config.stateUrl) {
    // The Redis client is loaded only when it is used: a one-process bot never pays for it.
    const { RedisStore } = await import('./redis.js');
    return new RedisStore({ ...redisOptions, url: config.stateUrl, log }).connect();
  }
  const store = new FileStore({ dir: config.dataDir, log });
  log.info({ path: store.path }, 'state in a file');
  return store;
}
