/**
 * The listeners of a card's depth, of "Review AWS usage" and of the assistant pane where they live: registered by
 * `registerListeners` on an App stand-in and run with small argument builders (test/support/args.ts). What needs
 * the wire is in depth.test.ts, review.test.ts and assistant.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { actions, shortcuts } from '../../src/ids.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { greeting, promptsTitle } from '../../src/slack/listeners/assistant/index.js';
import { texts } from '../support/blocks.js';
import { buttonArgs, eventArgs, listenerApp, recorder, shortcutArgs } from '../support/args.js';
import { testDeps } from '../support/deps.js';

function setup(over: Parameters<typeof testDeps>[0] = {}) {
  const t = testDeps(over);
  const l = listenerApp();
  registerListeners(l.app, t.deps);
  return { ...t, ...l, r: recorder() };
}

const header = (blocks: any[]): string | undefined => blocks.find((x) => x.type === 'header')?.text.text;

describe('depth buttons', () => {
  it('Limits on an ephemeral card: drawn in place, with the way back, and answered as a button reply', async () => {
    const s = setup();
    await s.action(actions.depthLimits)(buttonArgs(s.r, { actionId: actions.depthLimits, value: 'lambda' }));
    expect(s.r.sent).toHaveLength(1);
    expect(s.r.sent[0]).toMatchObject({ via: 'respond', args: { response_type: 'ephemeral', replace_original: true } });
    expect(header(s.r.sent[0]!.args.blocks)).toBe('AWS Lambda: limits');
    expect(texts(s.r.sent[0]!.args.blocks)).toContain('Back to the overview');
    expect(s.answered).toMatchObject([{ surface: 'button', query: 'AWS Lambda: limits' }]);
  });

  it('Pitfalls in a channel: a new reply in the card\'s thread, without "back"', async () => {
    const s = setup();
    await s.action(actions.depthPitfalls)(
      buttonArgs(s.r, {
        actionId: actions.depthPitfalls,
        value: 'sqs',
        channel: 'C0THREAD2',
        container: { type: 'message', is_ephemeral: false, channel_id: 'C0THREAD2', message_ts: '5.5' },
        message: { ts: '5.5', thread_ts: '4.4' },
      }),
    );
    expect(s.r.sent).toMatchObject([{ via: 'chat.postMessage', args: { channel: 'C0THREAD2', thread_ts: '4.4' } }]);
    expect(header(s.r.sent[0]!.args.blocks)).toBe('Amazon SQS: pitfalls');
    expect(texts(s.r.sent[0]!.args.blocks)).not.toContain('Back to the overview');
  });

  it('"Compare with…" in a DM: the pair replaces the card (chat.update of that message)', async () => {
    const s = setup();
    const args = buttonArgs(s.r, {
      actionId: actions.compareWith,
      channel: 'D0DIRECT1',
      container: { type: 'message', is_ephemeral: false, channel_id: 'D0DIRECT1', message_ts: '6.6' },
      message: { ts: '6.6' },
    });
    args.action = {
      type: 'static_select',
      action_id: actions.compareWith,
      block_id: 'depth',
      action_ts: '1',
      selected_option: { text: { type: 'plain_text', text: 'Amazon SNS' }, value: 'sqs sns' },
    };
    await s.action(actions.compareWith)(args);
    expect(s.r.sent).toMatchObject([{ via: 'chat.update', args: { channel: 'D0DIRECT1', ts: '6.6' } }]);
    expect(header(s.r.sent[0]!.args.blocks)).toBe('Amazon SQS vs Amazon SNS');
  });

  it('a depth button for an entry that is gone, or a forged compare value, says so or is ignored; nothing is answered', async () => {
    const s = setup();
    await s.action(actions.depthHowto)(buttonArgs(s.r, { actionId: actions.depthHowto, value: 'no-such-service' }));
    const args = buttonArgs(s.r, { actionId: actions.compareWith });
    args.action = {
      type: 'static_select',
      action_id: actions.compareWith,
      block_id: 'depth',
      action_ts: '1',
      selected_option: { text: { type: 'plain_text', text: 'x' }, value: 'sqs; DROP' },
    };
    await s.action(actions.compareWith)(args);
    expect(JSON.stringify(s.r.sent)).toContain('no longer in the knowledge base');
    expect(s.answered).toEqual([]);
  });
});

describe('Review AWS usage', () => {
  it("reads the thread (not the bot's own messages), and tells the person privately, in the thread", async () => {
    const s = setup();
    s.r.answers.set('conversations.replies', {
      messages: [
        { ts: '1.0', user: 'U1', text: 'our lambda reads from kinesis' },
        { ts: '1.1', user: 'UBOT00001', bot_id: 'BBOT00001', text: 'Amazon SNS and Amazon SQS are related' },
        { ts: '1.2', user: 'U2', text: 'alerts', attachments: [{ fallback: 'CloudWatch alarm: ThrottlingException' }] },
      ],
    });
    await s.shortcut(shortcuts.reviewThread)(
      shortcutArgs(s.r, { callbackId: shortcuts.reviewThread, channel: 'C0REVIEW9', user: 'U2', message: { ts: '1.2', thread_ts: '1.0' } }),
    );
    expect(s.r.acks).toHaveLength(1);
    expect(s.r.sent.map((x) => x.via)).toEqual(['conversations.replies', 'chat.postEphemeral']);
    expect(s.r.sent[0]!.args).toMatchObject({ channel: 'C0REVIEW9', ts: '1.0' });
    const review = s.r.sent[1]!.args;
    expect(review).toMatchObject({ channel: 'C0REVIEW9', user: 'U2', thread_ts: '1.0' });
    const shown = texts(review.blocks).join('\n');
    expect(shown).toMatch(/AWS Lambda[\s\S]*Amazon Kinesis[\s\S]*Amazon CloudWatch/);
    expect(shown).not.toContain('Amazon SNS');
  });

  it('where the bot can post no ephemeral message, the review goes to the person as a DM', async () => {
    const s = setup();
    s.r.failNext.add('conversations.replies');
    s.r.failNext.add('chat.postEphemeral');
    await s.shortcut(shortcuts.reviewThread)(
      shortcutArgs(s.r, { callbackId: shortcuts.reviewThread, user: 'U3', message: { ts: '2.0', text: 'dynamodb or aurora?' } }),
    );
    expect(s.r.sent.map((x) => [x.via, x.args.channel])).toEqual([['chat.postMessage', 'U3']]);
    expect(texts(s.r.sent[0]!.args.blocks).join('\n')).toContain('I could read only this message');
  });

  it('"Post in thread" posts into the thread it names, from that channel only', async () => {
    const s = setup();
    const value = JSON.stringify({ c: 'C0REVIEW9', t: '1.0', ids: ['sqs'] });
    await s.action(actions.postReview)(buttonArgs(s.r, { actionId: actions.postReview, value, channel: 'C0OTHER01' }));
    expect(s.r.sent).toEqual([]);
    await s.action(actions.postReview)(buttonArgs(s.r, { actionId: actions.postReview, value, channel: 'C0REVIEW9' }));
    expect(s.r.sent.map((x) => [x.via, x.args.channel ?? x.args.delete_original])).toEqual([
      ['chat.postMessage', 'C0REVIEW9'],
      ['respond', true],
    ]);
    expect(s.r.sent[0]!.args.thread_ts).toBe('1.0');
  });
});

describe('the assistant pane', () => {
  const started = (user = 'U0PANE001') => ({
    type: 'assistant_thread_started',
    assistant_thread: { user_id: user, context: { channel_id: 'C0LOOKING', team_id: 'T1' }, channel_id: 'D0PANE001', thread_ts: '7.0' },
    event_ts: '7.1',
  });
  const question = (text: string, threadTs: string | null = '7.0') => ({
    type: 'message',
    channel: 'D0PANE001',
    channel_type: 'im',
    user: 'U0PANE001',
    text,
    ts: '7.2',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });

  it('a new thread: the greeting in it, then the suggested prompts; the channel looked at is not read', async () => {
    const s = setup();
    const args = eventArgs(s.r, started());
    await s.assistant()(args);
    expect(args.passedOn()).toBe(false);
    expect(s.r.sent.map((x) => x.via)).toEqual(['chat.postMessage', 'assistant.threads.setSuggestedPrompts']);
    expect(s.r.sent[0]!.args).toMatchObject({ channel: 'D0PANE001', thread_ts: '7.0', text: greeting });
    expect(s.r.sent[1]!.args).toMatchObject({ channel_id: 'D0PANE001', thread_ts: '7.0', title: promptsTitle });
    expect(s.r.sent[1]!.args.prompts.length).toBeGreaterThanOrEqual(3);
  });

  it('a question in the thread: status, the answer in the thread (surface assistant), the title once', async () => {
    const s = setup();
    await s.assistant()(eventArgs(s.r, question('sqs')));
    await s.assistant()(eventArgs(s.r, question('what about sns?')));
    expect(s.r.sent.map((x) => x.via)).toEqual([
      'assistant.threads.setStatus',
      'chat.postMessage',
      'assistant.threads.setTitle',
      'assistant.threads.setStatus',
      'chat.postMessage',
    ]);
    expect(s.r.sent[1]!.args).toMatchObject({ channel: 'D0PANE001', thread_ts: '7.0' });
    expect(header(s.r.sent[1]!.args.blocks)).toBe('Amazon SQS');
    expect(s.r.sent[2]!.args).toMatchObject({ title: 'sqs' });
    expect(s.answered.map((a) => a.surface)).toEqual(['assistant', 'assistant']);
  });

  it("a DM outside a thread is not the pane's: it goes on to the DM listener", async () => {
    const s = setup();
    const args = eventArgs(s.r, question('sqs', null));
    await s.assistant()(args);
    expect(args.passedOn()).toBe(true);
    expect(s.r.sent).toEqual([]);
  });
});
