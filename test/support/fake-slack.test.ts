import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkMessageLimits, checkViewLimits, startFakeSlack } from './fake-slack.js';
import type { FakeSlack, FakeSlackOptions } from './fake-slack.js';

const apps: App[] = [];
const fakes: FakeSlack[] = [];

afterEach(async () => {
  // Stop the apps first: a socket client whose server vanishes keeps trying to reconnect.
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fakeSlack(opts?: FakeSlackOptions): Promise<FakeSlack> {
  const fake = await startFakeSlack(opts);
  fakes.push(fake);
  return fake;
}

function newApp(fake: FakeSlack, appToken = 'xapp-test'): App {
  const app = new App({
    token: 'xoxb-test',
    appToken,
    socketMode: true,
    clientOptions: { slackApiUrl: fake.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  apps.push(app);
  return app;
}

describe('fake Slack against a real Bolt app', () => {
  it('delivers a slash command and returns the ack payload', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    let seen: Record<string, unknown> | undefined;
    app.command('/aws', async ({ command, ack }) => {
      seen = command as unknown as Record<string, unknown>;
      await ack({ response_type: 'ephemeral', text: `you asked: ${command.text}` });
    });
    await app.start();
    expect(fake.connections).toBe(1);
    expect(fake.connectionsOpened).toBe(1);
    expect(fake.calls.map((c) => c.method)).toEqual(['auth.test', 'apps.connections.open']);
    expect(fake.calls[1]?.token).toBe('xapp-test');

    const { ack, responseUrl } = await fake.slashCommand({ text: 'what is s3' });
    expect(ack).toEqual({ response_type: 'ephemeral', text: 'you asked: what is s3' });
    expect(responseUrl.startsWith(`${fake.apiUrl.replace('/api/', '')}/response/`)).toBe(true);
    expect(seen).toMatchObject({
      command: '/aws',
      text: 'what is s3',
      user_id: 'U00000001',
      user_name: 'alice',
      channel_id: 'C00000001',
      channel_name: 'general',
      team_id: 'T00000001',
      is_enterprise_install: 'false',
      response_url: responseUrl,
    });
    expect(typeof seen?.trigger_id).toBe('string');
  });

  it('answers an app_mention with say() in the thread', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.event('app_mention', async ({ event, say }) => {
      await say({
        text: `hi <@${event.user}>`,
        thread_ts: event.thread_ts ?? event.ts,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello *there*' } }],
      });
    });
    await app.start();

    const { ts, channel } = await fake.mention({ text: 'hello' });
    const call = await fake.waitForCall('chat.postMessage');
    expect(call.token).toBe('xoxb-test');
    expect(call.args).toMatchObject({ channel, thread_ts: ts, text: 'hi <@U00000001>', team_id: 'T00000001' });
    expect(call.args.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hello *there*' } }]);
    expect(call.response).toMatchObject({ ok: true, channel, message: { thread_ts: ts, bot_id: 'BBOT0001' } });
    expect(Number(call.response.ts)).toBeGreaterThan(Number(ts));
    expect(fake.blockViolations).toEqual([]);
    expect(fake.messages.filter((m) => m.thread_ts === ts)).toHaveLength(1);
  });

  it('acks a block action and lands respond() in responses', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    let body: any;
    app.action('more', async ({ ack, respond, body: b }) => {
      await ack();
      body = b;
      await respond({ text: 'here is more', replace_original: false });
    });
    app.command('/aws', async ({ ack, respond }) => {
      await ack();
      await respond({
        text: 'answer',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'answer' } },
          {
            type: 'actions',
            block_id: 'nav',
            elements: [{ type: 'button', action_id: 'more', value: 'page-2', text: { type: 'plain_text', text: 'More' } }],
          },
        ],
      });
    });
    await app.start();

    await fake.slashCommand({ text: 'lambda' });
    await fake.waitForResponse();
    // The button is found in the (ephemeral) response the bot posted.
    const { ack, responseUrl } = await fake.blockAction({ actionId: 'more' });
    expect(ack).toEqual({});
    const r = await fake.waitForResponse((x) => x.url === responseUrl);
    expect(r.body).toEqual({ text: 'here is more', replace_original: false });
    expect(r.source).toMatchObject({ kind: 'block_actions', channel: 'C00000001', user: 'U00000001' });
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U00000001', username: 'alice', team_id: 'T00000001' },
      team: { id: 'T00000001' },
      channel: { id: 'C00000001', name: 'general' },
      container: { type: 'message', channel_id: 'C00000001', is_ephemeral: true },
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: 'more', block_id: 'nav', value: 'page-2', text: { type: 'plain_text', text: 'More' } }],
    });
  });

  it('returns a view_submission ack payload (response_action)', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.command('/aws', async ({ ack, client, command }) => {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'feedback',
          title: { type: 'plain_text', text: 'Feedback' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            { type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'Comment' }, element: { type: 'plain_text_input', action_id: 'a' } },
          ],
        },
      });
    });
    app.view('feedback', async ({ ack, view }) => {
      const v = view.state.values.b?.a?.value;
      await ack(v ? { response_action: 'clear' } : { response_action: 'errors', errors: { b: 'Please write something' } });
    });
    await app.start();

    await fake.slashCommand({ text: 'feedback' });
    const open = await fake.waitForCall('views.open');
    expect(open.response.ok).toBe(true);
    const bad = await fake.viewSubmission({ callbackId: 'feedback', values: { b: { a: { type: 'plain_text_input', value: null } } } });
    expect(bad).toEqual({ response_action: 'errors', errors: { b: 'Please write something' } });
    const good = await fake.viewSubmission({ callbackId: 'feedback', values: { b: { a: { type: 'plain_text_input', value: 'nice' } } } });
    expect(good).toEqual({ response_action: 'clear' });
  });

  it('reconnects after a disconnect frame, and commands work again', { timeout: 20_000 }, async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.command('/aws', async ({ ack, command }) => ack(`ok ${command.text}`));
    await app.start();
    expect(fake.connectionsOpened).toBe(1);

    fake.disconnectAll('refresh_requested');
    await fake.waitFor(() => fake.connections === 0, 3000, 'the client to close its socket');
    const t0 = Date.now();
    await fake.waitFor(() => fake.connectionsOpened === 2 && fake.connections === 1, 15_000, 'a reconnect');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThan(3000); // the client waits clientPingTimeout (5 s) before reconnecting
    const { ack } = await fake.slashCommand({ text: 'after' });
    expect(ack).toEqual({ text: 'ok after' });
  });

  it('reconnects after the socket is dropped without a disconnect frame', { timeout: 20_000 }, async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.command('/aws', async ({ ack }) => ack('pong'));
    await app.start();
    fake.dropAll();
    await fake.waitFor(() => fake.connections === 0, 3000, 'the socket to close');
    // While there is no connection, a sender waits (within its timeout) for the client to come back.
    const { ack } = await fake.slashCommand({ text: 'x', timeoutMs: 15_000 });
    expect(ack).toEqual({ text: 'pong' });
    expect(fake.connectionsOpened).toBe(2);
  });

  it('honours an injected 429 on chat.postMessage (retried after Retry-After)', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: 'late but fine', thread_ts: event.ts });
    });
    await app.start();
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    await fake.mention({ text: 'hello' });
    const okCall = await fake.waitForCall('chat.postMessage', (c) => c.response.ok === true, 8000);
    const limited = fake.calls.find((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(okCall.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
  });

  it('injects a platform error once', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    const errors: string[] = [];
    app.event('app_mention', async ({ say }) => {
      for (let i = 0; i < 2; i++) {
        try {
          await say('hi');
        } catch (e) {
          errors.push((e as { data?: { error?: string } }).data?.error ?? String(e));
        }
      }
    });
    await app.start();
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await fake.mention({ text: 'x' });
    await fake.waitFor(() => fake.calls.filter((c) => c.method === 'chat.postMessage').length === 2, 3000, 'two posts');
    expect(errors).toEqual(['channel_not_found']);
  });

  it('spreads envelopes round-robin over several connections', async () => {
    const fake = await fakeSlack();
    const a = newApp(fake);
    const b = newApp(fake);
    a.command('/aws', async ({ ack }) => ack('a'));
    b.command('/aws', async ({ ack }) => ack('b'));
    await a.start();
    await b.start();
    expect(fake.connections).toBe(2);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await fake.slashCommand({ text: String(i) })).ack.text as string);
    expect(got.filter((x) => x === 'a')).toHaveLength(2);
    expect(got.filter((x) => x === 'b')).toHaveLength(2);
    expect(got[0]).not.toBe(got[1]);
  });

  it('rejects a wrong app token with invalid_auth, so app.start() fails', async () => {
    const fake = await fakeSlack({ appToken: 'xapp-right' });
    const app = newApp(fake, 'xapp-wrong');
    await expect(app.start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(fake.connectionsOpened).toBe(0);
  });

  it("answers invalid_blocks with validateBlocks: 'reject'", async () => {
    const fake = await fakeSlack({ validateBlocks: 'reject' });
    const app = newApp(fake);
    let error: unknown;
    app.event('app_mention', async ({ say }) => {
      try {
        await say({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }] });
      } catch (e) {
        error = e;
      }
    });
    await app.start();
    await fake.mention({ text: 'long' });
    await fake.waitFor(() => error !== undefined, 3000, 'the say() error');
    expect(error).toMatchObject({ data: { ok: false, error: 'invalid_blocks' } });
    expect(fake.blockViolations).toHaveLength(1);
    expect(fake.blockViolations[0]?.where).toBe('chat.postMessage');
    expect(fake.blockViolations[0]?.problems[0]).toMatch(/3000.*json-pointer:\/blocks\/0\/text\/text/);
  });

  it('times out clearly when a listener never acks', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    app.command('/aws', async () => undefined);
    await app.start();
    await expect(fake.slashCommand({ text: 'x', timeoutMs: 300 })).rejects.toThrow(/not acked within 300ms/);
  });
});

describe('checkBlockKitLimits', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'Go' }, ...over });
  const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
  const one = (blocks: unknown[], re: RegExp) => {
    const problems = checkBlockKitLimits(blocks);
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    expect(problems[0]).toMatch(re);
  };

  it('accepts a valid message', () => {
    expect(
      checkBlockKitLimits([
        { type: 'header', text: { type: 'plain_text', text: 'S3' } },
        section('a'),
        { type: 'section', fields: [{ type: 'mrkdwn', text: 'x' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'src' }] },
        { type: 'divider' },
        actions(button(), button({ action_id: 'c', url: 'https://example.com', value: 'v', style: 'primary' })),
      ]),
    ).toEqual([]);
  });
  it('≤50 blocks per message', () => {
    expect(checkBlockKitLimits(Array.from({ length: 50 }, () => ({ type: 'divider' })))).toEqual([]);
    one(
      Array.from({ length: 51 }, () => ({ type: 'divider' })),
      /at most 50 blocks.*json-pointer:\/blocks\]/,
    );
  });
  it('≤100 blocks per view', () => {
    const view = (n: number) => ({ type: 'home', blocks: Array.from({ length: n }, () => ({ type: 'divider' })) });
    expect(checkViewLimits(view(100))).toEqual([]);
    expect(checkViewLimits(view(101))).toEqual([expect.stringMatching(/at most 100 blocks/)]);
  });
  it('header text: plain_text, ≤150', () => {
    one([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], /150.*\/blocks\/0\/text\/text/);
    one([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], /plain_text.*\/blocks\/0\/text\/type/);
  });
  it('section text: 1–3000', () => {
    expect(checkBlockKitLimits([section('s'.repeat(3000))])).toEqual([]);
    one([section('s'.repeat(3001))], /3000/);
    one([section('')], /must not be empty/);
  });
  it('section fields: ≤10, each ≤2000', () => {
    const f = (t: string) => ({ type: 'mrkdwn', text: t });
    one([{ type: 'section', fields: Array.from({ length: 11 }, () => f('x')) }], /at most 10 fields/);
    one([{ type: 'section', fields: [f('x'.repeat(2001))] }], /2000.*fields\/0\/text/);
  });
  it('context: ≤10 elements', () => {
    one([{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }], /at most 10 elements/);
  });
  it('actions: ≤25 elements', () => {
    const many = Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` }));
    one([actions(...many)], /at most 25 elements/);
  });
  it('button text: plain_text, ≤75', () => {
    one([actions(button({ text: { type: 'plain_text', text: 'x'.repeat(76) } }))], /75/);
    one([actions(button({ text: { type: 'mrkdwn', text: 'x' } }))], /plain_text/);
  });
  it('button value ≤2000, url ≤3000', () => {
    one([actions(button({ value: 'v'.repeat(2001) }))], /button value.*2000/);
    one([actions(button({ url: `https://x.example/${'u'.repeat(3000)}` }))], /button url.*3000/);
  });
  it('action_id ≤255 and unique in the message', () => {
    one([actions(button({ action_id: 'a'.repeat(256) }))], /action_id.*255/);
    one([actions(button()), actions(button())], /action_id "b" is not unique/);
  });
  it('block_id ≤255 and unique in the message', () => {
    one([{ type: 'divider', block_id: 'b'.repeat(256) }], /block_id.*255/);
    one(
      [
        { type: 'divider', block_id: 'x' },
        { type: 'divider', block_id: 'x' },
      ],
      /block_id "x" is not unique/,
    );
  });
  it('text objects: type plain_text|mrkdwn, non-empty', () => {
    one([{ type: 'section', text: { type: 'markdown', text: 'x' } }], /plain_text or mrkdwn/);
    one([{ type: 'context', elements: [{ type: 'plain_text', text: '' }] }], /must not be empty/);
  });
  it('messages need a top-level text fallback when blocks are present', () => {
    expect(checkMessageLimits({ blocks: [section('x')] })).toEqual([expect.stringMatching(/fallback/)]);
    expect(checkMessageLimits({ text: 'x', blocks: [section('x')] })).toEqual([]);
    expect(checkMessageLimits({ text: 'just text' })).toEqual([]);
  });
  it('modal title ≤24', () => {
    const problems = checkViewLimits({ type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] });
    expect(problems).toEqual([expect.stringMatching(/24.*\/view\/title\/text/)]);
  });
});

describe('fake Slack: feedback buttons, message shortcuts and the assistant pane', () => {
  const feedback = (value = 'v') => ({
    type: 'context_actions',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: 'fb',
        positive_button: { text: { type: 'plain_text', text: '👍' }, value },
        negative_button: { text: { type: 'plain_text', text: '👎' }, value: 'n' },
      },
    ],
  });

  it('context_actions: 1–5 feedback or icon buttons; feedback buttons need both sides, plain text ≤75, value ≤2000', () => {
    expect(checkBlockKitLimits([feedback()])).toEqual([]);
    expect(checkBlockKitLimits([{ type: 'context_actions', elements: [] }]).join()).toMatch(/at least 1 element/);
    expect(
      checkBlockKitLimits([
        { type: 'context_actions', elements: [{ type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'x' } }] },
      ]).join(),
    ).toMatch(/feedback_buttons or icon_button/);
    expect(checkBlockKitLimits([feedback('v'.repeat(2001))]).join()).toMatch(/feedback button value must be at most 2000/);
    const oneSided = {
      type: 'context_actions',
      elements: [{ type: 'feedback_buttons', action_id: 'fb', positive_button: { text: { type: 'plain_text', text: '👍' }, value: 'y' } }],
    };
    expect(checkBlockKitLimits([oneSided]).join()).toMatch(/needs negative_button/);
  });

  it('a feedback click carries the clicked button value and text, as bolt-js FeedbackButtonsAction', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    const seen: any[] = [];
    app.action('fb', async ({ ack, action }) => {
      seen.push(action);
      await ack();
    });
    await app.start();
    const message = { type: 'message', ts: '1700000000.000001', text: 'answer', blocks: [feedback('up-value')] };
    await fake.blockAction({ actionId: 'fb', message, channel: 'C00000001', feedback: 'negative' });
    await fake.blockAction({ actionId: 'fb', message, channel: 'C00000001' });
    expect(seen.map((a) => [a.type, a.value, a.text.text])).toEqual([
      ['feedback_buttons', 'n', '👎'],
      ['feedback_buttons', 'up-value', '👍'],
    ]);
  });

  it('a message shortcut arrives as a message_action payload with the message and a response_url', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    let seen: any;
    app.shortcut({ callback_id: 'review', type: 'message_action' }, async ({ ack, shortcut }) => {
      seen = shortcut;
      await ack();
    });
    await app.start();
    const { ack, responseUrl } = await fake.messageAction({
      callbackId: 'review',
      message: { ts: '1700000000.000002', text: 'hello', user: 'U00000002' },
    });
    expect(ack).toEqual({});
    expect(seen).toMatchObject({
      type: 'message_action',
      callback_id: 'review',
      message_ts: '1700000000.000002',
      message: { text: 'hello' },
      channel: { id: 'C00000001' },
      response_url: responseUrl,
    });
  });

  it('assistant.threads.*: only on a thread the pane started; 1–4 prompts of {title, message}; a title', async () => {
    const fake = await fakeSlack();
    const app = newApp(fake);
    let started: any;
    app.event('assistant_thread_started', async ({ event }) => void (started = event));
    await app.start();
    const t = await fake.assistantThreadStarted({ user: 'U00000002' });
    await fake.waitFor(() => started !== undefined, 5000, 'the event');
    expect(started.assistant_thread).toMatchObject({ user_id: 'U00000002', channel_id: t.channel, thread_ts: t.threadTs });
    const ok = await app.client.assistant.threads.setSuggestedPrompts({
      channel_id: t.channel,
      thread_ts: t.threadTs,
      prompts: [{ title: 'a', message: 'b' }],
    });
    expect(ok.ok).toBe(true);
    await app.client.assistant.threads.setTitle({ channel_id: t.channel, thread_ts: t.threadTs, title: 'About SQS' });
    expect(fake.assistantThreads.get(`${t.channel} ${t.threadTs}`)).toMatchObject({ title: 'About SQS', prompts: [{ title: 'a', message: 'b' }] });
    await expect(app.client.assistant.threads.setTitle({ channel_id: t.channel, thread_ts: '1.000001', title: 'x' })).rejects.toThrow(
      /invalid_thread_ts/,
    );
    const five = Array.from({ length: 5 }, () => ({ title: 'a', message: 'b' }));
    await expect(app.client.assistant.threads.setSuggestedPrompts({ channel_id: t.channel, thread_ts: t.threadTs, prompts: five })).rejects.toThrow(
      /invalid_arguments/,
    );
  });
});
