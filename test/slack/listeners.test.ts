/**
 * Each listener where it lives: registered by `registerListeners` on an App stand-in and run with small argument
 * builders, one happy path and one failure each. What needs the wire (Socket Mode, acks, retries) is in e2e.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FeedbackLog } from '../../src/feedback/store.js';
import { actions, openEntryActionId, slashCommand, views } from '../../src/ids.js';
import { thanksVote, thanksVoteAgain } from '../../src/render/feedback.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { prefetchContext } from '../../src/slack/listeners/events/message.js';
import { Conversations } from '../../src/slack/conversations.js';
import { MemoryStore } from '../feedback/memory-store.js';
import { texts } from '../support/blocks.js';
import { buttonArgs, dmArgs, listenerApp, mentionArgs, recorder, slashArgs, viewArgs } from '../support/args.js';
import { testDeps } from '../support/deps.js';

const apology = /Sorry, something went wrong/;

function setup(over: Parameters<typeof testDeps>[0] = {}) {
  const t = testDeps(over);
  const l = listenerApp();
  registerListeners(l.app, t.deps);
  return { ...t, ...l, r: recorder() };
}

const failingReplier: SlackDeps['replier'] = {
  ask: () => {
    throw new Error('answering broke (test)');
  },
  show: () => {
    throw new Error('answering broke (test)');
  },
  followUp: () => {
    throw new Error('answering broke (test)');
  },
  depth: () => {
    throw new Error('answering broke (test)');
  },
};

const errorsLogged = (lines: { level: number; msg?: string; surface?: unknown }[]) => lines.filter((l) => l.level >= 50);

describe('registration', () => {
  it("the actions are one Bolt listener (Bolt runs every envelope through every listener's chain), matching exactly the bot's action ids", () => {
    const matchers: unknown[] = [];
    const counting = { ...listenerApp().app, action: (m: unknown) => void matchers.push(m) } as unknown as Parameters<typeof registerListeners>[0];
    registerListeners(counting, testDeps().deps);
    expect(matchers).toHaveLength(1);
    const [m] = matchers as RegExp[];
    for (const id of [...Object.values(actions).filter((a) => a !== actions.openEntry), openEntryActionId('sqs')]) expect(m!.test(id)).toBe(true);
    for (const id of ['unknown_action', `${actions.share}_old`, `x${actions.help}`, actions.openEntry]) expect(m!.test(id)).toBe(false);
  });

  it('each click reaches the handler of its own id through that listener', async () => {
    const s = setup();
    await s.action(openEntryActionId('sqs'))(buttonArgs(s.r, { actionId: openEntryActionId('sqs'), value: 'sqs', channel: 'C0CHANNEL1' }));
    await s.action(actions.docsLink)(buttonArgs(s.r, { actionId: actions.docsLink }));
    expect(s.answered).toMatchObject([{ surface: 'button', query: expect.any(String) }]);
    expect(s.r.acks).toHaveLength(2);
  });
});

describe('/aws', () => {
  it('acks with the answer, only for the asker, with "Share in channel"; the question is logged as answered', async () => {
    const s = setup();
    await s.command(slashCommand)(slashArgs(s.r, { text: 'sqs' }));
    const [ack] = s.r.acks as any[];
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.blocks[0].text.text).toBe('Amazon SQS');
    expect(texts(ack.blocks)).toContain('Share in channel');
    expect(s.answered).toMatchObject([{ surface: 'slash', query: 'sqs', user: 'U0ASKER01' }]);
  });

  it('a question is acked within the listener call itself, before it awaits anything (Bolt runs its other listeners meanwhile)', async () => {
    const s = setup();
    const done = s.command(slashCommand)(slashArgs(s.r, { text: 'sqs' }));
    expect(s.r.acks).toHaveLength(1);
    await done;
  });

  it('a literal &lt; typed by a person reaches the answer as they typed it (Slack text is decoded once)', async () => {
    const s = setup();
    // Slack sends the & a person typed as &amp;: "&lt;" arrives as "&amp;lt;".
    await s.command(slashCommand)(slashArgs(s.r, { text: 'what is &amp;lt;b&amp;gt; in &lt;sqs&gt;' }));
    expect(s.answered[0]?.query).toBe('what is &lt;b&gt; in <sqs>');
  });

  it('when answering fails, it still acks, with the apology, and logs the error once', async () => {
    const s = setup({ replier: failingReplier });
    await s.command(slashCommand)(slashArgs(s.r, { text: 'sqs' }));
    expect(JSON.stringify(s.r.acks)).toMatch(apology);
    expect(errorsLogged(s.lines())).toMatchObject([{ msg: 'reply failed', surface: 'slash' }]);
  });
});

describe('@mention and DM', () => {
  it('a mention is answered in its thread; the bot ignores its own', async () => {
    const s = setup();
    await s.event('app_mention')(mentionArgs(s.r, { text: '<@UBOT00001> what is lambda', ts: '1700000000.000100' }));
    await s.event('app_mention')(mentionArgs(s.r, { text: 'echo', user: 'UBOT00001' }));
    expect(s.r.sent).toHaveLength(1);
    expect(s.r.sent[0]).toMatchObject({ via: 'chat.postMessage', args: { channel: 'C0MENTION', thread_ts: '1700000000.000100' } });
    expect(s.r.sent[0]!.args.blocks[0].text.text).toBe('AWS Lambda');
  });

  it('a mention whose answer fails gets the apology in the same thread', async () => {
    const s = setup({ replier: failingReplier });
    await s.event('app_mention')(mentionArgs(s.r, { text: '<@UBOT00001> sqs', ts: '1700000000.000777' }));
    expect(s.r.sent).toHaveLength(1);
    expect(s.r.sent[0]!.args.thread_ts).toBe('1700000000.000777');
    expect(s.r.sent[0]!.args.text).toMatch(apology);
    expect(errorsLogged(s.lines())).toMatchObject([{ msg: 'reply failed', surface: 'mention' }]);
  });

  it('a DM is answered in the DM; edits and channel messages are not questions', async () => {
    const s = setup();
    await s.event('message')(dmArgs(s.r, { text: 'dynamodb' }));
    await s.event('message')(dmArgs(s.r, { text: 'dynamodb', subtype: 'message_changed' }));
    await s.event('message')(dmArgs(s.r, { text: 'dynamodb', channel_type: 'channel' }));
    expect(s.r.sent).toHaveLength(1);
    expect(s.r.sent[0]!.args).toMatchObject({ channel: 'D0DIRECT1' });
    expect(s.r.sent[0]!.args.thread_ts).toBeUndefined();
    expect(s.answered).toMatchObject([{ surface: 'dm', query: 'dynamodb' }]);
  });

  it("the conversation's context read beside the claim (prefetchContext) is the one the listener answers with, read once", async () => {
    const store = new MemoryStore();
    const conversations = new Conversations({ store });
    await conversations.answeredInThread('C0MENTION', '1700000000.000100', 'sqs');
    let reads = 0;
    const counting = Object.assign(Object.create(conversations) as Conversations, {
      thread: (c: string, t: string) => {
        reads++;
        return conversations.thread(c, t);
      },
    });
    const s = setup({ conversations: counting });
    const args = mentionArgs(s.r, { text: '<@UBOT00001> and the max message size?', ts: '1700000000.000200', thread_ts: '1700000000.000100' });
    prefetchContext(s.deps)(args);
    expect(reads).toBe(1);
    await s.event('app_mention')(args);
    expect(reads).toBe(1);
    expect(s.answered[0]?.answer.results[0]?.entry.id).toBe('sqs');
    prefetchContext(s.deps)({ ...mentionArgs(s.r, { text: '' }), event: { type: 'app_home_opened', user: 'U0HOME001', tab: 'home' } } as never);
    expect(reads).toBe(1); // not a question: nothing read
  });

  it('an empty mention is the help card', async () => {
    const s = setup();
    await s.event('app_mention')(mentionArgs(s.r, { text: '<@UBOT00001>' }));
    expect(s.r.sent[0]!.args.blocks[0].text.text).toBe('AWS Guide: how to ask');
  });
});

describe('buttons', () => {
  it('"open entry" on an ephemeral card redraws it in place, and counts as a button answer', async () => {
    const s = setup();
    await s.action(openEntryActionId('sns'))(buttonArgs(s.r, { actionId: openEntryActionId('sns'), value: 'sns' }));
    expect(s.r.sent).toMatchObject([{ via: 'respond', args: { replace_original: true } }]);
    expect(s.r.sent[0]!.args.blocks[0].text.text).toBe('Amazon SNS');
    expect(s.answered).toMatchObject([{ surface: 'button', query: '' }]);
  });

  it('"open entry" for an entry that is gone says so', async () => {
    const s = setup();
    await s.action(openEntryActionId('gone'))(buttonArgs(s.r, { actionId: openEntryActionId('gone'), value: 'gone' }));
    expect(JSON.stringify(s.r.sent)).toContain('no longer in the knowledge base');
  });

  it('a click whose reply fails gets the apology where it was clicked', async () => {
    const s = setup();
    s.r.failNext.add('respond');
    await s.action(openEntryActionId('sns'))(buttonArgs(s.r, { actionId: openEntryActionId('sns'), value: 'sns' }));
    expect(JSON.stringify(s.r.sent)).toMatch(apology);
    expect(errorsLogged(s.lines())).toMatchObject([{ msg: 'reply failed', surface: 'button' }]);
  });

  it('"Share in channel" posts the card for everyone, says who shared it, and removes the private copy', async () => {
    const s = setup();
    await s.action(actions.share)(buttonArgs(s.r, { actionId: actions.share, value: 'sqs' }));
    expect(s.r.sent.map((x) => [x.args.response_type, x.args.delete_original])).toEqual([
      ['in_channel', undefined],
      [undefined, true],
    ]);
    expect(texts(s.r.sent[0]!.args.blocks).join(' ')).toContain('Shared by <@U0CLICKER>');
    expect(s.answered).toMatchObject([{ surface: 'share' }]);
  });

  it('"How to ask" sends the help card privately', async () => {
    const s = setup();
    await s.action(actions.help)(buttonArgs(s.r, { actionId: actions.help, value: 'help' }));
    expect(s.r.sent[0]).toMatchObject({ via: 'respond', args: { response_type: 'ephemeral' } });
    expect(s.r.sent[0]!.args.blocks[0].text.text).toBe('AWS Guide: how to ask');
  });
});

describe('feedback', () => {
  /** A feedback log that keeps what it is told. */
  const memoryLog = () => {
    const records: any[] = [];
    const log = {
      claimVote: async () => true,
      claimSuggestion: async () => true,
      record: async (r: any) => {
        records.push({ ...r, id: `R${records.length}` });
        return records[records.length - 1];
      },
      addReason: async (v: any, _u: string, reason: string) => void records.push({ ...v, reason }),
      hashUser: async (text: string) => createHash('sha256').update(`test salt:${text}`).digest('hex').slice(0, 16),
    } as unknown as FeedbackLog;
    return { log, records };
  };

  it('👎 (Slack\'s feedback buttons) on a card opened by a button: no made-up question, thanks to the voter alone, "what was missing?" opened', async () => {
    const m = memoryLog();
    const s = setup({ feedback: m.log });
    // The card a related-service button opened in a thread: its vote value carries the question asked, which is none.
    await s.action(openEntryActionId('sns'))(
      buttonArgs(s.r, {
        actionId: openEntryActionId('sns'),
        value: 'sns',
        container: { type: 'message', is_ephemeral: false, channel_id: 'C0THREAD1' },
        channel: 'C0THREAD1',
        message: { ts: '1.1' },
      }),
    );
    const card = s.r.sent[0]!.args;
    const feedback = card.blocks.find((b: any) => b.type === 'context_actions').elements[0];
    expect(feedback).toMatchObject({ type: 'feedback_buttons', action_id: actions.feedback });
    const r2 = recorder();
    const click = buttonArgs(r2, {
      actionId: actions.feedback,
      value: feedback.negative_button.value,
      container: { type: 'message', is_ephemeral: false, channel_id: 'C0THREAD1', message_ts: '2.2' },
      channel: 'C0THREAD1',
      message: { ts: '2.2', thread_ts: '1.1', text: card.text, blocks: card.blocks },
    });
    click.action.type = 'feedback_buttons';
    await s.action(actions.feedback)(click);
    expect(m.records).toMatchObject([{ type: 'vote', vote: 'down', query: '', ids: ['sns'] }]);
    // The modal, and a note only the voter sees, in the card's thread: the card itself is not touched.
    expect(r2.sent.map((x) => x.via)).toEqual(['views.open', 'chat.postEphemeral']);
    expect(r2.sent[1]!.args).toMatchObject({ channel: 'C0THREAD1', user: 'U0CLICKER', thread_ts: '1.1', text: thanksVote });
  });

  it('a second vote by the same person is not counted again, and says so to them alone', async () => {
    const m = memoryLog();
    let claims = 0;
    const log = { ...m.log, claimVote: async () => claims++ === 0 } as unknown as FeedbackLog;
    const s = setup({ feedback: log });
    const up = JSON.stringify({ v: 'up', q: 'sqs', ids: ['sqs'] });
    const click = () => {
      const a = buttonArgs(s.r, {
        actionId: actions.feedback,
        value: up,
        container: { type: 'message', is_ephemeral: true, channel_id: 'C0SLASH01', message_ts: '3.3' },
      });
      a.action.type = 'feedback_buttons';
      return a;
    };
    await s.action(actions.feedback)(click());
    await s.action(actions.feedback)(click());
    expect(m.records).toHaveLength(1);
    // An ephemeral card: thanked through its response_url, never replaced.
    expect(s.r.sent.map((x) => [x.via, x.args.replace_original, x.args.text])).toEqual([
      ['respond', false, thanksVote],
      ['respond', false, thanksVoteAgain],
    ]);
  });

  it('a vote whose value is unreadable is ignored with a warning, and nothing is recorded', async () => {
    const m = memoryLog();
    const s = setup({ feedback: m.log });
    await s.action(actions.feedbackUp)(buttonArgs(s.r, { actionId: actions.feedbackUp, value: 'not json' }));
    expect(m.records).toEqual([]);
    expect(s.lines().filter((l) => l.level === 40)).toMatchObject([{ msg: 'feedback button with an unreadable value: ignored' }]);
  });

  it('the reason is added to its vote; a modal with forged metadata is ignored', async () => {
    const m = memoryLog();
    const s = setup({ feedback: m.log });
    const value = JSON.stringify({ q: 'sqs', ids: ['sqs'] });
    await s.action(actions.feedbackDown)(buttonArgs(s.r, { actionId: actions.feedbackDown, value, user: 'U0VOTER01' }));
    const modal = s.r.sent.find((x) => x.via === 'views.open')!.args.view;
    const genuine = JSON.parse(modal.private_metadata);
    const values = { reason: { reason: { type: 'plain_text_input', value: 'FIFO limits' } } };
    const submit = (privateMetadata: string) =>
      s.view(views.feedbackReason)(viewArgs(s.r, { callbackId: views.feedbackReason, privateMetadata, values }));
    await submit('{"id": 5}');
    await submit(JSON.stringify({ ...genuine, id: 'R9' }));
    await submit(JSON.stringify({ ...genuine, q: 'sns' }));
    await submit(modal.private_metadata);
    expect(m.records).toMatchObject([
      { type: 'vote', vote: 'down' },
      { id: 'R0', reason: 'FIFO limits' },
    ]);
    expect(m.records).toHaveLength(2);
    expect(s.r.acks).toHaveLength(5); // the click and every submission
    expect(s.lines().filter((l) => l.level === 40)).toHaveLength(3);
  });
});

describe('App Home', () => {
  it('publishes the home view; a failure is logged, not thrown', async () => {
    const s = setup();
    const home = s.event('app_home_opened');
    await home({ ...mentionArgs(s.r, { text: '' }), event: { type: 'app_home_opened', user: 'U0HOME001', tab: 'home' } });
    expect(s.r.sent[0]).toMatchObject({ via: 'views.publish', args: { user_id: 'U0HOME001', view: { type: 'home' } } });
    s.r.failNext.add('views.publish');
    await expect(
      home({ ...mentionArgs(s.r, { text: '' }), event: { type: 'app_home_opened', user: 'U0HOME001', tab: 'home' } }),
    ).resolves.toBeUndefined();
    expect(errorsLogged(s.lines())).toMatchObject([{ msg: 'reply failed', surface: 'home' }]);
  });
});
