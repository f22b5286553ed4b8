/**
 * RedisStore beyond the contract: keys under a prefix, a start-up that cannot reach Redis, and outages — a server
 * that is gone (killed) and one that hangs (SIGSTOP): commands fail fast, healthy() says so, the outage is logged
 * once however many commands fail, and the store recovers by itself.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { StateStartError } from '../../src/state/errors.js';
import { RedisStore, redactUrl } from '../../src/state/redis.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
const stores: RedisStore[] = [];

beforeAll(async () => {
  redis = await startRedis({ own: true }); // outages are made on it, and its keys are ours
});

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  redis.pause(false);
  await redis.start();
});

afterAll(async () => {
  await redis?.close();
});

function logged(): { log: ReturnType<typeof createLogger>; lines: () => { level: number; msg: string }[] } {
  const raw: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (s: string) => void raw.push(s) } });
  return { log, lines: () => raw.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

async function open(opts: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}): Promise<RedisStore> {
  const s = new RedisStore({ url: redis.url, log: createLogger({ level: 'silent' }), prefix: `t${Date.now()}:`, ...opts });
  stores.push(s);
  return s.connect();
}

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisStore', () => {
  it('keeps its keys under the prefix (default awsguide:)', async () => {
    const s = await open({ prefix: undefined });
    await s.set('tips:seed', 'x');
    await s.setAdd('tips:channels', 'C1');
    await s.hashIncrement('feedback:counts:2026-12-01', { 'asked:dm': 2 });
    for (const v of ['a', 'b', 'c']) await s.listPush('feedback:log', v, 10);
    expect(await s.listRemoveOldest('feedback:log', ['a'])).toBe(1); // the scripts' keys are prefixed too
    await s.pendingAdd('Ev1', 'p1');
    expect(await s.pendingClaim('Ev1', 60_000)).toBe('p1');
    const raw = new Redis(redis.url);
    try {
      expect(await raw.get('awsguide:tips:seed')).toBe('x');
      expect(await raw.smembers('awsguide:tips:channels')).toEqual(['C1']);
      expect(await raw.hgetall('awsguide:feedback:counts:2026-12-01')).toEqual({ 'asked:dm': '2' });
      expect(await raw.lrange('awsguide:feedback:log', 0, -1)).toEqual(['b', 'c']);
      expect(await raw.hkeys('awsguide:events:pending')).toEqual(['Ev1']);
      expect(await raw.exists('awsguide:events:pending:claim:Ev1')).toBe(1);
      expect(await raw.exists('tips:seed', 'feedback:log', 'events:pending')).toBe(0);
      await raw.del(...(await raw.keys('awsguide:*')));
    } finally {
      raw.disconnect();
    }
  });

  it('a claim expires in Redis itself (PX), so a crashed replica never holds a slot forever', async () => {
    const s = await open({ prefix: 'px:' });
    expect(await s.claim('slot', 5000)).toBe(true);
    const raw = new Redis(redis.url);
    try {
      const ttl = await raw.pttl('px:slot');
      expect(ttl).toBeGreaterThan(4000);
      expect(ttl).toBeLessThanOrEqual(5000);
    } finally {
      raw.disconnect();
    }
  });

  it('no Redis at start-up: one clear error naming STATE_URL, without the password', async () => {
    const port = await freePort();
    const s = new RedisStore({ url: `redis://:s3cret@127.0.0.1:${port}`, log: createLogger({ level: 'silent' }), connectTimeoutMs: 600 });
    const started = Date.now();
    const err = await s.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(StateStartError);
    expect((err as StateStartError).variable).toBe('STATE_URL');
    expect(err?.message).toMatch(/^STATE_URL: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(err?.message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(redactUrl('rediss://user:pw@host:6380/2')).toBe('rediss://user:***@host:6380/2');
  });

  it('a malformed STATE_URL is refused before any connection: one line naming STATE_URL, without the password', () => {
    const quiet = createLogger({ level: 'silent' });
    for (const [url, why] of [
      ['redis://:s3cret@127.0.0.1:99999', /not a valid URL/],
      ['redis://:s3cret@127.0.0.1:6379/zero', /"\/zero" is not a database number/],
      ['redis://:s3cret@:6379', /not a valid URL|names no host/],
    ] as const) {
      let err: unknown;
      try {
        new RedisStore({ url, log: quiet });
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(StateStartError);
      expect((err as Error).message, url).toMatch(/^STATE_URL: /);
      expect((err as Error).message, url).toMatch(why);
      expect((err as Error).message, url).not.toContain('s3cret');
    }
  });

  it('Redis gone: commands fail at once, one warning, healthy() false; back: recovers by itself, one info line', { timeout: 20_000 }, async () => {
    const { log, lines } = logged();
    const s = await open({ log });
    await s.set('k', 'v');
    expect(s.healthy()).toBe(true);

    await redis.stop();
    await until(() => !s.healthy(), 3000, 'healthy() to turn false');
    for (let i = 0; i < 20; i++) {
      const t = Date.now();
      await expect(s.claim(`event:${i}`, 1000)).rejects.toThrow();
      await expect(s.listPush('l', 'x', 5)).rejects.toThrow();
      expect(Date.now() - t).toBeLessThan(500); // no waiting on a dead connection
    }
    await new Promise((r) => setTimeout(r, 500)); // a few reconnection attempts fail meanwhile
    const warnings = lines().filter((l) => /redis unreachable/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe(40);

    await redis.start();
    await until(() => s.healthy(), 5000, 'healthy() to turn true again');
    expect(await s.claim('event:after', 1000)).toBe(true);
    expect(lines().filter((l) => /redis reachable again/.test(l.msg))).toHaveLength(1);
    expect(lines().filter((l) => /redis unreachable/.test(l.msg))).toHaveLength(1);
  });

  it('Redis hangs (socket open, no replies): commands time out, healthy() false, and it recovers when Redis answers', {
    timeout: 20_000,
  }, async () => {
    const { log, lines } = logged();
    const s = await open({ log, commandTimeoutMs: 300 });
    redis.pause(true);
    const t = Date.now();
    await expect(s.get('k')).rejects.toThrow(/timed out/i);
    expect(Date.now() - t).toBeLessThan(1500);
    expect(s.healthy()).toBe(false);
    await expect(s.get('k')).rejects.toThrow();
    expect(lines().filter((l) => /redis unreachable/.test(l.msg))).toHaveLength(1);
    redis.pause(false);
    await until(() => s.healthy(), 5000, 'healthy() to turn true again');
    expect(await s.get('k')).toBeUndefined();
  });
});
