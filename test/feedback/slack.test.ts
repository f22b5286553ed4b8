/**
 * Feedback through the real bot and the fake Slack: Slack's own 👍/👎 (feedback buttons), acknowledged to the voter
 * alone (the message stays as it is for everyone else) and counted once per person, the
 * 👎 "what was missing?" modal and its reason, unanswered questions and "Suggest this topic", `/aws stats` for
 * ADMIN_USERS only, and FEEDBACK=off (no buttons, nothing recorded). What was recorded is read from the bot's
 * state (DATA_DIR/state.db), as `npm run report` reads it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackLog, type FeedbackRecord } from '../../src/feedback/store.js';
import { createLogger } from '../../src/logger.js';
import { actions as ids, views } from '../../src/ids.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';
import { checkMessageLimits } from '../support/fake-slack.js';
import { texts } from '../support/blocks.js';
import {
  actionIds,
  clickEphemeral,
  clickFeedback,
  clickPosted,
  feedbackIn,
  headerOf,
  noAnswerQuery as noAnswerQueryOf,
  waitForPost,
} from '../support/ui.js';
import { thanksVoteAgain } from '../../src/render/feedback.js';

const core = getCore();
const quiet = createLogger({ level: 'silent' });
/** The feedback records in the bot's state file now (a fresh read, as `npm run report` does). */
async function recorded(b: StartedBot): Promise<FeedbackRecord[]> {
  const store = new SqliteStore({ dir: b.config.dataDir, log: quiet });
  try {
    return await new FeedbackLog({ store, retentionDays: b.config.feedback.retentionDays }).records();
  } finally {
    await store.close();
  }
}

/** Everything the bot stored in DATA_DIR/state.db, one row a line: the key, then the value. */
function storedRows(b: StartedBot): string {
  const db = new Database(join(b.config.dataDir, 'state.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT key || ' ' || value FROM kv UNION ALL SELECT key || ' ' || member FROM sets UNION ALL SELECT key || ' ' || value FROM lists UNION ALL SELECT key FROM claims UNION ALL SELECT key || ' ' || field FROM counters",
      )
      .pluck()
      .all() as string[];
    return rows.join('\n');
  } finally {
    db.close();
  }
}

/** Polls the records until `pred` holds (writes follow the reply), then returns them. */
async function recordsWhen(b: StartedBot, pred: (rs: FeedbackRecord[]) => boolean, what: string): Promise<FeedbackRecord[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rs = await recorded(b);
    if (pred(rs)) return rs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; records: ${JSON.stringify(rs)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const noAnswerQuery = (): string => noAnswerQueryOf(core);

const votesOn = (rs: FeedbackRecord[], query: string, surface?: string) =>
  rs.filter((r) => r.type === 'vote' && r.query === query && (surface === undefined || r.surface === surface));

// ---------------------------------------------------------------------------------------------------------------

describe('feedback (FEEDBACK on, ADMIN_USERS=U00000002)', () => {
  let b: StartedBot;

  beforeAll(async () => {
    b = await startBot({ env: { ADMIN_USERS: 'U00000002' } });
  }, 30_000);

  afterEach(() => {
    expect(b.fake.blockViolations).toEqual([]);
    for (const e of b.fake.envelopes)
      if (e.ack && (e.ack.blocks !== undefined || e.ack.text !== undefined)) expect(checkMessageLimits(e.ack)).toEqual([]);
  });

  afterAll(async () => {
    await b?.stop();
  }, 30_000);

  it('👍 on a mention reply: thanks to the voter alone, the message stays as it is for the next person; one vote per person, two people two votes', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0FBVOTE1' });
    const post = await waitForPost(b, 'C0FBVOTE1', m.ts);
    // Slack's own feedback buttons, each carrying the vote, the question and the entries shown.
    const fb = feedbackIn(post.args.blocks)!;
    expect(fb.action_id).toBe(ids.feedback);
    expect(JSON.parse(fb.up)).toEqual({ v: 'up', q: 'sqs', ids: ['sqs'] });
    expect(JSON.parse(fb.down)).toEqual({ v: 'down', q: 'sqs', ids: ['sqs'] });

    const thanks = (user: string) =>
      b.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C0FBVOTE1' && c.args.user === user);
    await clickFeedback(b, post, 'up', { user: 'U00000001' });
    await b.fake.waitFor(() => thanks('U00000001').length === 1, 5000, 'the thanks to the voter');
    // Only the voter sees it, in the thread of the card.
    expect(thanks('U00000001')[0]!.args).toMatchObject({ thread_ts: m.ts, text: 'Thanks — noted.' });
    expect(thanks('U00000001')[0]!.response.ok).toBe(true);
    expect(b.fake.calls.filter((c) => c.method === 'views.open')).toHaveLength(0); // 👍 opens no modal

    let rs = await recordsWhen(b, (x) => votesOn(x, 'sqs', 'mention').length === 1, 'the first vote');
    expect(votesOn(rs, 'sqs', 'mention')[0]).toMatchObject({ type: 'vote', vote: 'up', ids: ['sqs'], surface: 'mention' });

    // The same person again, 👍 then 👎: told it counts once, not counted again, no modal.
    await clickFeedback(b, post, 'up', { user: 'U00000001' });
    await clickFeedback(b, post, 'down', { user: 'U00000001' });
    await b.fake.waitFor(() => thanks('U00000001').length === 3, 5000, 'two more notes to the voter');
    expect(
      thanks('U00000001')
        .slice(1)
        .map((c) => c.args.text),
    ).toEqual([thanksVoteAgain, thanksVoteAgain]);
    expect(b.fake.calls.filter((c) => c.method === 'views.open')).toHaveLength(0);
    rs = await recorded(b);
    expect(votesOn(rs, 'sqs', 'mention')).toHaveLength(1);

    // The message as everyone sees it now: untouched, its buttons still there for the next person.
    expect(b.fake.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'C0FBVOTE1')).toEqual([]);
    const now = b.fake.messages.find((x) => x.channel === 'C0FBVOTE1' && x.ts === post.response.ts)!;
    expect(now.edited).toBe(false);
    expect(feedbackIn(now.blocks)).toEqual(fb);

    // Someone else votes on it as it is: their own thanks, a second vote.
    await clickFeedback(b, post, 'up', { user: 'U00000002' });
    await b.fake.waitFor(() => thanks('U00000002').length === 1, 5000, 'the second person’s thanks');
    expect(thanks('U00000002')[0]!.args.text).toBe('Thanks — noted.');
    rs = await recordsWhen(b, (x) => votesOn(x, 'sqs', 'mention').length === 2, 'the second person’s vote');
    const users = votesOn(rs, 'sqs', 'mention').map((r) => r.user);
    expect(new Set(users).size).toBe(2);
    // Hashed: no Slack user id anywhere in what is stored.
    const stored = storedRows(b);
    expect(stored).toContain('feedback:log');
    for (const line of stored.split('\n').filter((l) => l.includes('feedback:log'))) expect(line).not.toMatch(/U0000000[12]/);
  });

  it('👎 on an ephemeral /aws card: the modal opened, a private thanks (the card not replaced), the reason stored with the vote', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'ecs vs eks', user: 'U00000001', channel: 'C0FBDOWN1' });
    const click = await clickFeedback(b, ack, 'down', { user: 'U00000001', channel: 'C0FBDOWN1' });

    const open = await b.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
    expect(open.response.ok).toBe(true);
    const view = open.args.view;
    expect(view.callback_id).toBe(views.feedbackReason);
    expect(view.type).toBe('modal');
    const input = view.blocks.find((x: any) => x.type === 'input');
    expect(input).toMatchObject({ optional: true, element: { type: 'plain_text_input' } });
    expect(texts(view.blocks).join(' ')).toContain('What was missing?');

    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'Thanks — noted.' });
    expect(b.fake.responses.filter((x) => x.url === click.responseUrl)).toHaveLength(1); // the card itself is left as it is

    let rs = await recordsWhen(b, (x) => votesOn(x, 'ecs vs eks').length === 1, 'the 👎');
    expect(votesOn(rs, 'ecs vs eks')[0]).toMatchObject({ vote: 'down', surface: 'slash' });
    expect(votesOn(rs, 'ecs vs eks')[0]!.reason).toBeUndefined();

    await b.fake.viewSubmission({
      callbackId: views.feedbackReason,
      viewId: open.response.view.id,
      user: 'U00000001',
      values: { [input.block_id]: { [input.element.action_id]: { type: 'plain_text_input', value: 'how to pick between them for a small team' } } },
    });
    rs = await recordsWhen(b, (x) => votesOn(x, 'ecs vs eks')[0]?.reason !== undefined, 'the reason');
    expect(votesOn(rs, 'ecs vs eks')).toHaveLength(1); // still one vote, now with its reason
    expect(votesOn(rs, 'ecs vs eks')[0]).toMatchObject({ vote: 'down', reason: 'how to pick between them for a small team', surface: 'slash' });
    expect(votesOn(rs, 'ecs vs eks')[0]!.ids).toEqual(core.answer.ask('ecs vs eks').results.map((x) => x.entry.id));
  });

  it('a card in a modal (opened from App Home) carries 👍/👎 as plain buttons; a vote there becomes "Thanks — noted" in the modal', async () => {
    const home = await b.fake.blockAction({
      actionId: 'open_entry:sqs',
      value: 'sqs',
      user: 'U00000001',
      container: { type: 'view', view_id: 'VHOME0001' },
    });
    const open = await b.fake.waitForCall('views.open', (c) => c.args.trigger_id === home.triggerId);
    const modal = open.response.view;
    expect(feedbackIn(modal.blocks)).toBeUndefined();
    expect(actionIds(modal.blocks)).toEqual(expect.arrayContaining([ids.feedbackUp, ids.feedbackDown]));
    await b.fake.blockAction({ actionId: ids.feedbackUp, user: 'U00000001', container: { type: 'view', view_id: modal.id } });
    const update = await b.fake.waitForCall('views.update', (c) => c.args.view_id === modal.id);
    expect(update.response.ok).toBe(true);
    expect(actionIds(update.args.view.blocks)).not.toContain(ids.feedbackUp);
    expect(texts(update.args.view.blocks)).toContain('Thanks — noted.');
    expect(headerOf(update.args.view.blocks)).toBe('Amazon SQS');
  });

  it('a no-answer reply is recorded as unanswered; "Suggest this topic" records a request and says thanks in place', async () => {
    const q = noAnswerQuery();
    const { ack } = await b.fake.slashCommand({ text: q, user: 'U00000001', channel: 'C0FBNONE1' });
    expect(actionIds(ack.blocks)).toContain(ids.suggestTopic);
    expect(actionIds(ack.blocks)).not.toContain(ids.feedbackUp); // no 👍/👎 on a no-answer reply
    let rs = await recordsWhen(b, (x) => x.some((r) => r.type === 'unanswered' && r.query === q), 'the unanswered question');
    expect(rs.find((r) => r.type === 'unanswered' && r.query === q)).toMatchObject({ surface: 'slash', ids: [] });

    const click = await clickEphemeral(b, ack, ids.suggestTopic, 'C0FBNONE1');
    const r = await b.fake.waitForResponse((x) => x.url === click.responseUrl);
    expect(r.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(r.body.text).toContain('Thanks — noted');
    rs = await recordsWhen(b, (x) => x.some((r) => r.type === 'suggest' && r.query === q), 'the topic request');

    // In a DM: recorded with its surface; the request acknowledged by editing the reply.
    const dm = await b.fake.dm({ text: q, user: 'U00000002' });
    const post = await waitForPost(b, dm.channel);
    await clickPosted(b, post, ids.suggestTopic, 'U00000002');
    const note = await b.fake.waitForCall('chat.postEphemeral', (c) => c.args.channel === dm.channel && c.args.user === 'U00000002');
    expect(note.args.text).toContain('Thanks — noted');
    expect(b.fake.calls.filter((c) => c.method === 'chat.update' && c.args.ts === post.response.ts)).toEqual([]);
    rs = await recordsWhen(
      b,
      (x) =>
        x.filter((r) => r.type === 'suggest' && r.query === q).length === 2 && x.filter((r) => r.type === 'unanswered' && r.query === q).length === 2,
      'the DM recorded and its request',
    );
    expect(
      rs
        .filter((r) => r.type === 'unanswered' && r.query === q)
        .map((r) => r.surface)
        .sort(),
    ).toEqual(['dm', 'slash']);
  });

  it('/aws stats: a polite refusal for everyone not in ADMIN_USERS, the summary (ephemeral) for an admin', async () => {
    const refused = await b.fake.slashCommand({ text: 'stats', user: 'U00000001', channel: 'C0FBSTAT1' });
    expect(refused.ack.response_type).toBe('ephemeral');
    expect(refused.ack.text).toMatch(/only for the maintainers/);
    expect(headerOf(refused.ack.blocks)).toBeUndefined();
    expect(JSON.stringify(refused.ack)).not.toContain(noAnswerQuery());

    const shown = await b.fake.slashCommand({ text: 'stats', user: 'U00000002', channel: 'C0FBSTAT1' });
    expect(shown.ack.response_type).toBe('ephemeral');
    expect(headerOf(shown.ack.blocks)).toBe('AWS Guide: feedback');
    const all = texts(shown.ack.blocks).join('\n');
    expect(all).toContain(noAnswerQuery()); // the unanswered question of the test before
    expect(all).toContain('how to pick between them for a small team'); // the 👎 reason
    expect(all).toMatch(/Answer rate by surface/);
    expect(all).toMatch(/\/aws: \d+% \(\d+\/\d+\)/);
    expect(checkMessageLimits(shown.ack)).toEqual([]);
  });
});

describe('FEEDBACK=off', () => {
  let b: StartedBot;

  beforeAll(async () => {
    b = await startBot({ env: { FEEDBACK: 'off' } });
  }, 30_000);

  afterAll(async () => {
    await b?.stop();
  }, 30_000);

  it('no feedback buttons on any reply, and nothing recorded', async () => {
    const q = noAnswerQuery();
    const answer = await b.fake.slashCommand({ text: 'sqs', channel: 'C0FBOFF01' });
    expect(headerOf(answer.ack.blocks)).toBe('Amazon SQS');
    const none = await b.fake.slashCommand({ text: q, channel: 'C0FBOFF01' });
    const m = await b.fake.mention({ text: 'lambda', channel: 'C0FBOFF01' });
    const post = await waitForPost(b, 'C0FBOFF01', m.ts);
    const dm = await b.fake.dm({ text: q });
    const dmPost = await waitForPost(b, dm.channel);
    for (const blocks of [answer.ack.blocks, none.ack.blocks, post.args.blocks, dmPost.args.blocks]) {
      expect(feedbackIn(blocks)).toBeUndefined();
      const a = actionIds(blocks);
      expect(a).not.toContain(ids.feedbackUp);
      expect(a).not.toContain(ids.feedbackDown);
      expect(a).not.toContain(ids.suggestTopic);
    }
    // A feedback button left on an old card is acknowledged, and nothing more.
    const old = await b.fake.blockAction({ actionId: ids.feedbackDown, value: JSON.stringify({ q: 'sqs', ids: ['sqs'] }), channel: 'C0FBOFF01' });
    expect(old.ack).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(b.fake.calls.filter((c) => c.method === 'views.open' || c.method === 'chat.update' || c.method === 'chat.postEphemeral')).toHaveLength(0);
    expect(await recorded(b)).toEqual([]);
    expect(storedRows(b)).not.toContain('feedback:');
  });
});
