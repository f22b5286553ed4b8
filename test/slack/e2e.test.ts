/**
 * The real Slack app (startSlack: Bolt in Socket Mode, every listener, the logger) against the fake Slack,
 * end to end. Every assertion is about what a user would see: the ack of a command, the message posted in a
 * thread, the response_url post, the view opened. Every message the bot sends is checked against the Block Kit
 * limits (the fake records violations; slash-command acks are checked here).
 *
 * One bot for the whole file; tests run in order and each uses its own channel, thread or DM, so counts stay
 * exact. "Never answered" checks are fenced: a real message sent after the ignored ones is answered first, then
 * a short quiet window follows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../src/knowledge/schema.js';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { renderError } from '../../src/render/index.js';
import { logBounds } from '../../src/logger.js';
import { boltLogger } from '../../src/slack/logger.js';
import { actions as ids, openEntryActionId } from '../../src/ids.js';
import { appToken, botToken, getCore, levels, startBot, type LogLine, type StartedBot } from '../support/bot.js';
import { checkMessageLimits, type ApiCall } from '../support/fake-slack.js';
import { texts } from '../support/blocks.js';
import {
  buttonIn,
  buttons,
  clickEphemeral as clickEphemeralIn,
  clickPosted as clickPostedIn,
  headerOf,
  newTs,
  noAnswerQuery as noAnswerQueryOf,
  waitForPost as waitForPostIn,
  type Blocks,
} from '../support/ui.js';

const core = getCore();
let b: StartedBot;

beforeAll(async () => {
  b = await startBot();
}, 30_000);

afterEach(() => {
  // Messages (chat.*), views and response_url posts are checked by the fake as they arrive …
  expect(b.fake.blockViolations).toEqual([]);
  // … and the acks that carry a message (slash commands) here.
  for (const e of b.fake.envelopes) {
    if (e.ack && (e.ack.blocks !== undefined || e.ack.text !== undefined)) {
      expect(checkMessageLimits(e.ack), `ack of ${e.type} ${JSON.stringify(e.payload?.text ?? '').slice(0, 60)}`).toEqual([]);
    }
  }
});

afterAll(async () => {
  await b?.stop();
}, 30_000);

// ---------------------------------------------------------------------------------------------------------------
// Helpers: what the user sees
// ---------------------------------------------------------------------------------------------------------------

const allText = (m: { text?: string; blocks?: Blocks }): string => [m.text ?? '', ...texts(m.blocks)].join('\n');

function entry(id: string): Entry {
  const e = core.kb.byId.get(id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Successful chat.postMessage calls in a channel (optionally a thread). */
function posts(channel: string, threadTs?: string): ApiCall[] {
  return b.fake.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.response.ok === true &&
      c.args.channel === channel &&
      (threadTs === undefined || c.args.thread_ts === threadTs),
  );
}

const waitForPost = (channel: string, threadTs?: string, timeoutMs = 5000): Promise<ApiCall> => waitForPostIn(b, channel, threadTs, timeoutMs);
const clickEphemeral = (card: { blocks?: Blocks }, actionId: string, channel = 'C00000001') => clickEphemeralIn(b, card, actionId, channel);
const clickPosted = (post: ApiCall, actionId: string) => clickPostedIn(b, post, actionId);

/** Log lines written from now on. */
function logMark(): () => LogLine[] {
  const from = b.rawLogs().length;
  return () => b.logs().slice(from);
}

function answeredLines(lines: LogLine[]): LogLine[] {
  return lines.filter((l) => l.msg === 'answered');
}

const noAnswerQuery = (withSuggestions: boolean): string => noAnswerQueryOf(core, withSuggestions);

const politeNoAnswer = "I don't have a confident answer for";

// ---------------------------------------------------------------------------------------------------------------

describe('/aws', () => {
  it('/aws sqs: an ephemeral SQS card, acked in time, with "Share in channel"', async () => {
    const logs = logMark();
    const t0 = Date.now();
    const { ack } = await b.fake.slashCommand({ text: 'sqs' });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(ack.response_type).toBe('ephemeral');
    expect(headerOf(ack.blocks)).toBe('Amazon SQS');
    expect(ack.text).toContain('Amazon SQS');
    const share = buttonIn(ack.blocks, ids.share);
    expect(share.text).toBe('Share in channel');
    expect(share.value).toBe('sqs');
    // Related services and the documentation link are on the card.
    expect(buttonIn(ack.blocks, openEntryActionId('sns')).text).toBe(entry('sns').name);
    expect(buttonIn(ack.blocks, ids.docsLink).url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    // One log line per answered question: query, entry ids, milliseconds.
    const answered = answeredLines(logs());
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ surface: 'slash', query: 'sqs', ids: ['sqs'] });
    expect(typeof answered[0]!.ms).toBe('number');
  });

  it('/aws and /aws help: the help card (examples and the categories)', async () => {
    const help = core.render.help();
    const categories = core.kb.entries.filter((e) => e.kind === 'category');
    for (const text of ['', 'help', '  HELP ']) {
      const { ack } = await b.fake.slashCommand({ text });
      expect(ack.response_type, JSON.stringify(text)).toBe('ephemeral');
      expect(headerOf(ack.blocks)).toMatch(/how to ask/i);
      expect(allText(ack)).toContain('/aws sqs');
      expect(ack.blocks).toEqual(help.blocks);
      const ids_ = buttons(ack.blocks).map((x) => x.action_id);
      for (const c of categories) expect(ids_).toContain(openEntryActionId(c.id));
    }
  });

  it('/aws tip: a tip card now', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'tip' });
    expect(ack.response_type).toBe('ephemeral');
    const first = ack.blocks[0]?.text?.text as string;
    expect(first).toMatch(/^:bulb: \*Tip/);
    expect(core.kb.tips.some((t) => first.includes(escapeMrkdwn(t.text)))).toBe(true);
  });

  it('a free question and a comparison', async () => {
    const question = 'how do I cache DB queries?';
    const expected = core.answer.ask(question);
    expect(expected.kind).toBe('entry');
    const q = await b.fake.slashCommand({ text: question });
    // The card's header, or, when a fact leads, the line under it that opens the card.
    expect(allText(q.ack)).toContain(expected.results[0]!.entry.name);
    expect(buttonIn(q.ack.blocks, ids.share).value).toBe(question);

    const c = await b.fake.slashCommand({ text: 'ecs vs eks' });
    expect(headerOf(c.ack.blocks)).toBe(`${entry('ecs').name} vs ${entry('eks').name}`);
    expect(buttonIn(c.ack.blocks, openEntryActionId('ecs')).text).toBe(`Open ${entry('ecs').name}`);
    expect(buttonIn(c.ack.blocks, openEntryActionId('eks')).text).toBe(`Open ${entry('eks').name}`);
    expect(buttonIn(c.ack.blocks, ids.share).value).toBe('ecs vs eks');
  });

  it('an out-of-scope query: "no confident answer", with the help button', async () => {
    const query = noAnswerQuery(false);
    const { ack } = await b.fake.slashCommand({ text: query });
    expect(ack.response_type).toBe('ephemeral');
    expect(allText(ack)).toContain(`${politeNoAnswer} “${query}”`);
    expect(ack.text).toContain('No confident answer');
    expect(buttonIn(ack.blocks, ids.help).text).toBe('How to ask');
  });
});

describe('mentions and direct messages', () => {
  it('a mention in a channel: the reply goes into the thread of the mention; the mention is not part of the query', async () => {
    const logs = logMark();
    const m = await b.fake.mention({ text: 'how do I cache DB queries?', channel: 'C0MENTION1' });
    const post = await waitForPost('C0MENTION1', m.ts);
    expect(post.args.thread_ts).toBe(m.ts);
    expect(post.token).toBe(botToken);
    expect(allText(post.args)).toContain(core.answer.ask('how do I cache DB queries?').results[0]!.entry.name);
    // Mentions are answered for everyone: no share button, nothing ephemeral.
    expect(buttons(post.args.blocks).map((x) => x.action_id)).not.toContain(ids.share);
    expect(b.fake.calls.filter((c) => c.method === 'chat.postEphemeral')).toHaveLength(0);
    const answered = answeredLines(logs());
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ surface: 'mention', query: 'how do I cache DB queries?' });
    expect(String(answered[0]!.query)).not.toContain('UBOT0001');
  });

  it('a mention inside a thread: the reply goes into that thread', async () => {
    const parent = newTs();
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0MENTION2', threadTs: parent });
    const post = await waitForPost('C0MENTION2', parent);
    expect(post.args.thread_ts).toBe(parent);
    expect(headerOf(post.args.blocks)).toBe('Amazon SQS');
    expect(posts('C0MENTION2', m.ts)).toHaveLength(0);
  });

  it('a mention with nothing else: the help card in the thread', async () => {
    const m = await b.fake.mention({ text: '', channel: 'C0MENTION3' });
    const post = await waitForPost('C0MENTION3', m.ts);
    expect(headerOf(post.args.blocks)).toMatch(/how to ask/i);
  });

  it('a direct message: the reply in the DM', async () => {
    const logs = logMark();
    const d = await b.fake.dm({ text: 'ecs vs eks', user: 'U00000002' });
    const post = await waitForPost(d.channel);
    expect(d.channel.startsWith('D')).toBe(true);
    expect(post.args.thread_ts).toBeUndefined();
    expect(headerOf(post.args.blocks)).toBe(`${entry('ecs').name} vs ${entry('eks').name}`);
    expect(answeredLines(logs())[0]).toMatchObject({ surface: 'dm', query: 'ecs vs eks' });
  });

  it('edits, deletions, joins, bot messages and its own messages are never answered', async () => {
    const dmChannel = 'D0QUIET01';
    const channel = 'C0QUIET01';
    const plain = (extra: Record<string, unknown>) => {
      const ts = newTs();
      return { type: 'message', channel: dmChannel, channel_type: 'im', text: 'sqs', ts, event_ts: ts, ...extra };
    };
    await b.fake.dm({ channel: dmChannel, text: 'sqs', subtype: 'message_changed' });
    await b.fake.event(
      plain({ subtype: 'message_changed', hidden: true, message: { type: 'message', user: 'U00000001', text: 'sqs edited', ts: newTs() } }),
    );
    await b.fake.event(plain({ subtype: 'message_deleted', hidden: true, deleted_ts: newTs() }));
    await b.fake.dm({ channel: dmChannel, text: '<@U00000001> has joined the channel', subtype: 'channel_join' });
    await b.fake.dm({ channel: dmChannel, text: 'sqs', subtype: 'bot_message', botId: 'B0OTHER01' });
    await b.fake.event(plain({ user: 'U00000002', bot_id: 'B0OTHER01', app_id: 'A0OTHER01' })); // a bot, no subtype
    await b.fake.dm({ channel: dmChannel, text: 'sqs', botId: 'BBOT0001' }); // the bot's own message
    await b.fake.event(plain({ user: 'UBOT0001' })); // the bot's own user id
    const mts = newTs();
    await b.fake.event({ type: 'app_mention', channel, user: 'U00000002', bot_id: 'B0OTHER01', text: '<@UBOT0001> sqs', ts: mts, event_ts: mts });

    // Fences: a real DM and a real mention, sent after, are answered; then nothing else comes.
    await b.fake.dm({ channel: dmChannel, text: 'lambda' });
    const realMention = await b.fake.mention({ channel, text: 'lambda' });
    const post = await waitForPost(dmChannel);
    await waitForPost(channel, realMention.ts);
    await sleep(500);
    expect(posts(dmChannel)).toHaveLength(1);
    expect(post.args.text).toContain(entry('lambda').name);
    expect(posts(channel)).toHaveLength(1);
  });
});

describe('buttons', () => {
  it('a related service on an ephemeral slash card: its card replaces the original', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'sqs' });
    const click = await clickEphemeral(ack, openEntryActionId('sns'));
    expect(click.ack).toEqual({});
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body.replace_original).toBe(true);
    expect(r.body.response_type).toBe('ephemeral');
    expect(headerOf(r.body.blocks)).toBe('Amazon SNS');
    expect(buttonIn(r.body.blocks, ids.share).value).toBe(entry('sns').name);
  });

  it('a related service on a mention reply: a new reply in the same thread', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0BUTTONS1' });
    const reply = await waitForPost('C0BUTTONS1', m.ts);
    const click = await clickPosted(reply, openEntryActionId('lambda'));
    expect(click.ack).toEqual({});
    await b.fake.waitFor(() => posts('C0BUTTONS1', m.ts).length === 2, 5000, 'the second reply in the thread');
    const second = posts('C0BUTTONS1', m.ts)[1]!;
    expect(headerOf(second.args.blocks)).toBe(entry('lambda').name);
    expect(buttons(second.args.blocks).map((x) => x.action_id)).not.toContain(ids.share);
  });

  it('a related service on a DM reply: a new reply in the DM', async () => {
    const d = await b.fake.dm({ text: 'sqs', channel: 'D0BUTTONS1' });
    const reply = await waitForPost(d.channel);
    await clickPosted(reply, openEntryActionId('sns'));
    await b.fake.waitFor(() => posts(d.channel).length === 2, 5000, 'the second DM reply');
    const second = posts(d.channel)[1]!;
    expect(second.args.thread_ts).toBeUndefined();
    expect(headerOf(second.args.blocks)).toBe('Amazon SNS');
  });

  it('the documentation link: acknowledged, nothing posted', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0DOCS01' });
    const reply = await waitForPost('C0DOCS01', m.ts);
    const callsBefore = b.fake.calls.length;
    const click = await clickPosted(reply, ids.docsLink);
    expect(click.ack).toEqual({});
    // Fence: a command sent after it is answered; then the link click has produced nothing.
    await b.fake.slashCommand({ text: 'sqs' });
    await sleep(300);
    expect(b.fake.responses.filter((r) => r.url === click.responseUrl)).toHaveLength(0);
    expect(b.fake.calls.slice(callsBefore).filter((c) => c.method.startsWith('chat.') || c.method.startsWith('views.'))).toHaveLength(0);
  });

  it('the suggestions of a no-answer reply open their cards (slash: in place; mention: in the thread)', async () => {
    const query = noAnswerQuery(true);
    const suggestions = core.answer.ask(query).suggestions;
    const { ack } = await b.fake.slashCommand({ text: query });
    expect(allText(ack)).toContain('Did you mean');
    const first = suggestions[0]!;
    const click = await clickEphemeral(ack, openEntryActionId(first.id));
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body.replace_original).toBe(true);
    expect(headerOf(r.body.blocks)).toBe(first.name);

    const m = await b.fake.mention({ text: query, channel: 'C0SUGGEST1' });
    const reply = await waitForPost('C0SUGGEST1', m.ts);
    expect(allText(reply.args)).toContain(politeNoAnswer);
    const last = suggestions[suggestions.length - 1]!;
    await clickPosted(reply, openEntryActionId(last.id));
    await b.fake.waitFor(() => posts('C0SUGGEST1', m.ts).length === 2, 5000, 'the suggestion card in the thread');
    expect(headerOf(posts('C0SUGGEST1', m.ts)[1]!.args.blocks)).toBe(last.name);
  });

  it('"How to ask" on a no-answer reply: the help card, privately', async () => {
    const { ack } = await b.fake.slashCommand({ text: noAnswerQuery(false) });
    const click = await clickEphemeral(ack, ids.help);
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.replace_original).not.toBe(true);
    expect(headerOf(r.body.blocks)).toMatch(/how to ask/i);
  });

  it('"Share in channel": the same card for everyone, saying who shared it, then the private copy goes', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'sqs', user: 'U00000002', channel: 'C0SHARE01' });
    const click = await clickEphemeral(ack, ids.share, 'C0SHARE01');
    // The clicking user: the one who ran the command (ephemeral cards are only visible to them).
    expect(click.ack).toEqual({});
    await b.fake.waitFor(() => b.fake.responses.filter((r) => r.url === click.responseUrl).length === 2, 5000, 'two response_url posts');
    const [shared, removed] = b.fake.responses.filter((r) => r.url === click.responseUrl).sort((x, y) => x.at - y.at);
    expect(shared!.body.response_type).toBe('in_channel');
    expect(shared!.body.replace_original).not.toBe(true);
    expect(headerOf(shared!.body.blocks)).toBe('Amazon SQS');
    expect(texts(shared!.body.blocks).some((t) => t.includes('Shared by <@U00000001>'))).toBe(true);
    expect(buttons(shared!.body.blocks).map((x) => x.action_id)).not.toContain(ids.share);
    expect(removed!.body).toMatchObject({ delete_original: true });
    // Slack shows the shared card in the channel, for everyone.
    const visible = b.fake.messages.filter((m) => m.channel === 'C0SHARE01' && !m.ephemeral && m.via === 'response_url');
    expect(visible).toHaveLength(1);
    expect(headerOf(visible[0]!.blocks)).toBe('Amazon SQS');
  });

  it('App Home: the home view (categories, a tip); a category button opens a modal; a button in it updates the modal', async () => {
    const user = 'U00000002';
    const ts = newTs();
    await b.fake.event({ type: 'app_home_opened', user, channel: 'D00000002', tab: 'home', event_ts: ts });
    const publish = await b.fake.waitForCall('views.publish', (c) => c.args.user_id === user && c.response.ok === true);
    const view = publish.args.view;
    expect(view.type).toBe('home');
    expect(headerOf(view.blocks)).toBe('AWS Guide');
    const text = texts(view.blocks).join('\n');
    expect(text).toContain('How to ask');
    expect(text).toContain('Browse by category');
    expect(text).toMatch(/:bulb: \*Today's tip\*/);
    const categories = core.kb.entries.filter((e) => e.kind === 'category');
    const homeButtons = buttons(view.blocks).map((x) => x.action_id);
    for (const c of categories) expect(homeButtons).toContain(openEntryActionId(c.id));

    const homeId = publish.response.view.id as string;
    const databases = entry('category-databases');
    await b.fake.blockAction({ actionId: openEntryActionId(databases.id), user, container: { type: 'view', view_id: homeId } });
    const open = await b.fake.waitForCall('views.open', (c) => c.response.ok === true);
    expect(open.args.view.type).toBe('modal');
    expect(headerOf(open.args.view.blocks)).toBe(databases.name);

    const modalId = open.response.view.id as string;
    const service = (databases as { services: string[] }).services[0]!;
    await b.fake.blockAction({ actionId: openEntryActionId(service), user, container: { type: 'view', view_id: modalId } });
    const update = await b.fake.waitForCall('views.update', (c) => c.response.ok === true);
    expect(update.args.view_id).toBe(modalId);
    expect(headerOf(update.args.view.blocks)).toBe(entry(service).name);
  });
});

describe('delivery', () => {
  it('a redelivered event (same event_id, retry_attempt 1) is answered once', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0RETRY01' });
    const first = b.fake.envelopes.find((e) => e.payload?.event_id === m.eventId);
    expect(first).toBeDefined();
    await b.fake.event(first!.payload.event, { eventId: m.eventId, retryAttempt: 1, retryReason: 'timeout' });
    await waitForPost('C0RETRY01', m.ts);
    // Fence: a later mention in the same channel is answered; the retry still is not.
    const later = await b.fake.mention({ text: 'sns', channel: 'C0RETRY01' });
    await waitForPost('C0RETRY01', later.ts);
    await sleep(300);
    expect(posts('C0RETRY01', m.ts)).toHaveLength(1);
  });

  it('a dropped socket: the bot reconnects and answers again', { timeout: 30_000 }, async () => {
    const opened = b.fake.connectionsOpened;
    b.fake.dropAll();
    await b.fake.waitFor(() => b.fake.connectionsOpened > opened && b.fake.connections > 0, 15_000, 'a new Socket Mode connection');
    const { ack } = await b.fake.slashCommand({ text: 'sqs' });
    expect(headerOf(ack.blocks)).toBe('Amazon SQS');
    const opens = b.fake.calls.filter((c) => c.method === 'apps.connections.open');
    expect(opens.every((c) => c.token === appToken)).toBe(true);
  });

  it('a 429 on chat.postMessage is honoured (retried after Retry-After) and blocks no other conversation', { timeout: 20_000 }, async () => {
    b.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0RATE01' });
    const limited = await b.fake.waitForCall('chat.postMessage', (c) => c.status === 429);
    // Meanwhile, a slash command is acked promptly: well inside the pause, long before the paused reply.
    const t0 = Date.now();
    const { ack } = await b.fake.slashCommand({ text: 'sns' });
    const ackedAt = Date.now();
    expect(headerOf(ack.blocks)).toBe('Amazon SNS');
    expect(ackedAt - t0).toBeLessThan(900);
    const post = await waitForPost('C0RATE01', m.ts, 10_000);
    expect(post.at).toBeGreaterThan(ackedAt);
    expect(post.at - limited.at).toBeGreaterThanOrEqual(1000);
    expect(posts('C0RATE01', m.ts)).toHaveLength(1);
  });

  it('a Web API error answer is logged once as an error, and the bot keeps answering', async () => {
    const logs = logMark();
    b.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0GONE01' });
    await b.fake.waitForCall('chat.postMessage', (c) => c.response.error === 'channel_not_found');
    const next = await b.fake.mention({ text: 'sns', channel: 'C0ERROR02' });
    await waitForPost('C0ERROR02', next.ts);
    await b.fake.waitFor(() => logs().some((l) => l.level >= levels.error), 2000, 'the error log line');
    await sleep(200);
    const errors = logs().filter((l) => l.level >= levels.error);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('channel_not_found');
    expect(posts('C0GONE01', m.ts)).toHaveLength(0);
  });
});

describe('input hygiene', () => {
  const hostile = 'hey <!channel> and <!here>, ping <@U00000002> about pizza & <b>beer</b>';
  const raw = ['<!channel>', '<!here>', '<@U00000002>', '<b>'];

  function expectHarmless(m: { text?: string; blocks?: Blocks }, what: string): void {
    for (const t of [m.text ?? '', ...texts(m.blocks)]) {
      for (const r of raw) expect(t, `${what}: ${t}`).not.toContain(r);
      expect(t, what).not.toMatch(/&amp;(amp|lt|gt);/); // not escaped twice
    }
  }

  it('a query with <!channel>, <!here>, <@U…>, & and <b> is shown escaped, never acted on', async () => {
    expect(core.answer.ask(hostile).kind).toBe('none'); // so the reply shows the query back
    const { ack } = await b.fake.slashCommand({ text: hostile });
    expectHarmless(ack, 'slash ack');
    const shown = texts(ack.blocks).join('\n');
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('&lt;!here&gt;');
    expect(shown).toContain('&lt;@U00000002&gt;');
    expect(shown).toContain('pizza &amp; &lt;b&gt;beer&lt;/b&gt;');

    const m = await b.fake.mention({ text: hostile, channel: 'C0HYGIENE1' });
    const post = await waitForPost('C0HYGIENE1', m.ts);
    expectHarmless(post.args, 'mention reply');
    expect(texts(post.args.blocks).join('\n')).toContain('&lt;!channel&gt;');
  });

  it('the same query as Slack sends it (&amp; &lt; &gt; encoded) is decoded once and escaped once', async () => {
    const encoded = hostile.replace(/&/g, '&amp;').replace(/<b>/g, '&lt;b&gt;').replace(/<\/b>/g, '&lt;/b&gt;');
    const { ack } = await b.fake.slashCommand({ text: encoded });
    expectHarmless(ack, 'slash ack (encoded)');
    expect(texts(ack.blocks).join('\n')).toContain('pizza &amp; &lt;b&gt;beer&lt;/b&gt;');
  });

  it('a 4,000-character query gets a normal reply within the limits', async () => {
    const long = 'how do I decouple microservices with a queue? '.repeat(100).slice(0, 4000);
    expect(long).toHaveLength(4000);
    const logs = logMark();
    const { ack } = await b.fake.slashCommand({ text: long });
    expect(checkMessageLimits(ack)).toEqual([]);
    expect(ack.text).not.toBe(renderError().text);
    expect(ack.blocks.length).toBeGreaterThan(1);
    // The logged query is bounded (by the logger, as every logged value is), and says how much was left out.
    expect(String(answeredLines(logs())[0]?.query)).toMatch(new RegExp(`^.{${logBounds.string}}…\\[${4000 - logBounds.string} more chars\\]$`));

    const m = await b.fake.mention({ text: long, channel: 'C0LONG01' });
    const post = await waitForPost('C0LONG01', m.ts);
    expect(post.args.text).not.toBe(renderError().text);
  });

  it('a button for an entry that does not exist: a short polite reply, one logged line, no crash', async () => {
    const logs = logMark();
    const click = await b.fake.blockAction({
      actionId: openEntryActionId('no-such-entry'),
      value: 'no-such-entry',
      channel: 'C0BROKEN1',
      container: { type: 'message', is_ephemeral: true, channel_id: 'C0BROKEN1', message_ts: newTs() },
    });
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toMatch(/no longer in the knowledge base/);
    expect(String(r.body.text).length).toBeLessThan(200);
    const bad = logs().filter((l) => l.level >= levels.warn);
    expect(bad).toHaveLength(1);
    const { ack } = await b.fake.slashCommand({ text: 'sqs' });
    expect(headerOf(ack.blocks)).toBe('Amazon SQS');
  });

  it('a button whose reply the Web API refuses: a short polite reply, one logged error, no crash', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0BROKEN2' });
    const reply = await waitForPost('C0BROKEN2', m.ts);
    const logs = logMark();
    b.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const click = await clickPosted(reply, openEntryActionId('sns'));
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toBe(renderError().text);
    await sleep(200);
    const errors = logs().filter((l) => l.level >= levels.error);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('not_in_channel');
    const { ack } = await b.fake.slashCommand({ text: 'sqs' });
    expect(headerOf(ack.blocks)).toBe('Amazon SQS');
  });
});

describe('tokens', () => {
  it('every Web API call carries the right token', () => {
    for (const c of b.fake.calls) {
      expect(c.token, c.method).toBe(c.method === 'apps.connections.open' ? appToken : botToken);
    }
  });

  it('no log line contains a token, even when an error message carries one', () => {
    const logs = logMark();
    b.log.error({ err: new Error(`invalid_auth for ${botToken}`) }, `calling with ${appToken}`);
    b.log.warn({ headers: { Authorization: `Bearer ${botToken}` }, nested: { list: [appToken] } }, 'objects');
    b.log.error(new Error(`boom ${appToken}`));
    const bolt = boltLogger(b.log);
    bolt.error('An unhandled error occurred', new Error(`socket failed with ${appToken} and ${botToken}`));
    const mine = logs();
    expect(mine).toHaveLength(4);
    expect(JSON.stringify(mine)).toContain('xoxb-[redacted]');
    expect(JSON.stringify(mine)).toContain('xapp-[redacted]');
    // The Error keeps its stack through the Bolt adapter.
    expect(String((mine[3]!.err as { stack?: string }).stack)).toContain('socket failed with xapp-[redacted]');

    const all = b.rawLogs();
    expect(all.length).toBeGreaterThan(100); // debug level: Bolt's own lines are in there too
    for (const line of all) {
      expect(line).not.toContain(botToken);
      expect(line).not.toContain(appToken);
    }
  });
});
