/**
 * Hostile input and odd frames, through the real bot (startSlack) and the fake Slack: what a person would notice
 * (an error in Slack, formatting they didn't mean, a broken emoji, a reason stored under someone else's vote) and
 * what an operator would (a crash, a 1 MB log line, an error logged for a frame that only needed ignoring).
 *
 * One bot for the file; each test uses its own channel or user, and reads only the log lines written since it began.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackLog, type FeedbackRecord } from '../../src/feedback/store.js';
import { actions as ids, views } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { getCore, levels, startBot, type LogLine, type StartedBot } from '../support/bot.js';
import { texts } from '../support/blocks.js';
import { clickEphemeral, clickFeedback, headerOf, newTs, type Blocks } from '../support/ui.js';

const core = getCore();
let b: StartedBot;

beforeAll(async () => {
  b = await startBot();
}, 30_000);

afterAll(async () => {
  await b?.stop();
}, 30_000);

/** Log lines written from now on. */
function logMark(): { lines: () => LogLine[]; raw: () => string[] } {
  const from = b.rawLogs().length;
  return { lines: () => b.logs().slice(from), raw: () => b.rawLogs().slice(from) };
}

const warnings = (lines: LogLine[]): LogLine[] => lines.filter((l) => l.level === levels.warn);
const errors = (lines: LogLine[]): LogLine[] => lines.filter((l) => l.level >= levels.error);
const allText = (m: { text?: string; blocks?: Blocks }): string[] => [m.text ?? '', ...texts(m.blocks)];

/** The bot still answers a question: the card for /aws sqs. */
async function stillAnswers(): Promise<void> {
  const { ack } = await b.fake.slashCommand({ text: 'sqs' });
  expect(headerOf(ack.blocks)).toBe('Amazon SQS');
}

/** What the bot recorded as feedback (read from its state, as `npm run report` does). */
async function recorded(): Promise<FeedbackRecord[]> {
  const store = new SqliteStore({ dir: b.config.dataDir, log: createLogger({ level: 'silent' }) });
  try {
    return await new FeedbackLog({ store, retentionDays: b.config.feedback.retentionDays }).records();
  } finally {
    await store.close();
  }
}

/** A query the bot has no answer for, so its reply shows the query back. */
function unanswerable(q: string): string {
  expect(core.answer.ask(q).kind, q).toBe('none');
  return q;
}

describe('interactive payloads no listener handles', () => {
  it('a button with an unknown action_id is acked (no error in Slack) and logged once at warn', async () => {
    const logs = logMark();
    const huge = 'x'.repeat(1000);
    await b.fake.blockAction({ actionId: `retired_button_${huge}`, value: 'v', channel: 'C0ODD0001' });
    await b.fake.waitFor(() => warnings(logs.lines()).length > 0, 2000, 'the warning');
    const [w, ...more] = warnings(logs.lines());
    expect(more).toEqual([]);
    expect(w).toMatchObject({ msg: 'nothing handles this interactive payload: acked and ignored', type: 'block_actions' });
    expect(String(w!.action).length).toBeLessThan(400); // the id, bounded
    expect(errors(logs.lines())).toEqual([]);
    await stillAnswers();
  });

  it('a modal submission with an unknown callback_id is acked and logged once at warn', async () => {
    const logs = logMark();
    await b.fake.viewSubmission({ callbackId: 'retired_modal', values: {} });
    await b.fake.waitFor(() => warnings(logs.lines()).length > 0, 2000, 'the warning');
    expect(warnings(logs.lines())).toMatchObject([{ type: 'view_submission', callbackId: 'retired_modal' }]);
    expect(errors(logs.lines())).toEqual([]);
  });

  it('a known button is acked once, by its listener: no second ack, no warning', async () => {
    const logs = logMark();
    const { ack } = await b.fake.slashCommand({ text: 'sqs', channel: 'C0ODD0002' });
    await clickEphemeral(b, ack, ids.docsLink, 'C0ODD0002');
    await stillAnswers();
    expect(warnings(logs.lines())).toEqual([]);
  });
});

describe('text cut and shown back', () => {
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it('a long query echoed in a no-answer reply is cut between characters: no emoji split into lone surrogates', async () => {
    // The echo keeps 119 characters: the emoji straddles the cut.
    const q = unanswerable(`${'zebra accordion marmalade '.repeat(5).slice(0, 118)}😀 and more zebra accordion marmalade`);
    const { ack } = await b.fake.slashCommand({ text: q, channel: 'C0CUT0001' });
    const shown = allText(ack).join('\n');
    expect(shown).toContain('zebra accordion');
    expect(shown).not.toMatch(lone);
  });

  it("a query's *bold*, _italic_, ~strike~ and ``` are shown as typed, not as formatting of the bot's sentence", async () => {
    const q = unanswerable('zebra *accordion* _marmalade_ ~banjo~ ```recital``` `kazoo`');
    const { ack } = await b.fake.slashCommand({ text: q, channel: 'C0FMT0001' });
    const m = await b.fake.mention({ text: q, channel: 'C0FMT0002' });
    const post = await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FMT0002' && c.args.thread_ts === m.ts);
    for (const reply of [ack, post.args]) {
      // The query as the reply quotes it, between “ and ”: every word there, and no mark Slack would format with.
      const quoted = allText(reply).flatMap((t) => [...t.matchAll(/“([^”]*)”/g)].map((x) => x[1]!));
      expect(quoted.length).toBeGreaterThan(0);
      for (const quote of quoted) {
        for (const word of ['accordion', 'marmalade', 'banjo', 'recital', 'kazoo']) expect(quote).toContain(word);
        expect(quote).not.toMatch(/[*_~`]/);
      }
    }
  });
});

describe('logs of what people send', () => {
  it('a 1 MB button value is not written whole into a log line', async () => {
    const logs = logMark();
    const megabyte = 'v'.repeat(1_000_000);
    await b.fake.blockAction({
      actionId: ids.feedbackUp,
      value: JSON.stringify({ q: 'sqs', ids: [megabyte] }),
      channel: 'C0BIG0001',
      container: { type: 'message', is_ephemeral: true, channel_id: 'C0BIG0001', message_ts: newTs() },
    });
    await b.fake.blockAction({
      actionId: ids.share,
      value: megabyte.slice(0, 3000),
      channel: 'C0BIG0002',
      container: { type: 'message', is_ephemeral: true, channel_id: 'C0BIG0002', message_ts: newTs() },
    });
    await b.fake.blockAction({ actionId: `unknown_${'u'.repeat(2000)}`, value: megabyte, channel: 'C0BIG0003' });
    await b.fake.waitFor(
      () => logs.lines().some((l) => l.msg === 'nothing handles this interactive payload: acked and ignored'),
      5000,
      'the last click handled',
    );
    await stillAnswers();
    const raw = logs.raw();
    // The bot logs at debug here: Bolt's own lines about each frame (which carry the frame) are in there too.
    expect(raw.some((l) => l.includes('Received a message on the WebSocket'))).toBe(true);
    for (const line of raw) expect(line.length, line.slice(0, 200)).toBeLessThan(8_000);
    // A vote for entries that do not exist is not recorded.
    expect((await recorded()).filter((r) => r.ids.some((id) => id.startsWith('vvv')))).toEqual([]);
  });
});

describe('the 👎 modal', () => {
  it("a forged private_metadata is not stored; the modal's own is, once", async () => {
    const user = 'U00000001';
    const { ack } = await b.fake.slashCommand({ text: 'ecs vs eks', user, channel: 'C0FORGE01' });
    const click = await clickFeedback(b, ack, 'down', { user, channel: 'C0FORGE01' });
    const open = await b.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    const view = open.args.view;
    const genuine = JSON.parse(view.private_metadata) as Record<string, unknown>;
    const input = view.blocks.find((x: any) => x.type === 'input');
    const say = (text: string) => ({ [input.block_id]: { [input.element.action_id]: { type: 'plain_text_input', value: text } } });

    const forged: [string, string, string?][] = [
      ['another record id', JSON.stringify({ ...genuine, id: '00000000-0000-4000-8000-000000000000' })],
      ['another query', JSON.stringify({ ...genuine, q: 'what about sqs' })],
      ['other entries', JSON.stringify({ ...genuine, ids: ['sqs'] })],
      ['unknown entries', JSON.stringify({ ...genuine, ids: ['no-such-entry'] })],
      ['no seal', JSON.stringify({ ...genuine, k: undefined })],
      ['a number for an id', JSON.stringify({ ...genuine, id: 5 })],
      ['a 3,000-character query', JSON.stringify({ ...genuine, q: 'q'.repeat(3000) })],
      ['not JSON', 'x'.repeat(2900)],
      ['the genuine one, sent by someone else', JSON.stringify(genuine), 'U00000002'],
    ];
    const logs = logMark();
    for (const [what, privateMetadata, by] of forged) {
      const ackOf = await b.fake.viewSubmission({
        callbackId: views.feedbackReason,
        privateMetadata,
        user: by ?? user,
        values: say(`forged: ${what}`),
      });
      expect(ackOf, what).toBeDefined(); // acked: the modal closes
    }
    await b.fake.waitFor(() => warnings(logs.lines()).length >= forged.length, 5000, 'a warning for each forged metadata');
    expect(errors(logs.lines())).toEqual([]);

    await b.fake.viewSubmission({
      callbackId: views.feedbackReason,
      viewId: open.response.view.id,
      user,
      values: say('how to choose for a small team'),
    });
    let reasons: string[] = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      reasons = (await recorded()).flatMap((r) => (r.reason ? [r.reason] : []));
      if (reasons.includes('how to choose for a small team')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(reasons).toContain('how to choose for a small team');
    expect(reasons.filter((r) => r.startsWith('forged'))).toEqual([]);
  });
});

describe('odd frames on the socket', () => {
  it('a JSON null frame and an events_api envelope without an event: logged at warn, the connection kept, the next question answered', async () => {
    const opened = b.fake.connectionsOpened;
    const logs = logMark();
    await b.fake.sendFrame(null);
    const { ack } = await b.fake.sendFrame({
      envelope_id: 'bad-envelope-1',
      type: 'events_api',
      payload: { type: 'event_callback', event_id: 'Ev0BAD0001' },
      accepts_response_payload: false,
      retry_attempt: 0,
    });
    expect(ack).toEqual({}); // acked, so Slack would not send it again
    await b.fake.sendFrame('{"type": "events_api", "envelope_id": ', { text: true });
    await stillAnswers();
    const m = await b.fake.mention({ text: 'sns', channel: 'C0FRAME01' });
    await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FRAME01' && c.args.thread_ts === m.ts);
    expect(b.fake.connectionsOpened).toBe(opened); // the same connection
    expect(warnings(logs.lines()).map((l) => l.msg)).toEqual([
      'Socket Mode frame ignored: not a JSON object',
      'Socket Mode frame ignored: an events_api envelope without an event',
      'Socket Mode frame ignored: not JSON',
    ]);
    expect(errors(logs.lines())).toEqual([]);
  });
});

describe('events without a channel', () => {
  it('a mention and a DM without a channel are ignored with one debug line each, nothing at warn or error', async () => {
    const logs = logMark();
    const ts = newTs();
    await b.fake.event({ type: 'app_mention', user: 'U00000001', text: '<@UBOT0001> sqs', ts, event_ts: ts });
    await b.fake.event({ type: 'message', channel_type: 'im', user: 'U00000001', text: 'sqs', ts: newTs() });
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0NOCHAN1' });
    await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0NOCHAN1' && c.args.thread_ts === m.ts);
    expect(logs.lines().filter((l) => l.level >= levels.warn)).toEqual([]);
    expect(logs.lines().filter((l) => l.msg === 'an event without a channel: ignored')).toHaveLength(2);
    expect(b.fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.channel)).toEqual([]);
  });
});
