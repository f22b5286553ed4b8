/**
 * A service card's depth and a thread review as rendered: every view of every service and a review of every service
 * within Slack's Block Kit limits (the fake Slack's own checker), each view showing exactly the facts of its types,
 * "Compare with…" led by the services the card's choice facts weigh it against, and the 👍/👎 as Slack's feedback
 * buttons (plain buttons in a modal).
 */
import { describe, expect, it } from 'vitest';
import { loadCore } from '../../src/loadCore.js';
import { actions as ids } from '../../src/ids.js';
import type { Service } from '../../src/knowledge/schema.js';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { comparedWith, depthFacts, depthViews, maxDepthFacts, parseCompareValue } from '../../src/render/depth.js';
import { maxReviewed, parsePostReviewValue } from '../../src/render/review.js';
import { checkMessageLimits, checkViewLimits } from '../support/fake-slack.js';
import { texts } from '../support/blocks.js';

const core = loadCore();
const { kb, render } = core;
const services = kb.entries.filter((e): e is Service => e.kind === 'service');
const show = (id: string) => core.answer.show([id])!;

describe('depth views', () => {
  it('every view of every service, with and without extras, is within Block Kit limits', () => {
    let views = 0;
    for (const s of services) {
      for (const view of depthViews) {
        for (const opts of [{}, { feedback: true, back: s.id }]) {
          const m = render.depth(show(s.id), view, opts);
          expect(checkMessageLimits(m as never), `${s.id} ${view}`).toEqual([]);
          expect(m.text.trim()).not.toBe('');
          views += 1;
        }
      }
    }
    expect(views).toBe(services.length * 6);
  });

  it('a view shows the facts of its types, most asked first, each with its page and date; pitfalls lead with the senior focus', () => {
    const sqs = kb.byId.get('sqs') as Service;
    const limits = render.depth(show('sqs'), 'limits');
    const shown = texts(limits.blocks).join('\n');
    const facts = depthFacts(kb, 'sqs', 'limits');
    expect(facts.every((f) => f.type === 'limit' || f.type === 'default')).toBe(true);
    for (const f of facts.slice(0, maxDepthFacts)) expect(shown).toContain(escapeMrkdwn(f.answer));
    expect(shown).toContain(`<${facts[0]!.source}|AWS documentation>, checked ${facts[0]!.checked}`);
    for (const f of kb.factsByEntry.get('sqs')!.filter((x) => x.type === 'howto')) expect(shown).not.toContain(escapeMrkdwn(f.answer));

    const pitfalls = render.depth(show('sqs'), 'pitfalls');
    expect(texts(pitfalls.blocks)[1]).toContain('What a senior engineer watches');
    expect(texts(pitfalls.blocks).join('\n')).toContain(escapeMrkdwn(sqs.senior_focus[0]!));
    const error = depthFacts(kb, 'sqs', 'pitfalls').find((f) => f.type === 'error')!;
    expect(texts(pitfalls.blocks).join('\n')).toContain(`\`${error.errors[0]}\``);
  });

  it('a service card carries its depth row; the buttons say how much each view holds, an empty view has none', () => {
    for (const s of services) {
      const m = render.answer(show(s.id));
      const row = m.blocks.find((b) => b.block_id === 'depth');
      const n = depthFacts(kb, s.id, 'limits').length;
      const limits = row?.type === 'actions' ? row.elements.find((e) => 'action_id' in e && e.action_id === ids.depthLimits) : undefined;
      if (n) expect(limits && 'text' in limits && limits.text?.text, s.id).toBe(`Limits (${n})`);
      else expect(limits, s.id).toBeUndefined();
    }
  });

  it('"Compare with…": the choice facts\' services first, then the related ones; its values read back', () => {
    const aurora = kb.byId.get('aurora') as Service;
    const compared = comparedWith(kb, aurora);
    const versus = kb.factsByEntry
      .get('aurora')!
      .filter((f) => f.type === 'choice')
      .flatMap((f) => f.versus);
    expect(compared.slice(0, new Set(versus).size)).toEqual([...new Set(versus)]);
    for (const id of aurora.related.filter((r) => kb.byId.get(r)?.kind === 'service').slice(0, 3)) expect(compared).toContain(id);
    expect(parseCompareValue('aurora rds')).toEqual(['aurora', 'rds']);
    for (const bad of ['aurora', 'aurora aurora', 'Aurora rds', 'aurora rds x', '']) expect(parseCompareValue(bad), bad).toBeUndefined();
  });
});

describe('feedback buttons', () => {
  it("an answer's 👍/👎 are one feedback_buttons element in a context_actions block; in a modal, two plain buttons", () => {
    const m = render.answer(core.answer.ask('max message size in sqs'), { feedback: true });
    const block = m.blocks.find((b) => b.type === 'context_actions');
    expect(block).toMatchObject({ type: 'context_actions', elements: [{ type: 'feedback_buttons', action_id: ids.feedback }] });
    expect(m.blocks.at(-1)).toBe(block);
    const modal = render.modal(m);
    expect(checkViewLimits(modal)).toEqual([]);
    expect(modal.blocks.some((b) => b.type === 'context_actions')).toBe(false);
    const plain = (modal.blocks as any[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));
    const up = plain.find((e) => 'action_id' in e && e.action_id === ids.feedbackUp);
    expect(up && 'value' in up && JSON.parse(up.value!)).toEqual({ q: 'max message size in sqs', ids: ['sqs'] });
  });
});

describe('thread reviews', () => {
  it('a review of each service, and of the most a review shows, is within Block Kit limits', () => {
    for (const s of services)
      expect(checkMessageLimits(render.review({ ids: [s.id], post: { channel: 'C0REVIEW1', threadTs: '1.2' } }) as never), s.id).toEqual([]);
    const many = render.review({ ids: services.map((s) => s.id), partial: true, post: { channel: 'C0REVIEW1', threadTs: '1.2' } });
    expect(checkMessageLimits(many as never)).toEqual([]);
    expect(texts(many.blocks).join('\n')).toContain('Also mentioned:');
    const post = many.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e) => 'action_id' in e && e.action_id === ids.postReview);
    expect(parsePostReviewValue(post && 'value' in post ? post.value : undefined)?.ids).toHaveLength(maxReviewed);
  });

  it('no service: one short line; the shared copy has no "Post in thread" and says who shared it', () => {
    expect(render.review({ ids: [] })).toMatchObject({ text: 'No AWS service mentioned here.' });
    const shared = render.review({ ids: ['sqs', 'lambda'], sharedBy: 'U0SHARER1' });
    expect(texts(shared.blocks).join('\n')).toContain('Shared by <@U0SHARER1>');
    expect(JSON.stringify(shared.blocks)).not.toContain(ids.postReview);
  });

  it('"Post in thread" values read back only in the shape the bot writes', () => {
    expect(parsePostReviewValue(JSON.stringify({ c: 'C123', t: '1700000000.000100', ids: ['sqs'] }))).toEqual({
      channel: 'C123',
      threadTs: '1700000000.000100',
      ids: ['sqs'],
    });
    for (const bad of [
      'x',
      JSON.stringify({ c: 'U123', t: '1.2', ids: [] }),
      JSON.stringify({ c: 'C123', t: 'now', ids: [] }),
      JSON.stringify({ c: 'C123', t: '1.2', ids: ['Bad id'] }),
    ]) {
      expect(parsePostReviewValue(bad), bad).toBeUndefined();
    }
  });
});
