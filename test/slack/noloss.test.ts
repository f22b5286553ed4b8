/**
 * No question lost, with the default store (SQLite in DATA_DIR). Slack never redelivers an event that was acked, and
 * the bot acks an event the moment it arrives; so a question whose bot dies before replying must be answered by the
 * next start:
 * - kill -9 after the ack, while the reply is on its way (the fake Slack holds chat.postMessage): the next start on
 *   the same DATA_DIR answers the question, once;
 * - SIGTERM while a reply cannot finish within the shutdown's 10 s: the bot still exits 0, and the next start
 *   answers the question, once;
 * - at start, a pending question too old to answer is dropped with one line; a recent one gets the reply a live
 *   question gets.
 * The bots are child processes (`node --import tsx src/main.ts`, see test/replicas/replica.ts), on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { createLogger } from '../../src/logger.js';
import { gate, Inflight } from '../../src/slack/app.js';
import { PendingRecovery, pendingRecord, storeEventLedger } from '../../src/state/events.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { MemoryStore } from '../feedback/memory-store.js';
import { getCore, startBot } from '../support/bot.js';
import { startFakeSlack, type ApiCall, type FakeSlack } from '../support/fake-slack.js';
import { startReplica, type Replica } from '../replicas/replica.js';

const silent = createLogger({ level: 'silent' });
const dirs: string[] = [];
const newDataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'aws-guide-noloss-'));
  dirs.push(d);
  return d;
};

/** The bot's successful replies in the thread of `ts`. */
const repliesTo = (fake: FakeSlack, ts: string): ApiCall[] =>
  fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok === true && c.args.thread_ts === ts);
const header = (c: ApiCall): string | undefined =>
  (c.args.blocks as { type: string; text?: { text: string } }[] | undefined)?.find((b) => b.type === 'header')?.text?.text;

/** What is still pending in a DATA_DIR (the bot that used it stopped). */
async function pendingIn(dir: string): Promise<string[]> {
  const store = new SqliteStore({ dir, log: silent });
  try {
    return (await store.pendingList(60 * 60 * 1000)).map((e) => e.id);
  } finally {
    await store.close();
  }
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a bot that dies after the ack: the next start answers', () => {
  let fake: FakeSlack;
  const running: Replica[] = [];
  const start = async (name: string, dataDir: string): Promise<Replica> => {
    const r = await startReplica(name, {
      SLACK_BOT_TOKEN: 'xoxb-noloss-test',
      SLACK_APP_TOKEN: 'xapp-noloss-test',
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
    });
    running.push(r);
    return r;
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.kill();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('kill -9 after the ack, before the reply: the next start on the same DATA_DIR answers the question, once', { timeout: 60_000 }, async () => {
    const dataDir = newDataDir();
    const first = await start('crash-1', dataDir);
    fake.delay('chat.postMessage', 60_000, 1); // the reply is slow: the bot dies while it is on its way
    const m = await fake.mention({ text: 'sqs', channel: 'C0CRASH01' }); // resolves once the bot acked it
    await fake.waitFor(() => fake.delayed === 1, 10_000, 'the reply to be on its way');
    await first.kill();
    await fake.waitFor(() => fake.delayed === 0, 5000, 'the held reply to be dropped with its client');
    expect(repliesTo(fake, m.ts), 'the killed bot never got its reply through').toEqual([]);

    const second = await start('crash-2', dataDir);
    const post = await fake.waitForCall('chat.postMessage', (c) => c.response.ok === true && c.args.thread_ts === m.ts, 15_000);
    expect(post.args.channel).toBe('C0CRASH01');
    expect(header(post)).toBe('Amazon SQS');
    const replayed = second.logs().find((l) => l.msg === 'answering a question left pending by a stopped process');
    expect(replayed?.eventId).toBe(m.eventId);
    expect(second.logs().filter((l) => l.msg === 'answered' && l.surface === 'mention' && l.query === 'sqs')).toHaveLength(1);

    expect(await second.stop()).toBe(0);
    expect(repliesTo(fake, m.ts), 'answered exactly once').toHaveLength(1);
    expect(await pendingIn(dataDir), 'nothing left for a third start to answer again').toEqual([]);
  });

  it('SIGTERM while a reply cannot finish: exit 0 after the 10 s drain, and the next start answers, once', { timeout: 60_000 }, async () => {
    const dataDir = newDataDir();
    const first = await start('slow-1', dataDir);
    fake.delay('chat.postMessage', 60_000, 1);
    const m = await fake.mention({ text: 'lambda', channel: 'C0SLOW001' });
    await fake.waitFor(() => fake.delayed === 1, 10_000, 'the reply to be on its way');
    expect(await first.stop(30_000), 'a clean exit, though a reply was left unsent').toBe(0);
    const msgs = first.logs().map((l) => l.msg);
    // Stop receiving first, then wait for the reply in flight (bounded), then say what was left.
    const order = [
      'shutting down: closing the Socket Mode connection, then finishing replies in flight',
      'disconnected from Slack: no new events come here',
      'replies still unsent: their questions stay pending, for the next start or another replica',
      'stopped',
    ];
    expect(
      order.filter((msg) => !msgs.includes(msg)),
      msgs.join(' | '),
    ).toEqual([]);
    const at = order.map((msg) => msgs.indexOf(msg));
    expect(at).toEqual([...at].sort((x, y) => x - y));
    await fake.waitFor(() => fake.delayed === 0, 5000, 'the held reply to be dropped with its client');
    expect(await pendingIn(dataDir)).toEqual([m.eventId]);

    await start('slow-2', dataDir);
    const post = await fake.waitForCall('chat.postMessage', (c) => c.response.ok === true && c.args.thread_ts === m.ts, 15_000);
    expect(header(post)).toBe('AWS Lambda');
    expect(await running.at(-1)!.stop()).toBe(0);
    expect(repliesTo(fake, m.ts)).toHaveLength(1);
    expect(await pendingIn(dataDir)).toEqual([]);
  });
});

describe('at start, what was left pending', () => {
  it('a recent question gets the reply a live one gets; one too old to answer is dropped, with one line counting it', async () => {
    const dataDir = newDataDir();
    const question = (ts: string, channel: string, eventId: string) => ({
      type: 'event_callback',
      event_id: eventId,
      team_id: 'T00000001',
      event: { type: 'app_mention', text: '<@UBOT0001> ecs vs eks', user: 'U00000001', ts, channel, event_ts: ts },
    });
    const recentTs = `${Math.floor(Date.now() / 1000) - 30}.000100`;
    const oldTs = `${Math.floor(Date.now() / 1000) - 600}.000200`;
    const recent = new SqliteStore({ dir: dataDir, log: silent });
    await recent.pendingAdd('Ev0RECENT1', pendingRecord(question(recentTs, 'C0RECENT1', 'Ev0RECENT1'), 'a-previous-run')!);
    await recent.close();
    // A DM, and an edit of a DM (which the listener ignores, replayed or not).
    const dm = (eventId: string, extra: Record<string, string>) => ({
      type: 'event_callback',
      event_id: eventId,
      event: { type: 'message', channel_type: 'im', channel: 'D00000001', text: 'what is kinesis', ts: `${recentTs}1`, ...extra },
    });
    const more = new SqliteStore({ dir: dataDir, log: silent });
    await more.pendingAdd('Ev0RECENTDM', pendingRecord(dm('Ev0RECENTDM', { user: 'U00000001' }), 'a-previous-run')!);
    await more.pendingAdd('Ev0EDITED1', pendingRecord(dm('Ev0EDITED1', { subtype: 'message_changed', user: 'U00000001' }), 'a-previous-run')!);
    await more.close();
    const old = new SqliteStore({ dir: dataDir, log: silent, now: () => Date.now() - 10 * 60 * 1000 });
    await old.pendingAdd('Ev0OLD0001', pendingRecord(question(oldTs, 'C0OLD0001', 'Ev0OLD0001'), 'a-previous-run')!);
    await old.close();

    const b = await startBot({ env: { DATA_DIR: dataDir } });
    try {
      const replayed = await b.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === recentTs, 10_000);
      expect(replayed.args.channel).toBe('C0RECENT1');
      const dropped = b.logs().filter((l) => l.msg === 'pending events too old to answer now, dropped');
      expect(dropped).toHaveLength(1);
      expect(dropped[0]).toMatchObject({ count: 1, maxAgeMinutes: 5 });
      expect(b.logs().filter((l) => l.msg === 'answered' && l.surface === 'mention')).toHaveLength(1);
      const dmReply = await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D00000001', 10_000);
      expect(header(dmReply)).toBe('Amazon Kinesis');
      expect(b.logs().filter((l) => l.msg === 'answered' && l.surface === 'dm')).toHaveLength(1);

      // The same question asked live: the same reply.
      const live = await b.fake.mention({ text: 'ecs vs eks', channel: 'C0RECENT1' });
      const livePost = await b.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === live.ts, 10_000);
      expect(replayed.args.text).toBe(livePost.args.text);
      const shape = (c: ApiCall): string[] => (c.args.blocks as { type: string }[]).map((x) => x.type);
      expect(shape(replayed)).toEqual(shape(livePost));
      await b.bot.stop();
      expect(b.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === oldTs)).toEqual([]);
      expect(await pendingIn(dataDir)).toEqual([]);
    } finally {
      await b.stop();
    }
  });
});

/** An app_mention envelope body, as Slack sends it. */
const mentionBody = (eventId: string, text = 'sqs') => ({
  type: 'event_callback',
  event_id: eventId,
  team_id: 'T00000001',
  event: {
    type: 'app_mention',
    text: `<@UBOT0001> ${text}`,
    user: 'U00000001',
    ts: '1700000000.000100',
    channel: 'C00000001',
    event_ts: '1700000000.000100',
  },
});

describe('the gate: a question is pending from its claim until its listener has run', () => {
  const setup = () => {
    const store = new MemoryStore();
    const inflight = new Inflight();
    const mw = gate(inflight, storeEventLedger(store, silent), getCore().render, silent) as Middleware<AnyMiddlewareArgs>;
    const run = async (body: object, next: () => Promise<void>, extra: Record<string, unknown> = {}): Promise<void> =>
      (mw as unknown as (a: unknown) => Promise<void>)({ body, next, context: {}, ...extra });
    return { store, inflight, run };
  };

  it('pending while its listener runs, done after; a redelivery is skipped and records nothing', async () => {
    const { store, run } = setup();
    let pendingDuring: string[] = [];
    await run(mentionBody('Ev0GATE001'), async () => void (pendingDuring = [...store.pending.keys()]));
    expect(pendingDuring).toEqual(['Ev0GATE001']);
    expect([...store.pending.keys()]).toEqual([]);
    let ran = false;
    await run(mentionBody('Ev0GATE001'), async () => void (ran = true));
    expect(ran).toBe(false);
    expect([...store.pending.keys()]).toEqual([]);
  });

  it('an event that arrives while shutting down is answered (it was acked: refused, it would be lost); a command gets the notice', async () => {
    const { store, inflight, run } = setup();
    inflight.closing = true;
    let ran = false;
    await run(mentionBody('Ev0GATE002'), async () => void (ran = true));
    expect(ran).toBe(true);
    expect([...store.pending.keys()]).toEqual([]);
    const acks: unknown[] = [];
    let commandRan = false;
    await run({ command: '/aws', text: 'sqs' }, async () => void (commandRan = true), { ack: async (m: unknown) => void acks.push(m) });
    expect(commandRan).toBe(false);
    expect(JSON.stringify(acks)).toMatch(/restarting/);
  });

  it('a question the shutdown gave up on stays pending, its payload enough to answer it again', async () => {
    const { store, inflight, run } = setup();
    let release!: () => void;
    const running = run(mentionBody('Ev0GATE003', 'ecs vs eks'), () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 10));
    expect(inflight.size).toBe(1);
    inflight.abandon();
    await expect(inflight.fetch('http://127.0.0.1:9/api/chat.postMessage')).rejects.toThrow(/cut off/);
    release();
    await running;
    const [pending] = await store.pendingList(60_000);
    expect(pending?.id).toBe('Ev0GATE003');
    const record = JSON.parse(pending!.payload) as { body: { event_id: string; event: Record<string, string> } };
    expect(record.body.event_id).toBe('Ev0GATE003');
    expect(record.body.event).toMatchObject({
      type: 'app_mention',
      channel: 'C00000001',
      user: 'U00000001',
      text: '<@UBOT0001> ecs vs eks',
      ts: '1700000000.000100',
    });
  });

  it("a prefetch (the conversation's context) starts beside the claim, not after it; a redelivery's is only wasted", async () => {
    const store = new MemoryStore();
    let answerClaim!: (first: boolean) => void;
    const ledger = { ...storeEventLedger(store, silent), claim: () => new Promise<boolean>((r) => (answerClaim = r)) };
    const prefetched: string[] = [];
    const mw = gate(new Inflight(), ledger, getCore().render, silent, (args) =>
      prefetched.push((args.body as { event_id: string }).event_id),
    ) as unknown as (a: unknown) => Promise<void>;
    let ran = false;
    const running = mw({ body: mentionBody('Ev0PREF001'), next: async () => void (ran = true), context: {} });
    await new Promise((r) => setTimeout(r, 5));
    expect(prefetched).toEqual(['Ev0PREF001']); // while the claim is still out
    expect(ran).toBe(false);
    answerClaim(true);
    await running;
    expect(ran).toBe(true);
    const again = mw({ body: mentionBody('Ev0PREF001'), next: async () => void (ran = false), context: {} });
    answerClaim(false);
    await again;
    expect(ran).toBe(true); // the redelivery's listener did not run
  });

  it('the pending record is bounded: a huge text is cut, on a whole character', () => {
    const text = `${'a'.repeat(3999)}😀${'b'.repeat(100_000)}`;
    const record = pendingRecord({ ...mentionBody('Ev0BIG0001'), event: { ...mentionBody('x').event, text } }, 'me')!;
    expect(record.length).toBeLessThan(5000);
    const kept = (JSON.parse(record) as { body: { event: { text: string } } }).body.event.text;
    expect(kept).toBe('a'.repeat(3999));
    expect(pendingRecord({ type: 'event_callback', event_id: 'Ev0HOME001', event: { type: 'app_home_opened', user: 'U1' } }, 'me')).toBeUndefined();
  });
});

describe('recovery: only the questions of processes that are gone are answered again', () => {
  const timing = { beatMs: 3_600_000, sweepMs: 50, staleMs: 100 };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const seed = async (store: MemoryStore, id: string, owner: string): Promise<void> => store.pendingAdd(id, pendingRecord(mentionBody(id), owner)!);
  const recovery = (store: MemoryStore, owner: string, exclusive: boolean) => {
    const ledger = storeEventLedger(store, silent, owner);
    const replayed: string[] = [];
    const rec = new PendingRecovery({
      store,
      ledger,
      log: silent,
      exclusive,
      timing,
      replay: async (body, id) => {
        expect((body as { event_id: string }).event_id).toBe(id);
        replayed.push(id);
        await ledger.done(id);
      },
    });
    return { ledger, rec, replayed };
  };

  it('shared store: a live replica’s question is left to it; a stopped one’s is taken at once; a frozen heartbeat’s once it is stale', async () => {
    const store = new MemoryStore();
    const live = recovery(store, 'live', false);
    await live.rec.beat();
    expect(await live.ledger.claim('Ev0LIVE001', mentionBody('Ev0LIVE001'))).toBe(true); // in flight there
    await seed(store, 'Ev0STOPPED', 'stopped'); // no heartbeat: it stopped (and removed it), or never beat
    await seed(store, 'Ev0FROZEN1', 'frozen');
    await store.set('events:alive:frozen', '7'); // killed: its heartbeat no longer changes
    const other = recovery(store, 'other', false);
    await other.rec.sweep();
    expect(other.replayed).toEqual(['Ev0STOPPED']);
    for (let i = 0; i < 100 && !other.replayed.includes('Ev0FROZEN1'); i++) {
      await live.rec.beat(); // the live replica beats on
      await sleep(20);
      await other.rec.sweep();
    }
    expect(other.replayed).toEqual(['Ev0STOPPED', 'Ev0FROZEN1']);
    expect([...store.pending.keys()]).toEqual(['Ev0LIVE001']);
    await live.rec.stop();
    expect(await store.get('events:alive:live')).toBeUndefined(); // stopped: what it left is the others' at once
  });

  it('SQLite (one bot per DATA_DIR): a previous run’s question is taken at the first look, never one of this run', async () => {
    const store = new MemoryStore();
    const me = recovery(store, 'me', true);
    expect(await me.ledger.claim('Ev0MINE001', mentionBody('Ev0MINE001'))).toBe(true);
    await seed(store, 'Ev0BEFORE1', 'previous-run');
    await me.rec.sweep();
    expect(me.replayed).toEqual(['Ev0BEFORE1']);
    expect([...store.pending.keys()]).toEqual(['Ev0MINE001']);
  });

  it('two replicas looking at once: one of them answers', async () => {
    const store = new MemoryStore();
    await seed(store, 'Ev0SHARED1', 'stopped');
    const [x, y] = [recovery(store, 'x', false), recovery(store, 'y', false)];
    await Promise.all([x.rec.sweep(), y.rec.sweep()]);
    expect([...x.replayed, ...y.replayed]).toEqual(['Ev0SHARED1']);
  });
});
