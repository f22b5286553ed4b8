/**
 * Two replicas of the bot (child processes, `node --import tsx src/main.ts`) on one fake Slack, which spreads
 * envelopes over both Socket Mode connections as Slack does, sharing one real Redis (STATE_URL). The tip schedule
 * fires every second in two channels. They must agree: each channel gets each slot's tip once, a redelivered
 * event is answered once whichever replica gets it. Then Redis goes away: questions are still answered, tips
 * pause, /healthz says so; Redis comes back: tips resume, by themselves.
 *
 * The tests run in order and share the replicas; everything is stopped in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startReplica, type LogLine, type Replica } from './replica.js';

const tipChannels = ['C0TIPS001', 'C0TIPS002'];
let redis: TestRedis;
let fake: FakeSlack;
let replicas: Replica[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const allLogs = (): (LogLine & { replica: string })[] => replicas.flatMap((r) => r.logs().map((l) => ({ ...l, replica: r.name })));
const tipPosts = (channel: string) => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
const tipLogs = (channel: string) => allLogs().filter((l) => l.msg === 'tip posted' && l.channel === channel);

async function until(pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Resolves half-way between two slots of the every-second schedule, when no tip is in flight. */
async function betweenSlots(): Promise<void> {
  await sleep((1500 - (Date.now() % 1000)) % 1000 || 1000);
}

async function health(r: Replica): Promise<{ status: number; body: { status: string; checks: Record<string, string>; failed?: string[] } }> {
  const res = await r.get('/healthz');
  return { status: res.status, body: JSON.parse(res.body) };
}

/** The sum of one metric's samples over both replicas (labels matched as a substring of the label set). */
async function metric(name: string, labels = ''): Promise<number> {
  let sum = 0;
  for (const r of replicas) {
    const { body } = await r.get('/metrics');
    for (const line of body.split('\n')) {
      const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
      if (m && m[1] === name && (m[2] ?? '').includes(labels)) sum += Number(m[3]);
    }
  }
  return sum;
}

beforeAll(async () => {
  [redis, fake] = await Promise.all([
    startRedis({ own: true }),
    startFakeSlack({ channels: { C0TIPS001: { name: 'tips-a' }, C0TIPS002: { name: 'tips-b' } } }),
  ]);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-replica-test',
    SLACK_APP_TOKEN: 'xapp-replica-test',
    SLACK_API_URL: fake.apiUrl,
    STATE_URL: redis.url,
    TIP_SCHEDULE: '* * * * * *',
    TIP_CHANNEL: tipChannels.join(','),
  };
  replicas = await Promise.all([startReplica('replica-a', env), startReplica('replica-b', env)]);
  await fake.waitFor(() => fake.connections === 2, 10_000, 'both replicas connected');
}, 60_000);

afterAll(async () => {
  // The replicas first: a fake closed under them would make their socket clients retry.
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  await fake?.close();
  await redis?.close();
  expect(codes).toEqual(replicas.map(() => 0)); // a clean shutdown on SIGTERM
}, 30_000);

describe('two replicas on one Redis', () => {
  it('/healthz is 200 on both (Slack connected, Redis reachable)', async () => {
    for (const r of replicas) {
      const h = await health(r);
      expect(h.status, r.name).toBe(200);
      expect(h.body).toEqual({ status: 'ok', checks: { slack: 'connected', shutdown: 'running', store: 'reachable' } });
    }
  });

  it('each channel gets each slot’s tip exactly once, though both replicas fire every slot', { timeout: 20_000 }, async () => {
    await until(() => tipChannels.every((c) => new Set(tipLogs(c).map((l) => l.slot)).size >= 4), 15_000, 'four slots posted in each channel');
    await betweenSlots();
    const slotsOf = (c: string): string[] => tipLogs(c).map((l) => String(l.slot));
    for (const c of tipChannels) {
      const slots = slotsOf(c);
      expect(new Set(slots).size, `slots of ${c} posted more than once: ${slots.join(', ')}`).toBe(slots.length);
      expect(tipPosts(c), `chat.postMessage calls to ${c}`).toHaveLength(slots.length);
      // every slot since the first one, none skipped
      const times = [...new Set(slots)].map((s) => Date.parse(s)).sort((a, b) => a - b);
      expect(times.at(-1)! - times[0]!).toBe((times.length - 1) * 1000);
    }
    expect(new Set(slotsOf(tipChannels[0]!))).toEqual(new Set(slotsOf(tipChannels[1]!)));
    expect(
      allLogs().filter((l) => l.level >= 50),
      'no error logged',
    ).toEqual([]);
  });

  it('a redelivered event, delivered to the other replica, is answered once', { timeout: 15_000 }, async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000100`;
    const event = { type: 'app_mention', text: '<@UBOT0001> sqs', user: 'U00000001', ts, channel: 'C00000001', event_ts: ts };
    const eventId = 'Ev0REDELIVER1';
    // Two envelopes in a row go to the two connections in turn (the fake's round-robin, like Slack's spread).
    await fake.event(event, { eventId });
    await fake.event(event, { eventId, retryAttempt: 1, retryReason: 'timeout' });
    const skipped = () => allLogs().filter((l) => l.msg === 'event already answered, skipped' && l.eventId === eventId);
    await until(() => skipped().length === 1, 5000, 'the redelivery to be skipped');
    await fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === ts, 5000);
    await sleep(500);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts)).toHaveLength(1);
    const answeredBy = allLogs()
      .filter((l) => l.msg === 'answered' && l.surface === 'mention' && l.query === 'sqs')
      .map((l) => l.replica);
    expect(answeredBy).toHaveLength(1);
    expect(skipped()[0]!.replica, 'the redelivery reached the other replica').not.toBe(answeredBy[0]);
  });

  it('Redis stops: questions are still answered on both replicas, tips pause, /healthz is 503 naming the store', { timeout: 30_000 }, async () => {
    await redis.stop();
    await until(async () => (await Promise.all(replicas.map(health))).every((h) => h.status === 503), 5000, 'both /healthz to be 503');
    for (const r of replicas) {
      expect((await health(r)).body).toMatchObject({
        status: 'unavailable',
        failed: ['store'],
        checks: { slack: 'connected', store: 'unreachable' },
      });
    }

    // Slash commands (no state needed) and mentions (whose once-only check cannot be made): two of each, one per replica.
    for (const q of ['lambda', 'dynamodb']) {
      const { ack } = await fake.slashCommand({ text: q });
      expect(ack?.blocks?.length, `/aws ${q} acked with a card`).toBeGreaterThan(0);
    }
    const mentions = [await fake.mention({ text: 'ecs', channel: 'C00000001' }), await fake.mention({ text: 'rds', channel: 'C00000001' })];
    for (const m of mentions) await fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === m.ts, 5000);

    // No tips while Redis is away.
    await betweenSlots();
    const before = tipChannels.map((c) => tipPosts(c).length);
    await sleep(2500);
    expect(tipChannels.map((c) => tipPosts(c).length)).toEqual(before);

    // The outage is logged once per replica, not per failed call.
    for (const r of replicas)
      expect(
        r.logs().filter((l) => /redis unreachable/.test(l.msg)),
        r.name,
      ).toHaveLength(1);
    expect(await metric('awsguide_tip_slots_skipped_total')).toBeGreaterThanOrEqual(4);
    expect(await metric('awsguide_state_store_up')).toBe(0);
  });

  it('Redis is back: the replicas reconnect by themselves, tips resume, still once per channel and slot', { timeout: 30_000 }, async () => {
    const restartedAt = Date.now();
    await redis.start();
    await until(async () => (await Promise.all(replicas.map(health))).every((h) => h.status === 200), 10_000, 'both /healthz to be 200 again');
    for (const r of replicas)
      expect(
        r.logs().filter((l) => /redis reachable again/.test(l.msg)),
        r.name,
      ).toHaveLength(1);
    const after = (c: string) => tipLogs(c).filter((l) => Date.parse(String(l.slot)) > restartedAt);
    await until(() => tipChannels.every((c) => new Set(after(c).map((l) => l.slot)).size >= 2), 10_000, 'two slots posted after the restart');
    await betweenSlots();
    for (const c of tipChannels) {
      const slots = tipLogs(c).map((l) => String(l.slot));
      expect(new Set(slots).size, `a slot of ${c} posted twice`).toBe(slots.length);
      expect(tipPosts(c)).toHaveLength(slots.length);
    }
    expect(await metric('awsguide_state_store_up')).toBe(2);
  });

  it('/metrics: questions by surface and outcome, latency, tips posted, on both replicas', async () => {
    expect(await metric('awsguide_questions_total', 'surface="slash",outcome="answered"')).toBeGreaterThanOrEqual(2);
    expect(await metric('awsguide_questions_total', 'surface="mention",outcome="answered"')).toBeGreaterThanOrEqual(3);
    expect(await metric('awsguide_answer_duration_seconds_count', 'surface="mention"')).toBeGreaterThanOrEqual(3);
    const posted = await metric('awsguide_tips_posted_total');
    expect(posted).toBe(tipChannels.reduce((n, c) => n + tipPosts(c).length, 0));
    expect(await metric('awsguide_tips_failed_total')).toBe(0);
    expect(await metric('awsguide_socket_connected')).toBe(2);
  });
});
