/**
 * The Redis store (STATE_URL), shared by every replica: a claim is `SET key 1 NX PX ttl`, so exactly one replica
 * wins it; sets are Redis sets; lists are RPUSH + LTRIM in one transaction. Keys carry a prefix (`awsguide:`).
 *
 * An outage is not a crash. While Redis is unreachable every command fails at once (no offline queue, so nothing
 * waits on a dead connection), `healthy()` is false, callers carry on without state (questions are answered,
 * tips are skipped), the client reconnects for as long as it takes, and each outage is logged once: when it
 * starts and when it ends.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL (STATE_URL), with the database number in the path if not 0. */
  url: string;
  log: Logger;
  /** Prefix of every key, so the bot can share a Redis with others. Default 'awsguide:'. */
  prefix?: string;
  /** How long `connect()` waits for the first connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** A command without a reply after this long fails (a hung server, a dead network). Default 2 s. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts. Default 2 s. */
  maxReconnectDelayMs?: number;
}

/** The URL with any password replaced, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

export class RedisStore implements StateStore {
  private readonly redis: Redis;
  private readonly log: Logger;
  private readonly where: string;
  private readonly connectTimeoutMs: number;
  /** Whether the last thing we heard from Redis was good; drives the once-per-outage log lines. */
  private reachable = false;
  private everReady = false;
  private lastError: Error | undefined;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: RedisStoreOptions) {
    this.log = opts.log;
    this.where = redactUrl(opts.url);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    const maxDelay = opts.maxReconnectDelayMs ?? 2000;
    const options: RedisOptions = {
      keyPrefix: opts.prefix ?? 'awsguide:',
      lazyConnect: true,
      // Fail fast while disconnected: a command never waits for a connection that may not come back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      connectTimeout: Math.min(5000, this.connectTimeoutMs),
      keepAlive: 10_000,
      // Reconnect forever, backing off to maxDelay.
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times - 1, 10), maxDelay),
      connectionName: 'aws-guide-bot',
    };
    this.redis = new Redis(opts.url, options);
    this.redis.on('ready', () => this.markUp());
    this.redis.on('close', () => this.markDown());
    // Without a listener ioredis prints every failed reconnection attempt; the outage is logged once instead.
    this.redis.on('error', (err: Error) => {
      this.lastError = err;
      this.log.debug({ err: err.message }, 'redis connection error');
    });
  }

  /** Connects, waiting for Redis up to connectTimeoutMs; throws a one-line error naming STATE_URL if it is not there. */
  async connect(): Promise<this> {
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.connectTimeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    // A refused first attempt rejects connect(); the retry strategy keeps trying until the wait ends.
    this.redis.connect().catch(() => undefined);
    if (!(await ready)) {
      this.closed = true;
      this.redis.disconnect();
      const why = this.lastError ? `: ${this.lastError.message}` : '';
      throw new Error(`STATE_URL: cannot reach Redis at ${this.where} within ${Math.round(this.connectTimeoutMs / 1000)} s${why}`);
    }
    this.log.info({ url: this.where }, 'state in Redis');
    return this;
  }

  healthy(): boolean {
    return this.reachable && this.redis.status === 'ready';
  }

  private markUp(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
    if (this.reachable) return;
    this.reachable = true;
    this.lastError = undefined;
    if (this.everReady) this.log.info({ url: this.where }, 'redis reachable again: tips resume');
    this.everReady = true;
  }

  private markDown(err?: Error): void {
    if (!this.reachable || this.closed) return;
    this.reachable = false;
    const cause = err ?? this.lastError;
    this.log.warn(
      { url: this.where, ...(cause ? { err: cause.message } : {}) },
      'redis unreachable: questions are still answered, tips are paused until it is back (logged once per outage)',
    );
    // A dead connection is noticed by the client and ends in 'ready'; a hung one (commands timing out while the
    // socket stays open) is not, so a ping tells when it answers again.
    if (this.redis.status === 'ready' && !this.probe) {
      this.probe = setInterval(() => {
        if (this.redis.status === 'ready') this.redis.ping().then(() => this.markUp(), () => undefined);
      }, 1000);
      this.probe.unref();
    }
  }

  /** Runs a command; a failure that is not Redis refusing the command itself marks the store unreachable. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      if (!(err instanceof Error && err.name === 'ReplyError')) this.markDown(err instanceof Error ? err : undefined);
      throw err;
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const px = Math.max(1, Math.ceil(ttlMs));
    return (await this.run(() => this.redis.set(key, '1', 'PX', px, 'NX'))) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(() => this.redis.get(key))) ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.run(() => this.redis.set(key, value));
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.redis.del(key));
  }

  async setAdd(key: string, member: string): Promise<void> {
    await this.run(() => this.redis.sadd(key, member));
  }

  async setRemove(key: string, member: string): Promise<void> {
    await this.run(() => this.redis.srem(key, member));
  }

  async setMembers(key: string): Promise<string[]> {
    return this.run(() => this.redis.smembers(key));
  }

  async listPush(key: string, value: string, maxLength: number): Promise<void> {
    if (maxLength < 1) return this.delete(key); // what the file store keeps: nothing
    await this.exec(this.redis.multi().rpush(key, value).ltrim(key, -maxLength, -1));
  }

  async listAll(key: string): Promise<string[]> {
    return this.run(() => this.redis.lrange(key, 0, -1));
  }

  async listReplace(key: string, values: string[]): Promise<void> {
    const tx = this.redis.multi().del(key);
    if (values.length) tx.rpush(key, ...values);
    await this.exec(tx);
  }

  /** A MULTI … EXEC; an error inside the transaction is thrown like any other. */
  private async exec(tx: ReturnType<Redis['multi']>): Promise<void> {
    const results = await this.run(() => tx.exec());
    if (!results) throw new Error('redis transaction aborted');
    for (const [err] of results) if (err) throw err;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probe) clearInterval(this.probe);
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
