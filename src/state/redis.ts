/**
 * The Redis store (STATE_URL), shared by every replica: a claim is `SET key 1 NX PX ttl`, so exactly one replica
 * wins it; sets are Redis sets; lists are RPUSH + LTRIM in one transaction; counters are hashes (HINCRBY); pruning
 * a list and claiming a pending event are small Lua scripts, atomic in Redis. Keys carry a prefix (`awsguide:`).
 *
 * An outage is not a crash. While Redis is unreachable every command fails at once (no offline queue, so nothing
 * waits on a dead connection), `healthy()` is false, callers carry on without state (questions are answered,
 * tips are skipped), the client reconnects for as long as it takes, and each outage is logged once: when it
 * starts and when it ends.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';
import { StateStartError } from './errors.js';
import type { PendingEvent, StateStore } from './store.js';

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

/**
 * A STATE_URL that cannot work, said before any connection is tried (config.ts has checked the scheme only): a
 * host, a port in range, a database number.
 */
export function checkRedisUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StateStartError('STATE_URL', `${redactUrl(url)} is not a valid URL (redis://[:password@]host[:port][/db])`);
  }
  const where = redactUrl(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new StateStartError('STATE_URL', `${where} must be a redis:// or rediss:// URL`);
  if (!u.hostname) throw new StateStartError('STATE_URL', `${where} names no host (redis://host:6379/0)`);
  if (u.port && Number(u.port) < 1) throw new StateStartError('STATE_URL', `${where}: port ${u.port} is not a port number (1-65535)`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new StateStartError('STATE_URL', `${where}: "/${db}" is not a database number (redis://host:6379/0)`);
}

/** Where pending events live: a hash of id → {at, payload}, and one claim key per event taken for re-answering. */
const pendingKey = 'events:pending';
const pendingClaimKey = (id: string): string => `events:pending:claim:${id}`;

/** KEYS[1] the list; ARGV the oldest items expected at its head, in order: each still at the head is popped. */
const removeOldestScript = `
local n = 0
for i = 1, #ARGV do
  if redis.call('LINDEX', KEYS[1], 0) == ARGV[i] then
    redis.call('LPOP', KEYS[1])
    n = n + 1
  end
end
return n`;

/** KEYS[1] the pending hash, KEYS[2] the event's claim key; ARGV[1] the id, ARGV[2] the ttl (ms). */
const pendingClaimScript = `
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry then return false end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return false end
return entry`;

/** KEYS[1] the pending hash, KEYS[2] the event's claim key; ARGV[1] the id: no longer pending, nor claimed. */
const pendingDoneScript = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1`;

/** KEYS[1] the list; ARGV[1] the value, ARGV[2] how many of the newest items to keep. */
const listPushScript = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return 1`;

/** KEYS[1] the claim key, KEYS[2] the pending hash; ARGV[1] the ttl (ms), ARGV[2] the id, ARGV[3] its entry. */
const claimPendingScript = `
if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`;

type Scripted = Redis & {
  removeOldest(key: string, ...values: string[]): Promise<number>;
  pendingTake(hash: string, claimKey: string, id: string, ttlMs: number): Promise<string | null>;
  claimPending(claimKey: string, hash: string, ttlMs: number, id: string, entry: string): Promise<number>;
  pendingDone(hash: string, claimKey: string, id: string): Promise<number>;
  listPushBounded(key: string, value: string, maxLength: number): Promise<number>;
};

/** Items of a list pruned per script call: a long prune is several short scripts, not one that stalls Redis. */
const removeChunk = 500;

export class RedisStore implements StateStore {
  private readonly redis: Scripted;
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
      // Not enableAutoPipelining: it holds each command until the loop's next setImmediate, and under load that
      // is after every frame already read has been handled: in the 2,000-event burst, mention replies took 1.7×
      // as long (p50 513–545 ms against 307–313 ms) for 2–3% less CPU. Commands sent together (a claim and the
      // read beside it) share a round trip anyway.
    };
    checkRedisUrl(opts.url);
    const redis = new Redis(opts.url, options);
    // keyPrefix applies to the scripts' KEYS as to any command's keys.
    redis.defineCommand('removeOldest', { numberOfKeys: 1, lua: removeOldestScript });
    redis.defineCommand('pendingTake', { numberOfKeys: 2, lua: pendingClaimScript });
    redis.defineCommand('claimPending', { numberOfKeys: 2, lua: claimPendingScript });
    redis.defineCommand('pendingDone', { numberOfKeys: 2, lua: pendingDoneScript });
    redis.defineCommand('listPushBounded', { numberOfKeys: 1, lua: listPushScript });
    this.redis = redis as Scripted;
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
      throw new StateStartError('STATE_URL', `cannot reach Redis at ${this.where} within ${Math.round(this.connectTimeoutMs / 1000)} s${why}`);
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
        if (this.redis.status === 'ready')
          this.redis.ping().then(
            () => this.markUp(),
            () => undefined,
          );
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

  async setExpiring(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(() => this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))));
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
    // One script rather than MULTI, RPUSH, LTRIM, EXEC: atomic the same, one command instead of four.
    await this.run(() => this.redis.listPushBounded(key, value, Math.floor(maxLength)));
  }

  async listAll(key: string): Promise<string[]> {
    return this.run(() => this.redis.lrange(key, 0, -1));
  }

  async listRemoveOldest(key: string, oldest: string[]): Promise<number> {
    let removed = 0;
    for (let i = 0; i < oldest.length; i += removeChunk) {
      const chunk = oldest.slice(i, i + removeChunk);
      const n = await this.run(() => this.redis.removeOldest(key, ...chunk));
      removed += n;
      // The head of the list was not the next expected item: someone else pruned further, or nothing is left.
      if (n < chunk.length) break;
    }
    return removed;
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    return (await this.run(() => this.redis.set(key, value, 'NX'))) === 'OK';
  }

  async hashIncrement(key: string, increments: Readonly<Record<string, number>>): Promise<void> {
    const entries = Object.entries(increments);
    for (const [field, by] of entries) if (!Number.isSafeInteger(by)) throw new Error(`hashIncrement ${key} ${field}: ${by} is not an integer`);
    if (!entries.length) return;
    const tx = this.redis.multi();
    for (const [field, by] of entries) tx.hincrby(key, field, by);
    await this.exec(tx);
  }

  async hashGetAll(key: string): Promise<Record<string, number>> {
    const raw = await this.run(() => this.redis.hgetall(key));
    const out: Record<string, number> = {};
    for (const [field, n] of Object.entries(raw)) out[field] = Number(n);
    return out;
  }

  async pendingAdd(id: string, payload: string): Promise<void> {
    await this.run(() => this.redis.hset(pendingKey, id, JSON.stringify({ at: Date.now(), payload })));
  }

  async claimPending(key: string, ttlMs: number, id: string, payload: string): Promise<boolean> {
    const entry = JSON.stringify({ at: Date.now(), payload });
    return (await this.run(() => this.redis.claimPending(key, pendingKey, Math.max(1, Math.ceil(ttlMs)), id, entry))) === 1;
  }

  async pendingDone(id: string): Promise<void> {
    // One script rather than MULTI, HDEL, DEL, EXEC: atomic the same, one command instead of four.
    await this.run(() => this.redis.pendingDone(pendingKey, pendingClaimKey(id), id));
  }

  async pendingList(maxAgeMs: number): Promise<PendingEvent[]> {
    const since = Date.now() - maxAgeMs;
    const out: PendingEvent[] = [];
    const old: string[] = [];
    for (const [id, raw] of Object.entries(await this.run(() => this.redis.hgetall(pendingKey)))) {
      const e = parsePending(id, raw);
      if (e && e.at >= since) out.push(e);
      else old.push(id);
    }
    if (old.length) await this.run(() => this.redis.hdel(pendingKey, ...old));
    return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async pendingClaim(id: string, ttlMs: number): Promise<string | undefined> {
    const raw = await this.run(() => this.redis.pendingTake(pendingKey, pendingClaimKey(id), id, Math.max(1, Math.ceil(ttlMs))));
    return raw === null || raw === undefined ? undefined : parsePending(id, raw)?.payload;
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

function parsePending(id: string, raw: string): PendingEvent | undefined {
  try {
    const v = JSON.parse(raw) as { at?: unknown; payload?: unknown };
    if (typeof v?.at !== 'number' || typeof v.payload !== 'string') return undefined;
    return { id, payload: v.payload, at: v.at };
  } catch {
    return undefined;
  }
}
