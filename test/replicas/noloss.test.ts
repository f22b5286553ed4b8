/**
 * No question lost with two replicas on one Redis (child processes, `node --import tsx src/main.ts`, on one fake
 * Slack that spreads envelopes over every open Socket Mode connection, as Slack does):
 * - a rolling restart under a steady stream of mentions: one replica gets SIGTERM mid-stream (it closes its
 *   connection first, finishes its replies, exits 0) and a new one starts while the stream goes on; every mention
 *   gets exactly one answer;
 * - kill -9 of a replica while its reply is on its way: the other replica answers the question, once, without any
 *   restart.
 * Replies are made slow (the fake Slack delays chat.postMessage), so there are replies in flight when it happens.
 * Like Slack, the sender redelivers an event that no connection acked within 3 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startReplica, type LogLine, type Replica } from './replica.js';

let redis: TestRedis;
let fake: FakeSlack;
let env: Record<string, string>;
const replicas: Replica[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const allLogs = (): (LogLine & { replica: string })[] => replicas.flatMap((r) => r.logs().map((l) => ({ ...l, replica: r.name })));
const answersTo = (ts: string) => fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok === true && c.args.thread_ts === ts);

let seq = 0;
/** A mention, delivered as Slack does: redelivered (retry_attempt 1, 2, …) while no connection acks it. */
async function mention(channel: string, text: string): Promise<{ ts: string; eventId: string }> {
  seq += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
  const eventId = `Ev0NOLOSS${String(seq).padStart(4, '0')}`;
  const event = { type: 'app_mention', text: `<@UBOT0001> ${text}`, user: 'U00000001', ts, channel, event_ts: ts };
  for (let attempt = 0; ; attempt++) {
    try {
      await fake.event(event, { eventId, ...(attempt ? { retryAttempt: attempt, retryReason: 'timeout' } : {}), timeoutMs: 3000 });
      return { ts, eventId };
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

beforeAll(async () => {
  [redis, fake] = await Promise.all([startRedis({ own: true }), startFakeSlack()]);
  env = { SLACK_BOT_TOKEN: 'xoxb-noloss-test', SLACK_APP_TOKEN: 'xapp-noloss-test', SLACK_API_URL: fake.apiUrl, STATE_URL: redis.url };
  replicas.push(...(await Promise.all([startReplica('replica-a', env), startReplica('replica-b', env)])));
  await fake.waitFor(() => fake.connections === 2, 10_000, 'both replicas connected');
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await fake?.close();
  await redis?.close();
}, 30_000);

describe('two replicas on one Redis: no question lost', () => {
  it('a rolling restart under a steady stream of mentions: every mention gets exactly one answer', { timeout: 90_000 }, async () => {
    fake.delay('chat.postMessage', 300); // every reply takes a while: some are always in flight
    const [a] = replicas;
    const sent: { ts: string; eventId: string }[] = [];
    let stopping: Promise<number | null> | undefined;
    let restarted: Promise<Replica> | undefined;
    for (let i = 0; i < 90; i++) {
      sent.push(await mention('C0STREAM1', i % 2 ? 'sqs' : 'lambda'));
      if (i === 20) {
        // Two slow replies, one on each replica (the fake spreads envelopes in turn), in flight at the SIGTERM.
        fake.delay('chat.postMessage', 2000);
        sent.push(await mention('C0STREAM1', 'sqs'), await mention('C0STREAM1', 'lambda'));
        await fake.waitFor(() => fake.delayed >= 2, 5000, 'replies in flight');
        stopping = a!.stop(); // SIGTERM mid-stream
        await fake.waitFor(() => fake.connections === 1, 5000, 'the stopped replica to close its connection');
        fake.delay('chat.postMessage', 300);
      }
      if (i === 40) {
        expect(await stopping, 'the replica that got SIGTERM exits 0').toBe(0);
        restarted = startReplica('replica-a2', env); // its replacement starts while the stream goes on
      }
      await sleep(40);
    }
    replicas.push(await restarted!);
    await fake.waitFor(() => sent.every((m) => answersTo(m.ts).length > 0), 30_000, 'an answer to every mention');
    fake.delay('chat.postMessage', 0);
    await fake.waitFor(() => fake.delayed === 0, 5000, 'no reply in flight');
    await sleep(500); // a second answer, were one coming, has had its time
    const counts = sent.map((m) => answersTo(m.ts).length);
    expect(
      counts.filter((n) => n !== 1),
      'mentions not answered exactly once',
    ).toEqual([]);
    expect(allLogs().filter((l) => l.msg === 'answered' && l.surface === 'mention')).toHaveLength(sent.length);
    // The stopped replica closed its connection first, with replies still in flight, and finished them after.
    const msgs = a!.logs().map((l) => l.msg);
    const closed = a!.logs().find((l) => l.msg === 'disconnected from Slack: no new events come here');
    expect(closed?.inflight, 'replies in flight when the connection closed').toBeGreaterThan(0);
    expect(msgs.indexOf('disconnected from Slack: no new events come here')).toBeGreaterThan(msgs.indexOf('signal received'));
    expect(msgs).not.toContain('replies still unsent: their questions stay pending, for the next start or another replica');
    expect(msgs.at(-1)).toBe('stopped');
    expect(
      allLogs().filter((l) => l.level >= 50),
      'no error logged',
    ).toEqual([]);
  });

  it('kill -9 of a replica while its reply is on its way: the other replica answers the question, once', { timeout: 60_000 }, async () => {
    const live = replicas.filter((r) => r.name !== 'replica-a');
    expect(live).toHaveLength(2);
    await fake.waitFor(() => fake.connections === 2, 10_000, 'two replicas connected');
    fake.delay('chat.postMessage', 60_000, 1);
    const m = await mention('C0KILLED1', 'dynamodb');
    await fake.waitFor(() => fake.delayed === 1, 5000, 'the reply to be on its way');
    // The replica holding the reply is the one that answered the question (the answer is logged before the post).
    await fake.waitFor(() => allLogs().some((l) => l.msg === 'answered' && l.query === 'dynamodb'), 5000, 'the answer to be logged');
    const victim = live.find((r) => r.logs().some((l) => l.msg === 'answered' && l.query === 'dynamodb'))!;
    const survivor = live.find((r) => r !== victim)!;
    await victim.kill();
    await fake.waitFor(() => fake.delayed === 0, 5000, 'the held reply to be dropped with its client');
    expect(answersTo(m.ts)).toEqual([]);

    const post = await fake.waitForCall('chat.postMessage', (c) => c.response.ok === true && c.args.thread_ts === m.ts, 40_000);
    expect(post.args.channel).toBe('C0KILLED1');
    const took = survivor.logs().find((l) => l.msg === 'answering a question left pending by a stopped process');
    expect(took?.eventId).toBe(m.eventId);
    expect(await survivor.stop()).toBe(0);
    expect(answersTo(m.ts)).toHaveLength(1);
  });
});
