/**
 * Follow-ups without a new @mention, and context, end to end: the real bot (startSlack) against the fake Slack,
 * which sends channel `message` events as `message.channels` does (every message of a channel the bot is in).
 * What a Slack user would notice: a question in a thread the bot answered in gets an answer there; chatter gets
 * nothing; a message anywhere else leaves no trace in the bot (no log line, nothing in its state); a channel can
 * turn follow-ups off and on; an admin can from App Home; a DM's subject holds for ten minutes, then no longer.
 *
 * "Never answered" checks are fenced: a message that is answered is sent after the ignored ones, and its answer
 * awaited; Socket Mode envelopes are handled in order per connection, so an ignored message had its turn first.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions, slashCommand } from '../../src/ids.js';
import { dmSubjectTtlMs } from '../../src/slack/conversations.js';
import { startBot, type StartedBot } from '../support/bot.js';
import { texts } from '../support/blocks.js';
import type { ApiCall } from '../support/fake-slack.js';
import { headerOf, waitForPost } from '../support/ui.js';

let b: StartedBot;
let clock = Date.now();

beforeAll(async () => {
  b = await startBot({ env: { ADMIN_USERS: 'U0ADMIN01' }, now: () => clock });
}, 30_000);

afterAll(async () => {
  await b?.stop();
}, 30_000);

const allText = (m: { text?: string; blocks?: any[] }): string => [m.text ?? '', ...texts(m.blocks)].join('\n');
const postsIn = (channel: string, threadTs: string): ApiCall[] =>
  b.fake.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.response.ok === true && c.args.channel === channel && c.args.thread_ts === threadTs,
  );

/** A mention in `channel`, and the bot's answer in its thread: the thread is now one the bot answered in. */
async function botThread(channel: string, text = 'sqs'): Promise<string> {
  const m = await b.fake.mention({ text, channel });
  await waitForPost(b, channel, m.ts);
  return m.ts;
}

/** A person's reply in the thread, and the bot's answer to it. */
async function answeredReply(channel: string, threadTs: string, text: string): Promise<ApiCall> {
  const before = postsIn(channel, threadTs).length;
  await b.fake.channelMessage({ channel, threadTs, text });
  await b.fake.waitFor(() => postsIn(channel, threadTs).length > before, 5000, `an answer to ${JSON.stringify(text)}`);
  return postsIn(channel, threadTs).at(-1)!;
}

/** Every row of every table of the bot's state (SQLite in DATA_DIR), as text. */
function storedState(): string {
  const db = new Database(join(b.config.dataDir, 'state.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

describe('follow-ups in a thread the bot answered in', () => {
  it("a question without a mention is answered in the thread, about the thread's subject", async () => {
    const channel = 'C0FOLLOW1';
    const thread = await botThread(channel, 'sqs');
    const from = b.rawLogs().length;
    const post = await answeredReply(channel, thread, 'and the max message size?');
    expect(allText(post.args)).toMatch(/1 MiB/);
    expect(post.args.thread_ts).toBe(thread);
    const answered = b
      .logs()
      .slice(from)
      .filter((l) => l.msg === 'answered');
    expect(answered).toMatchObject([{ surface: 'followup', query: 'and the max message size?', ids: ['sqs'] }]);
  });

  it('a follow-up naming another service is about that one, and the next follow-up too', async () => {
    const channel = 'C0FOLLOW2';
    const thread = await botThread(channel, 'sqs');
    expect(headerOf((await answeredReply(channel, thread, 'what about lambda?')).args.blocks)).toBe('AWS Lambda');
    expect(allText((await answeredReply(channel, thread, 'and the default timeout?')).args)).toMatch(/3 seconds/);
  });

  it('"and with sns?" after a fact about SQS asks SNS the same thing: the thread keeps the fact its last answer led with', async () => {
    const channel = 'C0FOLLOW6';
    const thread = await botThread(channel, 'sqs max message size');
    const post = await answeredReply(channel, thread, 'and with sns?');
    expect(headerOf(post.args.blocks) ?? allText(post.args)).toMatch(/SNS/);
    expect(allText(post.args)).toMatch(/256 KiB|262,144 bytes|256 KB/);
    // What the thread keeps: entry and fact ids, never the words.
    expect(storedState()).toContain('sns-max-message-size');
    expect(storedState()).not.toContain('and with sns');
  });

  it('chatter in the thread gets nothing, not even "no confident answer", and is neither logged as a question nor counted', async () => {
    const channel = 'C0FOLLOW3';
    const thread = await botThread(channel, 'dynamodb');
    const from = b.rawLogs().length;
    const chatter = ['thanks, that helps!', 'LGTM', '+1 this would be amazing', 'is there any update on this?'];
    for (const text of chatter) await b.fake.channelMessage({ channel, threadTs: thread, text });
    const fence = await answeredReply(channel, thread, 'how much does it cost?');
    expect(allText(fence.args)).toMatch(/One read unit/);
    // The mention's answer and the fence's: nothing for the chatter.
    expect(postsIn(channel, thread)).toHaveLength(2);
    // Only the Socket Mode client's debug trace of each frame it reads (LOG_LEVEL=debug) mentions them.
    const lines = b
      .logs()
      .slice(from)
      .filter((l) => l.level > 20);
    for (const text of chatter) expect(lines.filter((l) => JSON.stringify(l).includes(text))).toEqual([]);
    expect(
      b
        .logs()
        .slice(from)
        .filter((l) => l.msg === 'answered'),
    ).toHaveLength(1);
  });

  it('a reply that mentions the bot is answered once, as a mention', async () => {
    const channel = 'C0FOLLOW4';
    const thread = await botThread(channel, 'sqs');
    const before = postsIn(channel, thread).length;
    // Slack sends both events for it: the app_mention, and the channel message with the mention in its text.
    const m = await b.fake.mention({ channel, threadTs: thread, text: 'and the max message size?' });
    const stored = b.fake.messages.find((x) => x.ts === m.ts)!;
    await b.fake.channelMessage({ channel, threadTs: thread, text: stored.text! });
    await answeredReply(channel, thread, 'what is the default visibility timeout?');
    expect(postsIn(channel, thread)).toHaveLength(before + 2);
  });
});

describe('privacy: every other message is dropped where it arrives', () => {
  it('a channel message outside a thread the bot answered in: acked, never logged, never stored, never answered', async () => {
    const channel = 'C0PRIVATE';
    const thread = await botThread(channel, 'sqs');
    const secret = 'zebra-7741 what is the max message size in sqs?';
    const from = b.rawLogs().length;
    const outside = await b.fake.channelMessage({ channel, text: secret });
    const otherThread = await b.fake.channelMessage({ channel, threadTs: '1700000000.424242', text: `${secret} (in someone else's thread)` });
    const privateChannel = await b.fake.channelMessage({ channel: 'G0PRIVATE1', threadTs: '1700000000.434343', text: secret });
    await answeredReply(channel, thread, 'and the default visibility timeout?');
    // Slack will not send them again: each envelope was acked.
    for (const m of [outside, otherThread, privateChannel]) {
      const envelope = b.fake.envelopes.find((e) => e.payload?.event_id === m.eventId);
      expect(envelope?.ack, m.eventId).toEqual({});
    }
    // Not one line written since mentions them (not the socket's debug lines, not Bolt's): text, ts or event id.
    const lines = b.rawLogs().slice(from);
    for (const m of [outside, otherThread, privateChannel]) {
      expect(lines.filter((l) => l.includes('zebra-7741') || l.includes(m.ts) || l.includes(m.eventId))).toEqual([]);
    }
    // Nothing of them in the bot's state: no pending event, no claim, no record.
    const state = storedState();
    for (const m of [outside, otherThread, privateChannel]) {
      expect(state).not.toContain('zebra-7741');
      expect(state).not.toContain(m.ts);
      expect(state).not.toContain(m.eventId);
    }
    expect(postsIn(channel, '1700000000.424242')).toEqual([]);
    expect(b.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'G0PRIVATE1')).toEqual([]);
  });
});

describe('off and on', () => {
  it('/aws follow-ups off in a channel: only mentions are answered there; on again: follow-ups are back', async () => {
    const channel = 'C0SWITCH1';
    const thread = await botThread(channel, 'sqs');
    const off = await b.fake.slashCommand({ text: 'follow-ups off', channel });
    expect(off.ack.response_type).toBe('ephemeral');
    expect(allText(off.ack)).toMatch(/Follow-ups are off in this channel/);
    await b.fake.channelMessage({ channel, threadTs: thread, text: 'and the max message size?' });
    const m = await b.fake.mention({ channel, threadTs: thread, text: 'and the max message size?' }); // the fence
    await b.fake.waitFor(() => postsIn(channel, thread).length === 2, 5000, 'the mention answered');
    expect(b.fake.messages.find((x) => x.ts === m.ts)).toBeDefined();
    // Another channel still has them.
    const elsewhere = await botThread('C0SWITCH2', 'sqs');
    expect(allText((await answeredReply('C0SWITCH2', elsewhere, 'and the max message size?')).args)).toMatch(/1 MiB/);
    const on = await b.fake.slashCommand({ text: 'follow-ups on', channel });
    expect(allText(on.ack)).toMatch(/Follow-ups are on in this channel/);
    expect(allText((await answeredReply(channel, thread, 'and the default visibility timeout?')).args)).toMatch(/30 seconds/);
    expect(postsIn(channel, thread)).toHaveLength(3);
  });

  it('App Home: an admin (ADMIN_USERS) turns follow-ups off everywhere and back on; others get no switch', async () => {
    const publishes = () => b.fake.calls.filter((c) => c.method === 'views.publish' && c.response.ok === true);
    const open = async (user: string) => {
      const n = publishes().length;
      await b.fake.event({ type: 'app_home_opened', user, channel: 'D0HOME0001', tab: 'home', event_ts: `${Date.now() / 1000}` });
      await b.fake.waitFor(() => publishes().length > n, 5000, 'the home view');
      return publishes().at(-1)!.args.view.blocks as any[];
    };
    const switchIn = (blocks: any[]) => blocks.find((x) => x.accessory?.action_id === actions.followUpsEverywhere)?.accessory;
    expect(switchIn(await open('U00000002'))).toBeUndefined();
    const mine = switchIn(await open('U0ADMIN01'));
    expect(mine).toMatchObject({ text: { text: 'Turn off' }, value: 'off' });
    const view = b.fake.views.get(publishes().at(-1)!.response.view.id)!;
    const n = publishes().length;
    await b.fake.blockAction({
      actionId: actions.followUpsEverywhere,
      value: 'off',
      user: 'U0ADMIN01',
      container: { type: 'view', view_id: view.id },
    });
    await b.fake.waitFor(() => publishes().length > n, 5000, 'the home view drawn again');
    expect(switchIn(publishes().at(-1)!.args.view.blocks)).toMatchObject({ text: { text: 'Turn on' }, value: 'on' });
    // Off everywhere: a follow-up in a bot thread gets nothing (fenced by a mention there).
    const channel = 'C0HOMEOFF';
    const thread = await botThread(channel, 'sqs');
    await b.fake.channelMessage({ channel, threadTs: thread, text: 'and the max message size?' });
    await b.fake.mention({ channel, threadTs: thread, text: 'lambda' });
    await b.fake.waitFor(() => postsIn(channel, thread).length === 2, 5000, 'the mention answered');
    expect(headerOf(postsIn(channel, thread).at(-1)!.args.blocks)).toBe('AWS Lambda');
    await b.fake.blockAction({
      actionId: actions.followUpsEverywhere,
      value: 'on',
      user: 'U0ADMIN01',
      container: { type: 'view', view_id: view.id },
    });
    expect(allText((await answeredReply(channel, thread, 'and its default timeout?')).args)).toMatch(/3 seconds/);
  });
});

describe('context in a DM', () => {
  it('a follow-up is about the last subject for 10 minutes, then it is answered on its own', async () => {
    const user = 'U0DMCTX01';
    const dmPosts = (channel: string) =>
      b.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok === true && c.args.channel === channel);
    const ask = async (text: string): Promise<ApiCall> => {
      const d = await b.fake.dm({ user, text });
      const n = dmPosts(d.channel).length;
      await b.fake.waitFor(() => dmPosts(d.channel).length > n, 5000, `the DM answer to ${text}`);
      return dmPosts(d.channel).at(-1)!;
    };
    expect(headerOf((await ask('dynamodb')).args.blocks)).toBe('Amazon DynamoDB');
    expect(allText((await ask('how much does it cost?')).args)).toMatch(/One read unit/);
    clock += dmSubjectTtlMs - 60_000;
    expect(allText((await ask('how much does it cost?')).args)).toMatch(/One read unit/); // 9 minutes after the last answer
    clock += dmSubjectTtlMs + 60_000;
    expect(allText((await ask('how much does it cost?')).args)).not.toMatch(/One read unit/);
  });

  it('/aws follow-ups in a DM says there is nothing to turn off there', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'follow-ups off', channel: 'D0DMCMD01', command: slashCommand });
    expect(allText(ack)).toMatch(/every message gets an answer/);
  });
});
