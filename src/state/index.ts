/**
 * Which state store the configuration asks for: Redis when STATE_URL is set (several replicas share it), else
 * SQLite in DATA_DIR (`state.db`).
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { RedisStoreOptions } from './redis.js';
import { SqliteStore } from './sqlite.js';
import type { StateStore } from './store.js';

export type { PendingEvent, StateStore } from './store.js';
export { StateStartError } from './errors.js';
export { SqliteStore } from './sqlite.js';

/**
 * Opens the configured store; with Redis, waits for the first connection. A store that cannot be opened for a
 * reason an operator can fix throws a StateStartError naming the variable (STATE_URL, DATA_DIR).
 */
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
  const store = new SqliteStore({ dir: config.dataDir, log });
  log.info({ path: store.path }, 'state in SQLite (WAL)');
  return store;
}
