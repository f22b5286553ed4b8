/**
 * `npm run report` as the maintainers run it: a child process reading the bot's store, SQLite in DATA_DIR by
 * default, Redis when STATE_URL is set; and while the bot writes to that store, which loses nothing by it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedbackLog } from '../../src/feedback/store.js';
import type { Summary } from '../../src/feedback/summary.js';
import { createLogger } from '../../src/logger.js';
import { createStore } from '../../src/state/index.js';
import type { StateStore } from '../../src/state/store.js';
import { redisAvailable, startRedis, type TestRedis } from '../support/redis.js';
import { runToEnd, tsx, type Run } from '../support/run.js';

const quiet = createLogger({ level: 'silent' });
const day = 24 * 60 * 60 * 1000;

function report(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return runToEnd(tsx, ['src/cli/report.ts', ...args], {
    env: { ...process.env, NO_COLOR: '1', STATE_URL: '', DATA_DIR: '', FEEDBACK_RETENTION_DAYS: '', ...env },
  });
}

/** What a few days of use leave in the store: the bot's own FeedbackLog writes it. */
async function seed(store: StateStore): Promise<void> {
  let t = Date.now() - 40 * day;
  const log = new FeedbackLog({ store, retentionDays: 30, now: () => t });
  await log.record({ type: 'unanswered', query: 'expired question', surface: 'dm', user: 'U1' }); // 40 days old: pruned
  t = Date.now() - 2 * day;
  for (const [q, u] of [
    ['Glacier restore?', 'U1'],
    ['glacier restores', 'U2'],
    ['how do I restore from glacier', 'U3'],
    ['lamda pricing', 'U1'],
    ['lambda pricing', 'U2'],
  ]) {
    await log.record({ type: 'unanswered', query: q!, surface: 'slash', user: u! });
    await log.countQuestion('slash', false);
  }
  await log.record({ type: 'suggest', query: 'glacier restore', surface: 'slash', user: 'U1' });
  for (let i = 0; i < 5; i++) await log.countQuestion('slash', true);
  await log.countQuestion('mention', true);
  const vote = await log.record({ type: 'vote', vote: 'down', query: 'sqs', ids: ['sqs'], surface: 'mention', user: 'U1' });
  await log.addReason({ id: vote.id, query: 'sqs', ids: ['sqs'], surface: 'mention' }, 'U1', 'nothing about FIFO throughput');
  await log.record({ type: 'vote', vote: 'up', query: 'sqs', ids: ['sqs'], surface: 'slash', user: 'U2' });
}

function expectSeeded(s: Summary): void {
  expect(s.unanswered.map((g) => [g.count, g.requests])).toEqual([
    [3, 1],
    [2, 0],
  ]);
  expect(s.unanswered.map((g) => g.query).join(' | ')).not.toContain('expired');
  expect(s.downvoted).toEqual([
    expect.objectContaining({ ids: ['sqs'], down: 1, up: 1, reasons: [expect.objectContaining({ reason: 'nothing about FIFO throughput' })] }),
  ]);
  const slash = s.rates.find((r) => r.surface === 'slash')!;
  expect(slash.last7).toEqual({ asked: 10, answered: 5, rate: 0.5 });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('npm run report', () => {
  it('reads SQLite in DATA_DIR: grouped unanswered questions, 👎 with reasons, answer rates; expired records pruned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedback-report-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await createStore({ dataDir: dir }, quiet);
    await seed(store);
    await store.close();

    const json = await report({ DATA_DIR: dir, FEEDBACK_RETENTION_DAYS: '30' }, ['--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expectSeeded(JSON.parse(json.stdout) as Summary);

    const text = await report({ DATA_DIR: dir, FEEDBACK_RETENTION_DAYS: '30' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Most frequent unanswered questions\n\s+3×\s+“[Gg]lacier restores?\??”, 1 request\n\s+also: /);
    expect(text.stdout).toMatch(/2×\s+“lam(b)?da pricing”/);
    expect(text.stdout).toContain('Amazon SQS (sqs)');
    expect(text.stdout).toContain('nothing about FIFO throughput');
    expect(text.stdout).toMatch(/\/aws\s+50% \(5\/10\)/);
    expect(text.stdout).not.toContain('expired question');
  }, 60_000);

  it('an unusable DATA_DIR or STATE_URL: one line naming it, exit code 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'feedback-report-')), 'a-file');
    cleanup.push(() => rmSync(join(file, '..'), { recursive: true, force: true }));
    writeFileSync(file, 'not a directory');
    const bad = await report({ DATA_DIR: file });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Cannot report: DATA_DIR: cannot open .*a-file.*\n$/);
    const url = await report({ STATE_URL: 'redis://127.0.0.1:6379/db-one' });
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/^Cannot report: STATE_URL: .*is not a database number.*\n$/);
  }, 60_000);

  // A Redis of its own: a shared REDIS_URL may hold others' data under the bot's key prefix.
  it.skipIf(!redisAvailable)(
    'reads Redis when STATE_URL is set',
    async () => {
      const redis: TestRedis = await startRedis({ own: true });
      cleanup.push(() => redis.close());
      const store = await createStore({ dataDir: '/nonexistent', stateUrl: redis.url }, quiet);
      await seed(store);
      await store.close();
      const json = await report({ STATE_URL: redis.url, FEEDBACK_RETENTION_DAYS: '30', DATA_DIR: '/nonexistent-data-dir' }, ['--json']);
      expect(json.code).toBe(0);
      expectSeeded(JSON.parse(json.stdout) as Summary);
    },
    60_000,
  );

  /**
   * The report prunes and reads while the bot (another store instance on the same DATA_DIR or Redis) writes new
   * records and prunes its own: every record the bot wrote is there afterwards, and nothing expired comes back.
   */
  const live: { name: string; skip: boolean; open(): Promise<{ env: Record<string, string>; store: () => Promise<StateStore> }> }[] = [
    {
      name: 'SQLite',
      skip: false,
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'feedback-report-live-'));
        cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
        return { env: { DATA_DIR: dir }, store: () => createStore({ dataDir: dir }, quiet) };
      },
    },
    {
      name: 'Redis',
      skip: !redisAvailable,
      async open() {
        const redis = await startRedis({ own: true });
        cleanup.push(() => redis.close());
        return {
          env: { STATE_URL: redis.url, DATA_DIR: '/nonexistent-data-dir' },
          store: () => createStore({ dataDir: '/nonexistent', stateUrl: redis.url }, quiet),
        };
      },
    },
  ];
  for (const place of live)
    it.skipIf(place.skip)(
      `reads a live store (${place.name}) while the bot writes to it: nothing the bot wrote is lost, nothing expired comes back`,
      async () => {
        const { env, store: open } = await place.open();
        const seeded = await open();
        const expired = new FeedbackLog({ store: seeded, retentionDays: 30, now: () => Date.now() - 40 * day });
        for (let i = 0; i < 300; i++) await expired.record({ type: 'unanswered', query: `expired question ${i}`, surface: 'dm', user: 'U8' });
        await seed(seeded);
        await seeded.close();

        const botStore = await open();
        const bot = new FeedbackLog({ store: botStore, retentionDays: 30 });
        const running = report({ ...env, FEEDBACK_RETENTION_DAYS: '30' }, ['--json']);
        let done = false;
        void running.finally(() => (done = true));
        const written: string[] = [];
        const until = Date.now() + 45_000;
        // Until the report has ended: new records, and prunes of the bot's own racing the report's.
        for (let i = 0; !done && Date.now() < until; i++) {
          const q = `live question ${i}`;
          await bot.record({ type: 'unanswered', query: q, surface: 'dm', user: 'U9' });
          written.push(q);
          if (i % 10 === 0) await bot.prune();
          await new Promise((r) => setTimeout(r, 5));
        }
        const result = await running;
        expect(result.code, result.stderr).toBe(0);
        expect(written.length).toBeGreaterThan(10); // the bot really wrote while the report ran
        const summary = JSON.parse(result.stdout) as Summary;
        expect(summary.unanswered.map((g) => g.query).join(' | ')).not.toMatch(/expired/);

        const after = await open();
        const queries = (await after.listAll('feedback:log')).map((raw) => (JSON.parse(raw) as { query: string }).query);
        await after.close();
        await botStore.close();
        expect(queries.filter((q) => q.startsWith('live question'))).toEqual(written);
        expect(queries.filter((q) => /expired/.test(q))).toEqual([]);
        expect(queries).toEqual(expect.arrayContaining(['Glacier restore?', 'lambda pricing', 'sqs']));
      },
      60_000,
    );
});
