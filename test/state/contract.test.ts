/**
 * The StateStore contract, run against both implementations: SQLite in DATA_DIR and Redis (a real redis-server,
 * see test/support/redis.ts). Each test gets its own place (a directory, a key prefix), and "another replica" is a
 * second store opened on the same place (a second SQLite connection to the same file, a second Redis client).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { RedisStore } from '../../src/state/redis.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/store.js';
import { redisAvailable, startRedis, type TestRedis } from '../support/redis.js';

const log = createLogger({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Impl {
  name: string;
  /** A new, empty place; `open()` opens a store on it (again). */
  place(): { open(): Promise<StateStore>; cleanup(): void };
}

let redis: TestRedis;
const dirs: string[] = [];

const impls: Impl[] = [
  {
    name: 'SqliteStore',
    place() {
      const dir = mkdtempSync(join(tmpdir(), 'aws-guide-state-'));
      dirs.push(dir);
      return { open: async () => new SqliteStore({ dir, log }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'RedisStore',
    place() {
      const prefix = `test:${randomUUID()}:`;
      return { open: () => new RedisStore({ url: redis.url, log, prefix }).connect(), cleanup: () => undefined };
    },
  },
];

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});

afterAll(async () => {
  await redis?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(impls.filter((i) => redisAvailable || i.name !== 'RedisStore'))('$name', (impl) => {
  const open: StateStore[] = [];
  let place: ReturnType<Impl['place']>;
  const store = async (): Promise<StateStore> => {
    const s = await place.open();
    open.push(s);
    return s;
  };

  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    place?.cleanup();
  });

  const fresh = async (): Promise<StateStore> => {
    place = impl.place();
    return store();
  };

  it('is healthy when open', async () => {
    const s = await fresh();
    expect(s.healthy()).toBe(true);
  });

  it('claim: true once, false while the claim lasts, true again after it expires', async () => {
    const s = await fresh();
    expect(await s.claim('slot:a', 300)).toBe(true);
    expect(await s.claim('slot:a', 300)).toBe(false);
    expect(await s.claim('slot:b', 300)).toBe(true); // another key is another claim
    await sleep(450);
    expect(await s.claim('slot:a', 300)).toBe(true);
    expect(await s.claim('slot:a', 300)).toBe(false);
  });

  it('claim: of many claims made at once, exactly one wins', async () => {
    const s = await fresh();
    const all = [s, await store(), await store()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => all[i % all.length]!.claim('event:Ev1', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('get, set, delete; a missing key is undefined', async () => {
    const s = await fresh();
    expect(await s.get('k')).toBeUndefined();
    await s.set('k', 'v1');
    await s.set('k', 'v2');
    expect(await s.get('k')).toBe('v2');
    await s.set('json', JSON.stringify({ a: [1, 'ü'] }));
    expect(JSON.parse((await s.get('json'))!)).toEqual({ a: [1, 'ü'] });
    await s.delete('k');
    expect(await s.get('k')).toBeUndefined();
    await s.delete('never-set'); // no error
  });

  it('sets: add (idempotent), remove, members; a missing set is empty', async () => {
    const s = await fresh();
    expect(await s.setMembers('chans')).toEqual([]);
    await s.setAdd('chans', 'C1');
    await s.setAdd('chans', 'C2');
    await s.setAdd('chans', 'C1');
    expect((await s.setMembers('chans')).sort()).toEqual(['C1', 'C2']);
    await s.setRemove('chans', 'C1');
    await s.setRemove('chans', 'C9'); // not a member: no error
    expect(await s.setMembers('chans')).toEqual(['C2']);
    await s.delete('chans');
    expect(await s.setMembers('chans')).toEqual([]);
  });

  it('lists: pushes keep the newest maxLength items, oldest first; delete', async () => {
    const s = await fresh();
    expect(await s.listAll('fb')).toEqual([]);
    for (const v of ['1', '2', '3', '4', '5']) await s.listPush('fb', v, 3);
    expect(await s.listAll('fb')).toEqual(['3', '4', '5']);
    await s.listPush('fb', '6', 10);
    expect(await s.listAll('fb')).toEqual(['3', '4', '5', '6']);
    await s.listPush('other', 'x', 3); // lists are apart
    await s.delete('fb');
    expect(await s.listAll('fb')).toEqual([]);
    expect(await s.listAll('other')).toEqual(['x']);
  });

  it('listRemoveOldest: removes the given oldest items, and only while they are at the head', async () => {
    const s = await fresh();
    for (const v of ['a', 'b', 'c', 'd']) await s.listPush('fb', v, 100);
    expect(await s.listRemoveOldest('fb', ['a', 'b'])).toBe(2);
    expect(await s.listAll('fb')).toEqual(['c', 'd']);
    expect(await s.listRemoveOldest('fb', ['d'])).toBe(0); // not at the head: nothing goes
    expect(await s.listRemoveOldest('fb', [])).toBe(0);
    expect(await s.listRemoveOldest('missing', ['x'])).toBe(0);
    expect(await s.listAll('fb')).toEqual(['c', 'd']);
  });

  it('a push by another replica between the read and the prune is kept; so are items the bound already took', async () => {
    const s = await fresh();
    const other = await store();
    for (const v of ['old1', 'old2', 'new1']) await s.listPush('fb', v, 4);
    const read = await s.listAll('fb'); // the pruner's snapshot: old1 and old2 have expired
    await other.listPush('fb', 'new2', 4); // meanwhile, another replica writes
    await other.listPush('fb', 'new3', 4); // … and the bound of 4 pushes old1 out
    expect(await s.listAll('fb')).toEqual(['old2', 'new1', 'new2', 'new3']);
    expect(await s.listRemoveOldest('fb', read.slice(0, 2))).toBe(1);
    expect(await s.listAll('fb')).toEqual(['new1', 'new2', 'new3']);
  });

  it('two pruners on the same snapshot remove each expired item once, and nothing newer', async () => {
    const s = await fresh();
    const other = await store();
    for (const v of ['old1', 'old2', 'new1', 'new2']) await s.listPush('fb', v, 100);
    const expired = (await s.listAll('fb')).slice(0, 2);
    const removed = await Promise.all([s.listRemoveOldest('fb', expired), other.listRemoveOldest('fb', expired)]);
    expect(removed.reduce((a, b) => a + b)).toBe(2);
    expect(await s.listAll('fb')).toEqual(['new1', 'new2']);
  });

  it('counters: increments add up, several fields at once; a missing hash is {}; delete clears it', async () => {
    const s = await fresh();
    expect(await s.hashGetAll('counts')).toEqual({});
    await s.hashIncrement('counts', { 'asked:slash': 2, 'answered:slash': 1 });
    await s.hashIncrement('counts', { 'asked:slash': 3, 'asked:dm': 1 });
    expect(await s.hashGetAll('counts')).toEqual({ 'asked:slash': 5, 'answered:slash': 1, 'asked:dm': 1 });
    await expect(s.hashIncrement('counts', { x: 0.5 })).rejects.toThrow(/not an integer/);
    await s.delete('counts');
    expect(await s.hashGetAll('counts')).toEqual({});
  });

  it('counters: increments made at once by three replicas lose nothing', async () => {
    const s = await fresh();
    const all = [s, await store(), await store()];
    await Promise.all(Array.from({ length: 300 }, (_, i) => all[i % 3]!.hashIncrement('day', { asked: 1, answered: i % 2 })));
    expect(await s.hashGetAll('day')).toEqual({ asked: 300, answered: 150 });
  });

  it('setIfAbsent: of many replicas making the same value at once, one sets it and all read the same', async () => {
    const s = await fresh();
    const all = [s, await store(), await store()];
    const won = await Promise.all(all.map((x, i) => x.setIfAbsent('feedback:salt', `salt-${i}`)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const value = `salt-${won.indexOf(true)}`;
    for (const x of all) expect(await x.get('feedback:salt')).toBe(value);
    expect(await s.setIfAbsent('feedback:salt', 'again')).toBe(false);
    expect(await s.get('feedback:salt')).toBe(value);
  });

  it('pending events: recorded with their payload, listed oldest first, gone once done', async () => {
    const s = await fresh();
    expect(await s.pendingList(60_000)).toEqual([]);
    const before = Date.now();
    await s.pendingAdd('Ev1', JSON.stringify({ text: 'sqs', channel: 'C1' }));
    await sleep(5);
    await s.pendingAdd('Ev2', '{"text":"lambda"}');
    const listed = await s.pendingList(60_000);
    expect(listed.map((e) => [e.id, e.payload])).toEqual([
      ['Ev1', '{"text":"sqs","channel":"C1"}'],
      ['Ev2', '{"text":"lambda"}'],
    ]);
    expect(listed[0]!.at).toBeGreaterThanOrEqual(before);
    await s.pendingDone('Ev1');
    await s.pendingDone('EvNever'); // no error
    expect((await s.pendingList(60_000)).map((e) => e.id)).toEqual(['Ev2']);
  });

  it('pending events older than the age asked for are not listed, and forgotten', async () => {
    const s = await fresh();
    await s.pendingAdd('EvOld', '{}');
    await sleep(300);
    await s.pendingAdd('EvNew', '{}');
    expect((await s.pendingList(200)).map((e) => e.id)).toEqual(['EvNew']);
    expect((await s.pendingList(60_000)).map((e) => e.id)).toEqual(['EvNew']);
  });

  it('pending events: of many replicas claiming one at once, exactly one gets its payload', async () => {
    const s = await fresh();
    const all = [s, await store(), await store()];
    await s.pendingAdd('Ev3', '{"text":"ecs vs eks"}');
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => all[i % 3]!.pendingClaim('Ev3', 60_000)));
    expect(got.filter((x) => x !== undefined)).toEqual(['{"text":"ecs vs eks"}']);
    expect(await s.pendingClaim('Ev3', 60_000)).toBeUndefined();
    // still pending (its reply not sent): listed, so it is not lost if the taker dies too
    expect((await s.pendingList(60_000)).map((e) => e.id)).toEqual(['Ev3']);
    expect(await s.pendingClaim('EvUnknown', 60_000)).toBeUndefined();
  });

  it('pending events: a claim expires (the taker died), so another can take it; a done event cannot be taken', async () => {
    const s = await fresh();
    const other = await store();
    await s.pendingAdd('Ev4', 'p4');
    expect(await s.pendingClaim('Ev4', 200)).toBe('p4');
    expect(await other.pendingClaim('Ev4', 200)).toBeUndefined();
    await sleep(350);
    expect(await other.pendingClaim('Ev4', 60_000)).toBe('p4');
    await other.pendingDone('Ev4');
    await sleep(5);
    expect(await s.pendingClaim('Ev4', 60_000)).toBeUndefined();
    expect(await s.pendingList(60_000)).toEqual([]);
  });

  it('claimPending: the claim that wins records the event as pending in the same write; a losing one records nothing', async () => {
    const s = await fresh();
    const other = await store();
    expect(await s.claimPending('event:Ev6', 60_000, 'Ev6', 'p6')).toBe(true);
    expect((await other.pendingList(60_000)).map((e) => [e.id, e.payload])).toEqual([['Ev6', 'p6']]);
    expect(await other.claimPending('event:Ev6', 60_000, 'Ev6', 'another')).toBe(false);
    expect(await other.claim('event:Ev6', 60_000)).toBe(false); // it is the once-only claim itself
    expect((await s.pendingList(60_000)).map((e) => e.payload)).toEqual(['p6']);
    await s.pendingDone('Ev6');
    // Slack redelivers the answered event: still claimed, so it is not pending again (nor answered again at start).
    expect(await other.claimPending('event:Ev6', 60_000, 'Ev6', 'p6')).toBe(false);
    expect(await s.pendingList(60_000)).toEqual([]);
    const all = [s, other, await store()];
    const won = await Promise.all(Array.from({ length: 12 }, (_, i) => all[i % 3]!.claimPending('event:Ev7', 60_000, 'Ev7', `p${i}`)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await s.pendingList(60_000)).map((e) => e.payload)).toEqual([`p${won.indexOf(true)}`]);
  });

  it('everything survives a reopen (a restart); a live claim is still held', async () => {
    const s = await fresh();
    await s.set('tips:seed', 'abcd');
    await s.setAdd('tips:channels', 'C1');
    await s.listPush('fb', 'a', 5);
    await s.listPush('fb', 'b', 5);
    await s.hashIncrement('counts', { asked: 4 });
    await s.pendingAdd('Ev5', 'p5');
    expect(await s.claim('slot:x', 60_000)).toBe(true);
    await s.close();
    open.splice(open.indexOf(s), 1);
    const again = await store();
    expect(await again.get('tips:seed')).toBe('abcd');
    expect(await again.setMembers('tips:channels')).toEqual(['C1']);
    expect(await again.listAll('fb')).toEqual(['a', 'b']);
    expect(await again.hashGetAll('counts')).toEqual({ asked: 4 });
    expect((await again.pendingList(60_000)).map((e) => e.payload)).toEqual(['p5']);
    expect(await again.claim('slot:x', 60_000)).toBe(false);
  });

  it('setExpiring: read until it expires, then gone; set again, a new value and a new expiry; seen by another replica; deleted', async () => {
    const s = await fresh();
    const other = await store();
    await s.setExpiring('thread:C1:1.2', 'sqs', 300);
    expect(await other.get('thread:C1:1.2')).toBe('sqs');
    await sleep(450);
    expect(await s.get('thread:C1:1.2')).toBeUndefined();
    await other.setExpiring('thread:C1:1.2', 'sns', 60_000);
    await other.setExpiring('thread:C1:1.2', 'lambda', 60_000);
    expect(await s.get('thread:C1:1.2')).toBe('lambda');
    await s.delete('thread:C1:1.2');
    expect(await other.get('thread:C1:1.2')).toBeUndefined();
  });

  it('two replicas see each other at once: an opt-in, a claim, a list', async () => {
    const a = await fresh();
    const b = await store();
    await a.setAdd('tips:channels', 'C7');
    expect(await b.setMembers('tips:channels')).toEqual(['C7']);
    expect(await b.claim('event:Ev2', 60_000)).toBe(true);
    expect(await a.claim('event:Ev2', 60_000)).toBe(false);
    await b.listPush('fb', 'one', 5);
    expect(await a.listAll('fb')).toEqual(['one']);
  });
});
