/**
 * The feedback log: votes counted once per person per answer, user ids hashed, the 👎 reason kept with its vote,
 * the 10,000-record bound, and retention (pruned on write and on report) on an injected clock; counts and pruning
 * that two replicas cannot undo (on SQLite and on a real Redis); and an outage (a store that is down, a Redis
 * stopped for a few seconds) that loses no count and no record.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { currentSummary } from '../../src/feedback/index.js';
import { feedbackObserver } from '../../src/feedback/observer.js';
import { dayOf, FeedbackLog, keys, maxRecords } from '../../src/feedback/store.js';
import { createLogger } from '../../src/logger.js';
import { RedisStore } from '../../src/state/redis.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/store.js';
import { redisAvailable, startRedis, type TestRedis } from '../support/redis.js';
import { MemoryStore } from './memory-store.js';

const day = 24 * 60 * 60 * 1000;
const start = Date.parse('2025-03-01T10:00:00Z');

function setup(retentionDays = 90) {
  let t = start;
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
  const store = new MemoryStore(clock.now);
  const log = new FeedbackLog({ store, retentionDays, now: clock.now });
  return { clock, store, log };
}

/** What a 👍/👎 click does: claim, then record only the first time. */
async function click(log: FeedbackLog, user: string, vote: 'up' | 'down', query = 'sqs', ids = ['sqs']): Promise<void> {
  if (await log.claimVote(user, query, ids)) await log.record({ type: 'vote', vote, query, ids, surface: 'slash', user });
}

describe('votes', () => {
  it('are counted once per person per answer: two clicks by one person → 1, by two people → 2', async () => {
    const { log } = setup();
    await click(log, 'U00000001', 'up');
    await click(log, 'U00000001', 'up');
    await click(log, 'U00000001', 'down'); // changing one's mind on the same answer does not count again either
    expect((await log.records()).filter((r) => r.type === 'vote')).toHaveLength(1);
    await click(log, 'U00000002', 'down');
    expect((await log.records()).filter((r) => r.type === 'vote')).toHaveLength(2);
    // Another answer is another vote.
    await click(log, 'U00000001', 'down', 'ecs vs eks', ['ecs', 'eks']);
    expect((await log.records()).filter((r) => r.type === 'vote')).toHaveLength(3);
  });

  it('keep the user hashed with a per-installation salt, never the Slack id', async () => {
    const { log, store } = setup();
    await click(log, 'U0SECRET1', 'up');
    const raw = (await store.listAll(keys.log)).join('\n');
    expect(raw).not.toContain('U0SECRET1');
    const [r] = await log.records();
    expect(r!.user).toMatch(/^[0-9a-f]{16}$/);
    expect(r!.user).toBe(await log.hashUser('U0SECRET1'));
    expect(await store.get(keys.salt)).toMatch(/^[0-9a-f]{64}$/);
    // Another installation (another salt) hashes the same person differently.
    const other = new FeedbackLog({ store: new MemoryStore(), retentionDays: 90 });
    expect(await other.hashUser('U0SECRET1')).not.toBe(r!.user);
  });

  it('a 👎 reason is read back with its vote, as one vote', async () => {
    const { log } = setup();
    const vote = await log.record({ type: 'vote', vote: 'down', query: 'sqs fifo', ids: ['sqs'], surface: 'mention', user: 'U00000001' });
    await log.addReason({ id: vote.id, query: 'sqs fifo', ids: ['sqs'], surface: 'mention' }, 'U00000001', '  the FIFO\nthroughput limits ');
    expect(await log.addReason({ id: vote.id, query: 'sqs fifo', ids: ['sqs'], surface: 'mention' }, 'U00000001', '   ')).toBeUndefined();
    const records = await log.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'vote',
      vote: 'down',
      reason: 'the FIFO throughput limits',
      query: 'sqs fifo',
      ids: ['sqs'],
      surface: 'mention',
    });
  });
});

describe('bounds and retention', () => {
  it('keeps the newest 10,000 records', async () => {
    const { log, store } = setup();
    expect(maxRecords).toBe(10_000);
    for (let i = 0; i < 10_005; i++) await log.record({ type: 'unanswered', query: `question ${i}`, surface: 'dm', user: 'U00000001' });
    const raw = await store.listAll(keys.log);
    expect(raw).toHaveLength(10_000);
    const records = await log.records();
    expect(records).toHaveLength(10_000);
    expect(records[0]!.query).toBe('question 5');
    expect(records.at(-1)!.query).toBe('question 10004');
  });

  it('prunes records older than the retention on write, with an injected clock', async () => {
    const { log, store, clock } = setup(30);
    await log.record({ type: 'unanswered', query: 'old question', surface: 'dm', user: 'U00000001' });
    await log.countQuestion('dm', false);
    clock.advance(20 * day);
    await log.record({ type: 'unanswered', query: 'newer question', surface: 'dm', user: 'U00000001' });
    expect(await store.listAll(keys.log)).toHaveLength(2);
    clock.advance(11 * day); // the first is 31 days old now, the second 11
    await log.record({ type: 'unanswered', query: 'newest question', surface: 'dm', user: 'U00000001' });
    const raw = await store.listAll(keys.log);
    expect(raw).toHaveLength(2);
    expect(raw.join('\n')).not.toContain('old question');
    expect((await log.records()).map((r) => r.query)).toEqual(['newer question', 'newest question']);
    // The day counter of the first day has gone too.
    expect(await store.setMembers(keys.days)).toEqual([]);
  });

  it('prunes on report, and never reports what has expired even before pruning', async () => {
    const { log, store, clock } = setup(7);
    await log.record({ type: 'unanswered', query: 'glacier restore', surface: 'slash', user: 'U00000001' });
    clock.advance(8 * day);
    expect(await log.records()).toEqual([]); // read past the retention: not shown …
    expect(await store.listAll(keys.log)).toHaveLength(1); // … but still stored until something prunes
    const summary = await currentSummary(log, clock.now());
    expect(summary.unanswered).toEqual([]);
    expect(await store.listAll(keys.log)).toHaveLength(0);
  });

  it('SQLite (DATA_DIR) keeps and prunes the same way, across a restart', async () => {
    const dir = tempDir();
    let t = start;
    const now = () => t;
    const quiet = createLogger({ level: 'silent' });
    const first = new SqliteStore({ dir, log: quiet, now });
    const log1 = new FeedbackLog({ store: first, retentionDays: 10, now });
    await log1.record({ type: 'unanswered', query: 'first', surface: 'dm', user: 'U00000001' });
    expect(await log1.claimVote('U00000001', 'sqs', ['sqs'])).toBe(true);
    await first.close();
    t += 11 * day;
    const second = new SqliteStore({ dir, log: quiet, now });
    const log2 = new FeedbackLog({ store: second, retentionDays: 10, now });
    expect(await log2.hashUser('U00000001')).toBe(await log1.hashUser('U00000001')); // the salt is kept in the store
    await log2.record({ type: 'unanswered', query: 'second', surface: 'dm', user: 'U00000001' });
    await second.close();
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    try {
      const stored = (db.prepare('SELECT value FROM lists').pluck().all() as string[]).join('\n');
      expect(stored).toContain('second');
      expect(stored).not.toContain('"first');
      expect(stored).not.toContain('U00000001');
    } finally {
      db.close();
    }
  });
});

describe('two replicas on one store (SQLite and Redis)', () => {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    if (redisAvailable) redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });
  const quiet = createLogger({ level: 'silent' });
  const places: { name: string; open(): () => Promise<StateStore> }[] = [
    {
      name: 'SQLite',
      open() {
        const dir = tempDir();
        return async () => track(new SqliteStore({ dir, log: quiet }));
      },
    },
    ...(redisAvailable
      ? [
          {
            name: 'Redis',
            open() {
              const prefix = `fb:${randomUUID()}:`;
              return async () => track(await new RedisStore({ url: redis!.url, log: quiet, prefix }).connect());
            },
          },
        ]
      : []),
  ];

  describe.each(places)('$name', (place) => {
    it('count at once and lose no count: the day counters are increments', async () => {
      const open = place.open();
      const [a, b] = [new FeedbackLog({ store: await open(), retentionDays: 90 }), new FeedbackLog({ store: await open(), retentionDays: 90 })];
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? a : b).countQuestions(
            new Map([
              ['slash', [2, 1]],
              ['dm', [1, i % 2]],
            ]),
          ),
        ),
      );
      const today = (await a.dayCounts()).get(dayOf(Date.now()));
      expect(today).toEqual({ slash: [200, 100], dm: [100, 50] });
    });

    it('a record written by one replica while the other prunes is kept; the expired ones go', async () => {
      const open = place.open();
      let t = start;
      const bot = new FeedbackLog({ store: await open(), retentionDays: 30, now: () => t });
      await bot.record({ type: 'unanswered', query: 'expired 1', surface: 'dm', user: 'U1' });
      await bot.record({ type: 'unanswered', query: 'expired 2', surface: 'dm', user: 'U1' });
      t += 20 * day;
      await bot.record({ type: 'unanswered', query: 'kept', surface: 'dm', user: 'U1' });
      // The pruner (the report), 11 days later, reads the list; before it removes what expired, the bot writes again.
      const inner = await open();
      const interleaved = Object.create(inner) as StateStore;
      interleaved.listAll = async (key) => {
        const read = await inner.listAll(key);
        await bot.record({ type: 'unanswered', query: 'written during the prune', surface: 'dm', user: 'U2' });
        return read;
      };
      const report = new FeedbackLog({ store: interleaved, retentionDays: 30, now: () => t + 11 * day });
      expect(await report.prune()).toBe(2);
      const stored = (await inner.listAll(keys.log)).map((raw) => (JSON.parse(raw) as { query: string }).query);
      expect(stored).toEqual(['kept', 'written during the prune']);
    });

    it('replicas making the salt at once agree on it: one person is one hash', async () => {
      const open = place.open();
      const logs = [new FeedbackLog({ store: await open(), retentionDays: 90 }), new FeedbackLog({ store: await open(), retentionDays: 90 })];
      const hashes = await Promise.all(logs.map((l) => l.hashUser('U0SAME001')));
      expect(hashes[0]).toBe(hashes[1]);
    });
  });
});

/** A store that can be taken down: every call fails at once and healthy() is false, as a Redis outage looks. */
function downable(inner: StateStore): StateStore & { down: boolean } {
  const wrapper = { down: false } as StateStore & { down: boolean };
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(inner)) as (keyof StateStore)[]) {
    if (name === ('constructor' as keyof StateStore)) continue;
    (wrapper as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (name === 'healthy') return !wrapper.down && inner.healthy();
      if (wrapper.down) return Promise.reject(new Error('Stream isn’t writeable and enableOfflineQueue options is false'));
      return (inner[name] as (...a: unknown[]) => unknown).apply(inner, args);
    };
  }
  return wrapper;
}

describe('an outage loses nothing', () => {
  function outage(opts: { maxWaiting?: number } = {}) {
    let t = start;
    const lines: { level: number; msg: string }[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
    const inner = new MemoryStore(() => t);
    const store = downable(inner);
    const log = new FeedbackLog({ store, retentionDays: 90, now: () => t, log: logger, retryMs: 10, ...opts });
    return { inner, store, log, lines, advance: (ms: number) => void (t += ms) };
  }

  it('records and counts made while the store is down wait, then are written when it is back, in order', async () => {
    const { store, log, lines } = outage();
    await log.record({ type: 'unanswered', query: 'before', surface: 'dm', user: 'U1' });
    store.down = true;
    await log.record({ type: 'unanswered', query: 'during 1', surface: 'dm', user: 'U1' });
    await log.countQuestion('dm', false);
    await log.record({ type: 'unanswered', query: 'during 2', surface: 'slash', user: 'U2' });
    await log.countQuestion('slash', true);
    await log.countQuestion('slash', false);
    expect(log.waitingWrites()).toEqual({ records: 2, counts: 4 });
    expect(lines.filter((l) => /waits in memory/.test(l.msg))).toHaveLength(1); // said once
    await log.flushWaiting(); // still down: nothing is written, nothing is lost
    expect(log.waitingWrites().records).toBe(2);

    store.down = false;
    await log.flushWaiting();
    expect(log.waitingWrites()).toEqual({ records: 0, counts: 0 });
    expect((await log.records()).map((r) => r.query)).toEqual(['before', 'during 1', 'during 2']);
    expect((await log.dayCounts()).get(dayOf(start))).toEqual({ dm: [1, 0], slash: [2, 1] });
    expect(lines.filter((l) => /waited for the state store is written/.test(l.msg))).toHaveLength(1);
    // the user is hashed as always
    expect((await log.records()).every((r) => /^[0-9a-f]{16}$/.test(r.user))).toBe(true);
  });

  it('a vote clicked while the store is down counts once per person, and not at all if the person had voted already', async () => {
    const { store, log } = outage();
    const click = async (user: string, vote: 'up' | 'down'): Promise<boolean> => {
      const first = await log.claimVote(user, 'sqs', ['sqs']);
      if (first) await log.record({ type: 'vote', vote, query: 'sqs', ids: ['sqs'], surface: 'slash', user });
      return first;
    };
    expect(await click('U00000001', 'up')).toBe(true); // before the outage
    store.down = true;
    expect(await click('U00000001', 'down')).toBe(true); // can't be checked now …
    expect(await click('U00000001', 'down')).toBe(false); // … but a double click here is one
    expect(await click('U00000002', 'down')).toBe(true);
    const vote = (await log.record({ type: 'vote', vote: 'down', query: 'lambda', ids: ['lambda'], surface: 'dm', user: 'U00000003' })).id;
    await log.addReason({ id: vote, query: 'lambda', ids: ['lambda'], surface: 'dm' }, 'U00000003', 'cold starts');
    store.down = false;
    await log.flushWaiting();
    const votes = (await log.records()).filter((r) => r.type === 'vote');
    expect(votes.map((r) => [r.query, r.vote, r.user === votes[0]!.user])).toEqual([
      ['sqs', 'up', true], // U1's first vote; their second, from the outage, was dropped at the flush
      ['sqs', 'down', false], // U2's
      ['lambda', 'down', false],
    ]);
    expect(votes[2]!.reason).toBe('cold starts');
    expect(await click('U00000002', 'up')).toBe(false); // the claim made at the flush holds
  });

  it('at most maxWaiting records wait (the oldest go first, said once); counts are merged, not queued', async () => {
    const { store, log, lines } = outage({ maxWaiting: 5 });
    store.down = true;
    for (let i = 0; i < 8; i++) {
      await log.record({ type: 'unanswered', query: `q${i}`, surface: 'dm', user: 'U1' });
      await log.countQuestion('dm', false);
    }
    expect(log.waitingWrites()).toEqual({ records: 5, counts: 2 });
    expect(lines.filter((l) => /over its bound/.test(l.msg))).toHaveLength(1);
    store.down = false;
    await log.flushWaiting();
    expect((await log.records()).map((r) => r.query)).toEqual(['q3', 'q4', 'q5', 'q6', 'q7']);
    expect((await log.dayCounts()).get(dayOf(start))).toEqual({ dm: [8, 0] });
  });

  it('what waits is written by itself once the store is back (the retry timer), and by settled()', async () => {
    const { store, log } = outage();
    const obs = feedbackObserver(log, createLogger({ level: 'silent' }));
    store.down = true;
    obs.answered({ surface: 'dm', query: 'purple banjo', answer: { kind: 'none' } as never, ms: 1, user: 'U1' });
    await obs.settled();
    expect(log.waitingWrites()).toEqual({ records: 1, counts: 2 });
    store.down = false;
    const deadline = Date.now() + 5000;
    while (log.waitingWrites().records && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(log.waitingWrites()).toEqual({ records: 0, counts: 0 });
    expect((await log.records()).map((r) => r.query)).toEqual(['purple banjo']);
    expect((await log.dayCounts()).get(dayOf(start))).toEqual({ dm: [1, 0] });
  });

  it.skipIf(!redisAvailable)(
    'a real Redis stopped for a few seconds: every count and record made meanwhile is written when it is back',
    { timeout: 30_000 },
    async () => {
      const redis = await startRedis({ own: true });
      try {
        const lines: { level: number; msg: string }[] = [];
        const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
        const store = track(await new RedisStore({ url: redis.url, log: createLogger({ level: 'silent' }), maxReconnectDelayMs: 200 }).connect());
        const log = new FeedbackLog({ store, retentionDays: 90, log: logger, retryMs: 100 });
        const obs = feedbackObserver(log, logger);
        const ask = (i: number): void =>
          obs.answered({
            surface: i % 2 ? 'dm' : 'slash',
            query: `unanswered ${i}`,
            answer: { kind: i % 3 ? 'none' : 'entry' } as never,
            ms: 1,
            user: `U${i}`,
          });
        for (let i = 0; i < 10; i++) ask(i);
        await obs.settled();
        expect(log.waitingWrites()).toEqual({ records: 0, counts: 0 });

        await redis.stop();
        const down = Date.now() + 3000;
        while (store.healthy() && Date.now() < down) await new Promise((r) => setTimeout(r, 20));
        expect(store.healthy()).toBe(false);
        let asked = 10;
        const outageEnds = Date.now() + 3000; // a few seconds of traffic with Redis gone
        while (Date.now() < outageEnds) {
          ask(asked++);
          await new Promise((r) => setTimeout(r, 25));
        }
        await obs.settled(); // the counts batch is written (to memory)
        const during = asked - 10;
        const unansweredDuring = Array.from({ length: during }, (_, k) => k + 10).filter((i) => i % 3 !== 0);
        expect(log.waitingWrites().records).toBe(unansweredDuring.length);

        await redis.start(); // empty: no persistence in tests, so what it holds after is exactly what waited
        const back = Date.now() + 10_000;
        while ((log.waitingWrites().records || log.waitingWrites().counts) && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
        expect(log.waitingWrites()).toEqual({ records: 0, counts: 0 });
        const queries = (await log.records()).map((r) => r.query);
        expect(queries).toEqual(unansweredDuring.map((i) => `unanswered ${i}`));
        const counts = [...(await log.dayCounts()).values()].reduce(
          (sum, c) => Object.values(c).reduce((s, [a, b]) => [s[0] + a, s[1] + b] as [number, number], sum),
          [0, 0] as [number, number],
        );
        expect(counts).toEqual([during, during - unansweredDuring.length]);
        expect(lines.filter((l) => /waits in memory/.test(l.msg))).toHaveLength(1);
      } finally {
        await redis.close();
      }
    },
  );
});

const stores: StateStore[] = [];
function track<T extends StateStore>(s: T): T {
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'feedback-store-'));
  dirs.push(dir);
  return dir;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
