/**
 * The feedback log: votes counted once per person per answer, user ids hashed, the 👎 reason kept with its vote,
 * the 10,000-record bound, and retention (pruned on write and on report) on an injected clock.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentSummary } from '../../src/feedback/index.js';
import { FeedbackLog, keys, maxRecords } from '../../src/feedback/store.js';
import { createLogger } from '../../src/logger.js';
import { FileStore } from '../../src/state/file.js';
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
    expect(records[0]).toMatchObject({ type: 'vote', vote: 'down', reason: 'the FIFO throughput limits', query: 'sqs fifo', ids: ['sqs'], surface: 'mention' });
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

  it('the file store (DATA_DIR) keeps and prunes the same way, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedback-file-'));
    dirs.push(dir);
    let t = start;
    const now = () => t;
    const quiet = createLogger({ level: 'silent' });
    const first = new FileStore({ dir, log: quiet, now });
    const log1 = new FeedbackLog({ store: first, retentionDays: 10, now });
    await log1.record({ type: 'unanswered', query: 'first', surface: 'dm', user: 'U00000001' });
    expect(await log1.claimVote('U00000001', 'sqs', ['sqs'])).toBe(true);
    await first.close();
    t += 11 * day;
    const second = new FileStore({ dir, log: quiet, now });
    const log2 = new FeedbackLog({ store: second, retentionDays: 10, now });
    expect(await log2.hashUser('U00000001')).toBe(await log1.hashUser('U00000001')); // the salt is kept in the store
    await log2.record({ type: 'unanswered', query: 'second', surface: 'dm', user: 'U00000001' });
    await second.close();
    const file = readFileSync(join(dir, 'state.jsonl'), 'utf8');
    expect(file).toContain('second');
    expect(file).not.toContain('"first');
    expect(file).not.toContain('U00000001');
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
