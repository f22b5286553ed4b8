/**
 * The StateStore contract, run against both implementations: the file in DATA_DIR and Redis (a real
 * redis-server, see test/support/redis.ts). Each test gets its own place (a directory, a key prefix), and
 * "another replica" is a second store opened on the same place.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { FileStore } from '../../src/state/file.js';
import { RedisStore } from '../../src/state/redis.js';
import type { StateStore } from '../../src/state/store.js';
import { redisAvailable, startRedis, type TestRedis } from '../support/redis.js';

const log = createLogger({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Impl {
  name: string;
  /** Whether two stores open on one place share it live (Redis), not only through a reopen (the file). */
  shared: boolean;
  /** A new, empty place; `open()` opens a store on it (again). */
  place(): { open(): Promise<StateStore>; cleanup(): void };
}

let redis: TestRedis;
const dirs: string[] = [];

const impls: Impl[] = [
  {
    name: 'FileStore',
    shared: false,
    place() {
      const dir = mkdtempSync(join(tmpdir(), 'aws-guide-state-'));
      dirs.push(dir);
      return { open: async () => new FileStore({ dir, log }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'RedisStore',
    shared: true,
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
    const others = impl.shared ? [await store(), await store()] : [];
    const all = [s, ...others];
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

  it('lists: pushes keep the newest maxLength items, oldest first; replace and delete', async () => {
    const s = await fresh();
    expect(await s.listAll('fb')).toEqual([]);
    for (const v of ['1', '2', '3', '4', '5']) await s.listPush('fb', v, 3);
    expect(await s.listAll('fb')).toEqual(['3', '4', '5']);
    await s.listPush('fb', '6', 10);
    expect(await s.listAll('fb')).toEqual(['3', '4', '5', '6']);
    await s.listReplace('fb', ['5', '6']);
    expect(await s.listAll('fb')).toEqual(['5', '6']);
    await s.listReplace('fb', []);
    expect(await s.listAll('fb')).toEqual([]);
    await s.listPush('fb', 'x', 3);
    await s.delete('fb');
    expect(await s.listAll('fb')).toEqual([]);
  });

  it('everything survives a reopen (a restart); a live claim is still held', async () => {
    const s = await fresh();
    await s.set('tips:seed', 'abcd');
    await s.setAdd('tips:channels', 'C1');
    await s.listPush('fb', 'a', 5);
    await s.listPush('fb', 'b', 5);
    expect(await s.claim('slot:x', 60_000)).toBe(true);
    await s.close();
    open.splice(open.indexOf(s), 1);
    const again = await store();
    expect(await again.get('tips:seed')).toBe('abcd');
    expect(await again.setMembers('tips:channels')).toEqual(['C1']);
    expect(await again.listAll('fb')).toEqual(['a', 'b']);
    expect(await again.claim('slot:x', 60_000)).toBe(false);
  });

  it.runIf(impl.shared)('two replicas see each other at once: an opt-in, a claim, a list', async () => {
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
