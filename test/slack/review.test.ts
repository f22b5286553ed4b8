/**
 * "Review AWS usage" (a message shortcut) through the real bot and the fake Slack: the thread of the message is read
 * when someone asks, and only then; the person who asked gets, privately, what a senior engineer would check for
 * each AWS service the thread mentions, and can post it in the thread. Nothing of the thread is logged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actions as ids, openEntryActionId, shortcuts } from '../../src/ids.js';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';
import { texts } from '../support/blocks.js';
import { actionIds, clickEphemeral, newTs, waitForPost } from '../support/ui.js';

const core = getCore();
let b: StartedBot;

beforeAll(async () => {
  b = await startBot({ fake: { channels: { C0NOTIN01: { name: 'elsewhere', member: false } } } });
}, 30_000);

afterEach(() => {
  expect(b.fake.blockViolations).toEqual([]);
});

afterAll(async () => {
  await b?.stop();
}, 30_000);

/** A person's message in a channel, as Slack sends it to a bot in the channel. */
async function say(channel: string, user: string, text: string, threadTs?: string): Promise<string> {
  const ts = newTs();
  await b.fake.event({
    type: 'message',
    channel,
    channel_type: 'channel',
    user,
    text,
    ts,
    event_ts: ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return ts;
}

const ephemeralTo = (user: string, channel: string) =>
  b.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.args.channel === channel && c.response.ok);
const name = (id: string) => core.kb.byId.get(id)!.name;

describe('Review AWS usage', () => {
  it('a thread naming three services: a private checklist for each (the bot\'s own answer in it not counted), then "Post in thread"', async () => {
    const root = await say('C0REVIEW1', 'U00000001', 'We push order events from our Lambda functions into an SQS queue');
    // The bot answered in the thread: its card names related services (SNS, EventBridge…) nobody here mentioned.
    await b.fake.mention({ text: 'sqs', channel: 'C0REVIEW1', threadTs: root });
    await waitForPost(b, 'C0REVIEW1', root);
    const reply = await say('C0REVIEW1', 'U00000002', 'then a consumer writes them to DynamoDB, and ddb throttles at peak', root);
    await say('C0REVIEW1', 'U00000001', 'ok, lunch first?', root);
    const logsBefore = b.rawLogs().length;

    const { ack } = await b.fake.messageAction({
      callbackId: shortcuts.reviewThread,
      channel: 'C0REVIEW1',
      user: 'U00000002',
      message: { ts: reply, thread_ts: root },
    });
    expect(ack).toEqual({});
    await b.fake.waitFor(() => ephemeralTo('U00000002', 'C0REVIEW1').length === 1, 5000, 'the private review');
    const review = ephemeralTo('U00000002', 'C0REVIEW1')[0]!;
    expect(review.args.thread_ts).toBe(root);
    const replies = b.fake.calls.filter((c) => c.method === 'conversations.replies');
    expect(replies.map((c) => [c.args.channel, c.args.ts])).toEqual([['C0REVIEW1', root]]);

    const shown = texts(review.args.blocks).join('\n');
    for (const id of ['lambda', 'sqs', 'dynamodb']) {
      expect(shown).toContain(`*${escapeMrkdwn(name(id))}*`);
      expect(actionIds(review.args.blocks)).toContain(openEntryActionId(id));
    }
    expect(shown).not.toContain(name('sns'));
    // What a senior engineer watches, and a limit, of each service.
    const sqs = core.kb.byId.get('sqs');
    expect(sqs?.kind === 'service' && shown.includes(escapeMrkdwn(sqs.senior_focus[0]!))).toBe(true);
    expect(shown).toContain(escapeMrkdwn(core.kb.factsByEntry.get('dynamodb')!.find((f) => f.type === 'limit')!.answer).slice(0, 40));
    expect(actionIds(review.args.blocks)).toContain(ids.postReview);
    // Nothing anyone wrote in the thread went into the log (at info, the production level; Bolt's debug lines carry frames).
    const logged = b
      .rawLogs()
      .slice(logsBefore)
      .filter((l) => JSON.parse(l).level >= 30)
      .join('\n');
    for (const words of ['order events', 'consumer writes', 'lunch']) expect(logged).not.toContain(words);
    expect(b.logs().find((l) => l.msg === 'thread reviewed')).toMatchObject({ ids: ['lambda', 'sqs', 'dynamodb'], messages: 4, partial: false });

    // Shared: the same checklist in the thread for everyone, saying who shared it; the private copy goes.
    const click = await clickEphemeral(b, review.args, ids.postReview, 'C0REVIEW1', 'U00000002');
    const posted = await b.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'C0REVIEW1' && c.args.thread_ts === root && texts(c.args.blocks).some((t) => t.includes('Shared by')),
    );
    expect(texts(posted.args.blocks).join('\n')).toContain('Shared by <@U00000002>');
    expect(actionIds(posted.args.blocks)).not.toContain(ids.postReview);
    for (const id of ['lambda', 'sqs', 'dynamodb']) expect(actionIds(posted.args.blocks)).toContain(openEntryActionId(id));
    const gone = await b.fake.waitForResponse((r) => r.url === click.responseUrl);
    expect(gone.body).toEqual({ delete_original: true });
  });

  it('a thread that names no AWS service gets a short "No AWS service mentioned here", and nothing to post', async () => {
    const root = await say('C0REVIEW2', 'U00000001', 'who is bringing the cake on friday?');
    await b.fake.messageAction({ callbackId: shortcuts.reviewThread, channel: 'C0REVIEW2', user: 'U00000001', message: { ts: root } });
    await b.fake.waitFor(() => ephemeralTo('U00000001', 'C0REVIEW2').length === 1, 5000, 'the private reply');
    const reply = ephemeralTo('U00000001', 'C0REVIEW2')[0]!;
    expect(reply.args.text).toBe('No AWS service mentioned here.');
    expect(actionIds(reply.args.blocks)).toEqual([]);
  });

  it('in a channel the bot is not in: the message alone is reviewed, and the review comes as a DM saying so', async () => {
    const ts = newTs();
    await b.fake.messageAction({
      callbackId: shortcuts.reviewThread,
      channel: 'C0NOTIN01',
      user: 'U00000001',
      message: { ts, text: 'should this go to S3 or EFS?', user: 'U00000002' },
    });
    // To the person (a user id posts in their DM with the app).
    const dm = await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U00000001' && c.response.ok);
    expect(dm.response.channel).toBe('D00000001');
    const shown = texts(dm.args.blocks).join('\n');
    expect(shown).toContain(`*${name('s3')}*`);
    expect(shown).toContain(`*${name('efs')}*`);
    expect(shown).toContain('I could read only this message');
    expect(b.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C0NOTIN01').map((c) => c.response.error)).toEqual([
      'not_in_channel',
    ]);
  });
});
