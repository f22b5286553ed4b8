/**
 * Follow-ups and context where they live: the conversations kept in the store (threads, DM subjects, the on/off
 * switches), the privacy gate that reads each frame first, and the listeners (a thread message, a mention and a
 * DM read in their conversation's context, `/aws follow-ups`, App Home's switch), run with argument builders over
 * an in-memory store. End to end, against the fake Slack: followups.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { actions, slashCommand } from '../../src/ids.js';
import { Conversations, dmSubjectTtlMs, threadTtlMs } from '../../src/slack/conversations.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { channelThreadOf, threadGate } from '../../src/slack/privacy.js';
import { texts } from '../support/blocks.js';
import { buttonArgs, channelMessageArgs, dmArgs, listenerApp, mentionArgs, recorder, slashArgs } from '../support/args.js';
import { testDeps } from '../support/deps.js';
import { MemoryStore } from '../feedback/memory-store.js';

const thread = { channel: 'C0THREADS', ts: '1700000000.000100' };

function setup(opts: { admins?: string[] } = {}) {
  let clock = 1_700_000_000_000;
  const store = new MemoryStore(() => clock);
  const conversations = new Conversations({ store, now: () => clock });
  const t = testDeps({ conversations, admins: opts.admins ?? [] });
  const l = listenerApp();
  registerListeners(l.app, t.deps);
  return {
    ...t,
    ...l,
    store,
    conversations,
    r: recorder(),
    advance: (ms: number) => void (clock += ms),
  };
}

const sentText = (s: { args: Record<string, any> }): string => [s.args.text ?? '', ...texts(s.args.blocks)].join('\n');

describe('Conversations (the store)', () => {
  it("a thread is the bot's for 7 days after its last answer, with its subject; an answer without an entry keeps the subject", async () => {
    const s = setup();
    const c = s.conversations;
    expect(await c.thread('C1', '1.1')).toBeUndefined();
    await c.answeredInThread('C1', '1.1', 'sqs');
    expect(await c.thread('C1', '1.1')).toEqual({ subject: 'sqs' });
    await c.answeredInThread('C1', '1.1', undefined);
    expect(await c.thread('C1', '1.1')).toEqual({ subject: 'sqs' });
    expect(await c.thread('C1', '1.2')).toBeUndefined(); // another thread
    s.advance(threadTtlMs - 1000);
    expect(await c.thread('C1', '1.1')).toEqual({ subject: 'sqs' });
    await c.answeredInThread('C1', '1.1', 'sns'); // a new answer: 7 more days, the new subject
    s.advance(threadTtlMs - 1000);
    expect(await c.thread('C1', '1.1')).toEqual({ subject: 'sns' });
    s.advance(2000);
    expect(await c.thread('C1', '1.1')).toBeUndefined();
  });

  it('a thread and a DM keep the fact the last answer led with beside its subject; a new subject without a fact drops it', async () => {
    const c = setup().conversations;
    await c.answeredInThread('C1', '2.1', 'sqs', 'sqs-max-message-size');
    expect(await c.thread('C1', '2.1')).toEqual({ subject: 'sqs', topic: 'sqs-max-message-size' });
    await c.answeredInThread('C1', '2.1', undefined); // "no confident answer": the thread keeps both
    expect(await c.thread('C1', '2.1')).toEqual({ subject: 'sqs', topic: 'sqs-max-message-size' });
    await c.answeredInThread('C1', '2.1', 'lambda'); // the Lambda card, no fact
    expect(await c.thread('C1', '2.1')).toEqual({ subject: 'lambda' });
    await c.answeredInDm('D1', 'sns', 'sns-max-message-size');
    expect(await c.dmContext('D1')).toEqual({ subject: 'sns', topic: 'sns-max-message-size' });
  });

  it("a DM's subject holds for 10 minutes after the answer that set it", async () => {
    const s = setup();
    const c = s.conversations;
    await c.answeredInDm('D1', 'lambda');
    s.advance(dmSubjectTtlMs - 1000);
    expect(await c.dmSubject('D1')).toBe('lambda');
    expect(await c.dmSubject('D2')).toBeUndefined();
    s.advance(1000);
    expect(await c.dmSubject('D1')).toBeUndefined();
  });

  it('follow-ups: on by default; off in one channel; off everywhere wins over a channel that is on', async () => {
    const c = setup().conversations;
    expect(await c.followUpsOn('C1')).toBe(true);
    await c.setChannelFollowUps('C1', false);
    expect([await c.followUpsOn('C1'), await c.followUpsOn('C2')]).toEqual([false, true]);
    await c.setEverywhereFollowUps(false);
    expect([await c.followUpsOn('C1'), await c.followUpsOn('C2')]).toEqual([false, false]);
    await c.setEverywhereFollowUps(true);
    await c.setChannelFollowUps('C1', true);
    expect([await c.followUpsOn('C1'), await c.followUpsOn('C2')]).toEqual([true, true]);
  });
});

describe('the privacy gate (each Socket Mode frame, before anything reads it)', () => {
  const frame = (event: Record<string, unknown>) => ({ envelope_id: 'e1', type: 'events_api', payload: { type: 'event_callback', event } });
  const msg = { type: 'message', channel: 'C0THREADS', channel_type: 'channel', user: 'U1', text: 'secret plans', ts: '1700000000.000900' };

  it('lets DMs, mentions, commands and clicks through without a look-up', () => {
    const gate = threadGate({
      thread: () => Promise.reject(new Error('no look-up expected')),
      followUpsOn: () => Promise.reject(new Error('no look-up expected')),
    });
    expect(gate(frame({ ...msg, channel: 'D1', channel_type: 'im' }))).toBe(true);
    expect(gate(frame({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> sqs', ts: '1.1' }))).toBe(true);
    expect(gate({ envelope_id: 'e2', type: 'slash_commands', payload: { command: '/aws', text: 'sqs' } })).toBe(true);
    expect(gate({ envelope_id: 'e3', type: 'interactive', payload: { type: 'block_actions' } })).toBe(true);
    expect(gate({ type: 'hello' })).toBe(true);
  });

  it('drops a channel message outside any thread, an edit and a bot message, without a look-up', () => {
    const gate = threadGate({
      thread: () => Promise.reject(new Error('no look-up expected')),
      followUpsOn: () => Promise.reject(new Error('no look-up expected')),
    });
    expect(gate(frame(msg))).toBe(false);
    expect(gate(frame({ ...msg, channel_type: 'group', channel: 'G1' }))).toBe(false);
    expect(gate(frame({ ...msg, subtype: 'message_changed', thread_ts: thread.ts }))).toBe(false);
    expect(gate(frame({ ...msg, bot_id: 'B1', thread_ts: thread.ts }))).toBe(false);
    expect(gate(frame({ ...msg, thread_ts: msg.ts }))).toBe(false); // a thread's parent is not a reply in it
  });

  it('a reply in a thread: through only when the bot answered there and follow-ups are on in the channel; a store that fails keeps it out', async () => {
    const s = setup();
    const gate = threadGate(s.conversations);
    const reply = frame({ ...msg, thread_ts: thread.ts });
    expect(channelThreadOf(reply)).toEqual({ channel: thread.channel, threadTs: thread.ts });
    expect(await gate(reply)).toBe(false);
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    expect(await gate(reply)).toBe(true);
    expect(await gate(frame({ ...msg, thread_ts: thread.ts, subtype: 'thread_broadcast' }))).toBe(true);
    await s.conversations.setChannelFollowUps(thread.channel, false);
    expect(await gate(reply)).toBe(false);
    const broken = threadGate({ thread: () => Promise.reject(new Error('redis down')), followUpsOn: async () => true });
    expect(await broken(reply)).toBe(false);
  });
});

describe('a reply in a thread the bot answered in, without a mention', () => {
  it('a question about the subject is answered in the thread, and logged and counted as a follow-up', async () => {
    const s = setup();
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    await s.event('message')(channelMessageArgs(s.r, { text: 'and the max message size?', channel: thread.channel, thread_ts: thread.ts }));
    expect(s.r.sent).toHaveLength(1);
    expect(s.r.sent[0]).toMatchObject({ via: 'chat.postMessage', args: { channel: thread.channel, thread_ts: thread.ts } });
    expect(sentText(s.r.sent[0]!)).toMatch(/1 MiB/);
    expect(s.answered).toMatchObject([{ surface: 'followup', query: 'and the max message size?', user: 'U0ASKER01' }]);
    expect(s.lines().filter((l) => l.msg === 'answered')).toMatchObject([{ surface: 'followup', ids: ['sqs'] }]);
  });

  it('a follow-up naming another service moves the subject to it', async () => {
    const s = setup();
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    await s.event('message')(channelMessageArgs(s.r, { text: 'what about lambda?', channel: thread.channel, thread_ts: thread.ts }));
    expect(s.r.sent[0]!.args.blocks[0].text.text).toBe('AWS Lambda');
    expect(await s.conversations.thread(thread.channel, thread.ts)).toEqual({ subject: 'lambda' });
    await s.event('message')(channelMessageArgs(s.r, { text: 'and the default timeout?', channel: thread.channel, thread_ts: thread.ts }));
    expect(sentText(s.r.sent[1]!)).toMatch(/3 seconds/);
  });

  it('chatter gets nothing: no post, no log line, not counted', async () => {
    const s = setup();
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    const before = s.lines().length;
    for (const text of ['thanks, that helps!', 'lol ok', 'cool, will try that tomorrow', 'can we talk about this in standup?'])
      await s.event('message')(channelMessageArgs(s.r, { text, channel: thread.channel, thread_ts: thread.ts }));
    expect(s.r.sent).toEqual([]);
    expect(s.answered).toEqual([]);
    expect(s.lines().slice(before)).toEqual([]);
  });

  it('nothing in a thread the bot did not answer in, nor outside threads, nor with follow-ups off; nothing written either', async () => {
    const s = setup();
    await s.event('message')(
      channelMessageArgs(s.r, { text: 'what is the max message size in sqs?', channel: thread.channel, thread_ts: '1700000000.000999' }),
    );
    await s.event('message')(channelMessageArgs(s.r, { text: 'what is the max message size in sqs?', channel: thread.channel }));
    expect(s.store.kv.size + s.store.expiring.size).toBe(0);
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    await s.conversations.setChannelFollowUps(thread.channel, false);
    await s.event('message')(channelMessageArgs(s.r, { text: 'and the max message size?', channel: thread.channel, thread_ts: thread.ts }));
    expect(s.r.sent).toEqual([]);
    expect(s.answered).toEqual([]);
  });

  it("a reply that mentions the bot is left to the mention; the bot's own messages, edits and bots are not follow-ups", async () => {
    const s = setup();
    await s.conversations.answeredInThread(thread.channel, thread.ts, 'sqs');
    const base = { channel: thread.channel, thread_ts: thread.ts };
    await s.event('message')(channelMessageArgs(s.r, { ...base, text: '<@UBOT00001> and the max message size?' }));
    await s.event('message')(channelMessageArgs(s.r, { ...base, text: 'and the max message size?', user: 'UBOT00001' }));
    await s.event('message')(channelMessageArgs(s.r, { ...base, text: 'and the max message size?', bot_id: 'B0OTHER01' }));
    await s.event('message')(channelMessageArgs(s.r, { ...base, text: 'and the max message size?', subtype: 'message_changed' }));
    expect(s.r.sent).toEqual([]);
  });
});

describe('mentions and DMs read in their conversation', () => {
  it("a mention is answered in its thread, which becomes the bot's with the answer as its subject; a mention there later uses it", async () => {
    const s = setup();
    await s.event('app_mention')(mentionArgs(s.r, { text: '<@UBOT00001> sqs', channel: thread.channel, ts: thread.ts }));
    expect(await s.conversations.thread(thread.channel, thread.ts)).toEqual({ subject: 'sqs' });
    await s.event('app_mention')(
      mentionArgs(s.r, { text: '<@UBOT00001> and the max message size?', channel: thread.channel, ts: '1700000000.000200', thread_ts: thread.ts }),
    );
    expect(s.r.sent[1]!.args.thread_ts).toBe(thread.ts);
    expect(sentText(s.r.sent[1]!)).toMatch(/1 MiB/);
  });

  it('a DM follow-up is about the last subject for 10 minutes, then about nothing', async () => {
    const s = setup();
    await s.event('message')(dmArgs(s.r, { text: 'dynamodb' }));
    await s.event('message')(dmArgs(s.r, { text: 'how much does it cost?' }));
    expect(sentText(s.r.sent[1]!)).toMatch(/One read unit/);
    s.advance(dmSubjectTtlMs + 1000);
    await s.event('message')(dmArgs(s.r, { text: 'how much does it cost?' }));
    expect(sentText(s.r.sent[2]!)).not.toMatch(/One read unit/);
  });

  it('in a DM, a reply the subject does not answer ("thanks!") is answered on its own, not with the subject\'s card', async () => {
    const s = setup();
    await s.event('message')(dmArgs(s.r, { text: 'sqs' }));
    await s.event('message')(dmArgs(s.r, { text: 'thanks!' }));
    expect(s.r.sent[1]!.args.blocks[0].text?.text).not.toBe('Amazon SQS');
  });
});

describe('/aws follow-ups', () => {
  it('off, status and on, per channel, said back to the person only; a DM says it has no follow-ups to turn off', async () => {
    const s = setup();
    const run = async (text: string, channel = 'C0FOLLOW1') => {
      await s.command(slashCommand)(slashArgs(s.r, { text, channel }));
      return texts((s.r.acks.at(-1) as any).blocks).join(' ');
    };
    expect(await run('follow-ups')).toMatch(/Follow-ups are on in this channel/);
    expect(await run('follow-ups off')).toMatch(/Follow-ups are off in this channel/);
    expect(await s.conversations.followUpsOn('C0FOLLOW1')).toBe(false);
    expect(await s.conversations.followUpsOn('C0OTHER01')).toBe(true);
    expect(await run('followups')).toMatch(/off in this channel/);
    expect(await run('Follow-ups ON')).toMatch(/on in this channel/);
    expect(await s.conversations.followUpsOn('C0FOLLOW1')).toBe(true);
    expect(await run('follow-ups off', 'D0DIRECT1')).toMatch(/every message gets an answer/);
    expect((s.r.acks as any[]).every((a) => a.response_type === 'ephemeral')).toBe(true);
  });
});

describe('App Home: the follow-ups switch', () => {
  it('shows ADMIN_USERS the switch; a click turns follow-ups off everywhere and redraws the tab; others see no switch and change nothing', async () => {
    const s = setup({ admins: ['U0ADMIN01'] });
    const home = async (user: string) => {
      await s.event('app_home_opened')({
        ...mentionArgs(s.r, { text: '' }),
        event: { type: 'app_home_opened', user, tab: 'home', channel: 'D0HOME001' },
      });
      return s.r.sent.at(-1)!.args.view.blocks as any[];
    };
    const switchOf = (blocks: any[]) => blocks.find((b) => b.accessory?.action_id === actions.followUpsEverywhere)?.accessory;
    expect(switchOf(await home('U0SOMEONE'))).toBeUndefined();
    expect(switchOf(await home('U0ADMIN01'))).toMatchObject({ text: { text: 'Turn off' }, value: 'off' });
    const click = (user: string, value: string) =>
      s.action(actions.followUpsEverywhere)(
        buttonArgs(s.r, { actionId: actions.followUpsEverywhere, value, user, container: { type: 'view', view_id: 'V1' } }),
      );
    await click('U0SOMEONE', 'off');
    expect(await s.conversations.everywhereFollowUps()).toBe(true);
    await click('U0ADMIN01', 'off');
    expect(await s.conversations.everywhereFollowUps()).toBe(false);
    expect(s.r.sent.at(-1)).toMatchObject({ via: 'views.publish', args: { user_id: 'U0ADMIN01' } });
    expect(switchOf(s.r.sent.at(-1)!.args.view.blocks)).toMatchObject({ text: { text: 'Turn on' }, value: 'on' });
    expect(await s.conversations.followUpsOn('C0ANY0001')).toBe(false);
    await click('U0ADMIN01', 'on');
    expect(await s.conversations.followUpsOn('C0ANY0001')).toBe(true);
  });
});
