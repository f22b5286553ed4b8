/**
 * A service card's depth, through the real bot and the fake Slack: Limits, How-to, Pitfalls and "Compare with…" on
 * the card; on a card only the clicker sees (an ephemeral `/aws` card, a DM) the view is drawn in place of the card
 * and "Back to the overview" is one click; on a card posted in a channel the view goes into its thread and the card
 * stays. Every view is logged as an answer (surface `button`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actions as ids } from '../../src/ids.js';
import { depthFacts } from '../../src/render/depth.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';
import { checkMessageLimits } from '../support/fake-slack.js';
import { texts } from '../support/blocks.js';
import { actionIds, buttonIn, clickEphemeral, clickPosted, headerOf, newTs, selectOptions, waitForPost } from '../support/ui.js';

const core = getCore();
let b: StartedBot;

beforeAll(async () => {
  b = await startBot();
}, 30_000);

afterEach(() => {
  expect(b.fake.blockViolations).toEqual([]);
  for (const e of b.fake.envelopes)
    if (e.ack && (e.ack.blocks !== undefined || e.ack.text !== undefined)) expect(checkMessageLimits(e.ack)).toEqual([]);
});

afterAll(async () => {
  await b?.stop();
}, 30_000);

const answered = (depth?: string) => b.logs().filter((l) => l.msg === 'answered' && (depth === undefined || l.depth === depth));
const firstLimit = depthFacts(core.kb, 'sqs', 'limits')[0]!;

describe('depth on a card only the clicker sees', () => {
  it('/aws sqs → Limits: the same message becomes the limits, with their sources; "Back to the overview" brings the card back', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'sqs', channel: 'C0DEPTH01' });
    expect(headerOf(ack.blocks)).toBe('Amazon SQS');
    const limits = buttonIn(ack.blocks, ids.depthLimits);
    expect(limits.text).toBe(`Limits (${depthFacts(core.kb, 'sqs', 'limits').length})`);
    expect(actionIds(ack.blocks)).toEqual(expect.arrayContaining([ids.depthHowto, ids.depthPitfalls]));

    const click = await clickEphemeral(b, ack, ids.depthLimits, 'C0DEPTH01');
    const view = await b.fake.waitForResponse((r) => r.url === click.responseUrl);
    expect(view.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(headerOf(view.body.blocks)).toBe('Amazon SQS: limits');
    const shown = texts(view.body.blocks).join('\n');
    expect(shown).toContain(firstLimit.answer.slice(0, 60));
    expect(shown).toContain(`<${firstLimit.source}|AWS documentation>, checked ${firstLimit.checked}`);
    // The other views are one click away, this one is not offered again, and the way back is there.
    expect(actionIds(view.body.blocks)).toEqual(expect.arrayContaining([ids.depthHowto, ids.depthPitfalls, ids.overview]));
    expect(actionIds(view.body.blocks)).not.toContain(ids.depthLimits);
    expect(answered('limits')).toMatchObject([{ surface: 'button', ids: ['sqs'], query: 'Amazon SQS: limits' }]);

    const back = await clickEphemeral(b, view.body, ids.overview, 'C0DEPTH01');
    const card = await b.fake.waitForResponse((r) => r.url === back.responseUrl);
    expect(card.body).toMatchObject({ replace_original: true });
    expect(headerOf(card.body.blocks)).toBe('Amazon SQS');
    expect(actionIds(card.body.blocks)).toEqual(expect.arrayContaining([ids.share, ids.depthLimits]));
  });

  it('"Compare with…" offers the services the card is weighed against, and draws the pair in place', async () => {
    const { ack } = await b.fake.slashCommand({ text: 'aurora', channel: 'C0DEPTH02' });
    const options = selectOptions(ack.blocks, ids.compareWith);
    // Its choice facts' services come first ("choose Aurora when… / RDS when…").
    expect(options[0]).toEqual({ text: 'Amazon RDS', value: 'aurora rds' });
    const pick = await b.fake.blockAction({
      actionId: ids.compareWith,
      channel: 'C0DEPTH02',
      container: { type: 'message', is_ephemeral: true, channel_id: 'C0DEPTH02', message_ts: newTs() },
      action: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: options[0]!.text }, value: options[0]!.value } },
    });
    const pair = await b.fake.waitForResponse((r) => r.url === pick.responseUrl);
    expect(pair.body).toMatchObject({ replace_original: true });
    expect(headerOf(pair.body.blocks)).toBe('Amazon Aurora vs Amazon RDS');
    expect(buttonIn(pair.body.blocks, ids.overview).value).toBe('aurora');
  });

  it('in a DM, a depth click redraws the same message (chat.update), nothing new is posted', async () => {
    const dm = await b.fake.dm({ text: 'sqs', user: 'U00000002' });
    const post = await waitForPost(b, dm.channel);
    const posts = () => b.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === dm.channel).length;
    expect(posts()).toBe(1);
    await clickPosted(b, post, ids.depthPitfalls, 'U00000002');
    const update = await b.fake.waitForCall('chat.update', (c) => c.args.channel === dm.channel && c.args.ts === post.response.ts);
    expect(update.response.ok).toBe(true);
    expect(headerOf(update.args.blocks)).toBe('Amazon SQS: pitfalls');
    expect(texts(update.args.blocks).join('\n')).toContain('What a senior engineer watches');
    expect(actionIds(update.args.blocks)).toContain(ids.overview);
    // What the person sees in the DM now: the pitfalls, in the card's place.
    const shown = b.fake.messages.find((m) => m.channel === dm.channel && m.ts === post.response.ts)!;
    expect(headerOf(shown.blocks)).toBe('Amazon SQS: pitfalls');
    expect(posts()).toBe(1);
  });
});

describe('depth on a card posted in a channel', () => {
  it('How-to goes into the card\'s thread; the card stays as it is for everyone, and the view has no "back"', async () => {
    const m = await b.fake.mention({ text: 'sqs', channel: 'C0DEPTH03' });
    const post = await waitForPost(b, 'C0DEPTH03', m.ts);
    await clickPosted(b, post, ids.depthHowto, 'U00000002');
    const view = await b.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0DEPTH03' && c.args.thread_ts === m.ts && c !== post);
    expect(headerOf(view.args.blocks)).toBe('Amazon SQS: how-to');
    expect(actionIds(view.args.blocks)).not.toContain(ids.overview);
    expect(b.fake.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'C0DEPTH03')).toEqual([]);
    expect(headerOf(b.fake.messages.find((x) => x.channel === 'C0DEPTH03' && x.ts === post.response.ts)!.blocks)).toBe('Amazon SQS');
  });
});
