/**
 * Conversations across two replicas (child processes, as in production) sharing one Redis: the fake Slack spreads
 * envelopes over both Socket Mode connections in turn, as Slack does, so a thread's mention and its follow-ups
 * reach different replicas. The thread the bot answered in, its subject, a DM's subject and a channel's
 * `/aws follow-ups off` are in Redis: whichever replica gets the next message knows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { texts } from '../support/blocks.js';
import { startFakeSlack, type ApiCall, type FakeSlack } from '../support/fake-slack.js';
import { redisAvailable, startRedis, type TestRedis } from '../support/redis.js';
import { startReplica, type LogLine, type Replica } from './replica.js';

let redis: TestRedis;
let fake: FakeSlack;
let replicas: Replica[] = [];

const allLogs = (): (LogLine & { replica: string })[] => replicas.flatMap((r) => r.logs().map((l) => ({ ...l, replica: r.name })));
const allText = (m: { text?: string; blocks?: any[] }): string => [m.text ?? '', ...texts(m.blocks)].join('\n');
const postsIn = (channel: string, threadTs?: string): ApiCall[] =>
  fake.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.response.ok === true &&
      c.args.channel === channel &&
      (threadTs === undefined || c.args.thread_ts === threadTs),
  );
/** The replica that logged the answer to `query` on `surface`. */
const answeredBy = (surface: string, query: string): string[] =>
  allLogs()
    .filter((l) => l.msg === 'answered' && l.surface === surface && l.query === query)
    .map((l) => l.replica);

describe.runIf(redisAvailable)('conversations across two replicas on one Redis', () => {
  beforeAll(async () => {
    [redis, fake] = await Promise.all([startRedis({ own: true }), startFakeSlack()]);
    const env = { SLACK_BOT_TOKEN: 'xoxb-replica-test', SLACK_APP_TOKEN: 'xapp-replica-test', SLACK_API_URL: fake.apiUrl, STATE_URL: redis.url };
    replicas = await Promise.all([startReplica('convo-a', env), startReplica('convo-b', env)]);
    await fake.waitFor(() => fake.connections === 2, 10_000, 'both replicas connected');
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(replicas.map((r) => r.stop()));
    await fake?.close();
    await redis?.close();
    expect(codes).toEqual(replicas.map(() => 0));
  }, 30_000);

  it('a thread answered by one replica: its follow-ups are answered by the other, about its subject', async () => {
    const channel = 'C0REPLICA1';
    const m = await fake.mention({ channel, text: 'sqs' });
    await fake.waitFor(() => postsIn(channel, m.ts).length === 1, 10_000, 'the mention answered');
    // A replica's log lines come through its stdout, which may be read after its post reached the fake.
    await fake.waitFor(() => answeredBy('mention', 'sqs').length === 1, 10_000, 'the answered line');
    const first = answeredBy('mention', 'sqs');
    expect(first).toHaveLength(1);
    // Envelopes alternate between the connections: of two follow-ups in a row, one reaches the other replica.
    const questions = ['and the max message size?', 'what is the max message size then?'];
    for (const [i, text] of questions.entries()) {
      await fake.channelMessage({ channel, threadTs: m.ts, text });
      await fake.waitFor(() => postsIn(channel, m.ts).length === 2 + i, 10_000, `the follow-up ${JSON.stringify(text)} answered`);
      expect(allText(postsIn(channel, m.ts).at(-1)!.args)).toMatch(/1 MiB/);
    }
    await fake.waitFor(() => questions.flatMap((q) => answeredBy('followup', q)).length === 2, 10_000, 'the answered lines');
    const followUps = questions.flatMap((q) => answeredBy('followup', q));
    expect(followUps.filter((r) => r !== first[0]).length, `answered by ${followUps.join(', ')} after ${first[0]}`).toBeGreaterThan(0);
  });

  it("a DM's subject, set by one replica, holds on the other", async () => {
    const user = 'U0REPLDM1';
    const ask = async (text: string): Promise<ApiCall> => {
      const d = await fake.dm({ user, text });
      const n = postsIn(d.channel).length;
      await fake.waitFor(() => postsIn(d.channel).length > n, 10_000, `the DM answer to ${text}`);
      return postsIn(d.channel).at(-1)!;
    };
    await ask('dynamodb');
    expect(allText((await ask('how much does it cost?')).args)).toMatch(/One read unit/);
    expect(allText((await ask('how much does it cost?')).args)).toMatch(/One read unit/);
    await fake.waitFor(() => answeredBy('dm', 'how much does it cost?').length === 2, 10_000, 'the answered lines');
    expect(new Set(answeredBy('dm', 'how much does it cost?')).size).toBe(2);
  });

  it('/aws follow-ups off through one replica holds on both; on again through either', async () => {
    const channel = 'C0REPLICA2';
    const m = await fake.mention({ channel, text: 'sqs' });
    await fake.waitFor(() => postsIn(channel, m.ts).length === 1, 10_000, 'the mention answered');
    const off = await fake.slashCommand({ text: 'follow-ups off', channel });
    expect(allText(off.ack)).toMatch(/off in this channel/);
    await fake.channelMessage({ channel, threadTs: m.ts, text: 'and the max message size?' });
    await fake.channelMessage({ channel, threadTs: m.ts, text: 'and the default visibility timeout?' });
    // The fence: a mention in the thread, answered by whichever replica gets it.
    await fake.mention({ channel, threadTs: m.ts, text: 'lambda' });
    await fake.waitFor(() => postsIn(channel, m.ts).length === 2, 10_000, 'the mention in the thread answered');
    expect(answeredBy('followup', 'and the default visibility timeout?')).toEqual([]);
    const on = await fake.slashCommand({ text: 'follow-ups on', channel });
    expect(allText(on.ack)).toMatch(/on in this channel/);
    await fake.channelMessage({ channel, threadTs: m.ts, text: 'and its default timeout?' });
    await fake.waitFor(() => postsIn(channel, m.ts).length === 3, 10_000, 'the follow-up answered');
    expect(allText(postsIn(channel, m.ts).at(-1)!.args)).toMatch(/3 seconds/);
  });
});
