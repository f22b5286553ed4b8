/**
 * Every card the bot can send stays within Slack's Block Kit limits (checked by the fake Slack's own checker),
 * a user's text is shown escaped, and rendering is pure.
 */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/index.js';
import { loadCore } from '../../src/loadCore.js';
import type { Entry } from '../../src/knowledge/schema.js';
import type { Message, RenderOptions } from '../../src/render/index.js';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { checkMessageLimits } from '../support/fake-slack.js';
import { texts } from '../support/blocks.js';

const core = loadCore();
const { kb, render } = core;

/** The card of one entry, as a button opens it. */
const card = (id: string, opts: RenderOptions = {}): Message | undefined => {
  const a = core.answer.show([id]);
  return a && render.answer(a, opts);
};

const optionSets: RenderOptions[] = [{}, { share: true, feedback: true }];

function entry(id: string): Entry {
  const e = kb.byId.get(id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

function expectWithinLimits(msg: Message | undefined, what: string): void {
  expect(msg, what).toBeDefined();
  expect(checkMessageLimits(msg as unknown as Record<string, unknown>), what).toEqual([]);
  expect(msg!.text.trim(), `${what}: fallback text`).not.toBe('');
  expect(msg!.blocks.length, `${what}: blocks`).toBeGreaterThan(0);
}

const compareAnswer = (a: string, b: string, query = `${a} vs ${b}`): Answer => ({
  kind: 'compare',
  query,
  results: [
    { entry: entry(a), score: 1 },
    { entry: entry(b), score: 1 },
  ],
  suggestions: [],
  facts: [],
});

const noneAnswer = (query: string, suggestions: string[] = []): Answer => ({
  kind: 'none',
  query,
  results: [],
  suggestions: suggestions.map(entry),
  facts: [],
});

describe('every card is within Block Kit limits', () => {
  it('the card of every entry of the knowledge base, with and without extras', () => {
    expect(kb.entries.length).toBeGreaterThan(100);
    for (const e of kb.entries)
      for (const opts of optionSets) {
        const msg = card(e.id, opts);
        expectWithinLimits(msg, `${e.id} ${JSON.stringify(opts)}`);
        expect(msg!.text).toContain(escapeMrkdwn(e.name));
        const head = msg!.blocks[0];
        expect(head?.type === 'header' && head.text.text).toBe(e.name.slice(0, 150));
      }
  });

  it("the fallback text is mrkdwn too: the knowledge's own &, < and > are escaped there as in the blocks", () => {
    const raw: string[] = [];
    for (const e of kb.entries) {
      const text = card(e.id)!.text;
      if (/&(?!amp;|lt;|gt;)|[<>]/.test(text.replace(/<https:[^>|]+\|[^>]+>/g, ''))) raw.push(`${e.id}: ${text.slice(0, 60)}`);
    }
    expect(raw).toEqual([]);
  });

  it('an unknown id is no card', () => {
    expect(card('no-such-entry')).toBeUndefined();
  });

  it('comparisons of services, and of mixed kinds', () => {
    const pairs: [string, string][] = [
      ['ecs', 'eks'],
      ['rds', 'aurora'],
      ['cloudwatch', 'cloudtrail'],
      ['sqs', 'sns'],
      ['ec2', 'lambda'],
      ['vpc', 'elb'],
      ['category-databases', 'dynamodb'],
      ['practice-security', 'pattern-serverless-api'],
      ['top-10', 'cheat-sheet'],
    ];
    for (const [a, b] of pairs)
      for (const opts of optionSets) {
        const msg = render.answer(compareAnswer(a, b), opts);
        expectWithinLimits(msg, `${a} vs ${b}`);
        const head = msg.blocks[0];
        expect(head?.type === 'header' && head.text.text).toContain(' vs ');
      }
  });

  it('comparisons as the answer function gives them', () => {
    for (const q of ['ecs vs eks', 'rds or aurora', 'difference between s3 and efs']) {
      const a = core.answer.ask(q);
      expect(a.kind).toBe('compare');
      expectWithinLimits(render.answer(a, { share: true, feedback: true }), q);
    }
  });

  it('the help card, alone and as an answer', () => {
    const help = render.help();
    expectWithinLimits(help, 'help');
    const all = texts(help.blocks).join('\n');
    expect(all).toContain('/aws');
    expect(render.answer(core.answer.ask('help'))).toEqual(help);
  });

  it('a tip card for every tip, with both headings', () => {
    expect(kb.tips.length).toBeGreaterThan(0);
    for (const t of kb.tips)
      for (const heading of [undefined, 'Tip']) {
        const msg = render.tip(t, heading);
        expectWithinLimits(msg, `tip ${t.id}`);
        expect(msg.text).toContain(t.text);
      }
  });

  it('no-answer replies: empty, plain, with suggestions, with extras', () => {
    const cases: Answer[] = [
      noneAnswer(''),
      noneAnswer('   '),
      noneAnswer('tell me a joke'),
      noneAnswer('queue thing', ['sqs', 'sns', 'eventbridge']),
      core.answer.ask('what is the weather like'),
      core.answer.ask('asdkjhqwe'),
    ];
    for (const a of cases)
      for (const opts of optionSets) {
        const msg = render.answer(a, opts);
        expectWithinLimits(msg, `none ${JSON.stringify(a.query)}`);
        expect(msg.blocks.some((b) => b.type === 'section')).toBe(true);
      }
  });

  it('suggestions appear as buttons', () => {
    const msg = render.answer(noneAnswer('queue thing', ['sqs', 'sns']));
    const labels = texts(msg.blocks);
    expect(labels).toContain('Amazon SQS');
    expect(labels).toContain('Amazon SNS');
    expect(msg.text).toContain('Amazon SQS');
  });
});

describe("a user's text is escaped", () => {
  const nasty = 'tell me about <!channel> and <@U123> & <b>bold</b> <https://evil.example|click>';

  for (const [name, a] of [
    ['a no-answer reply', () => noneAnswer(nasty)],
    ['a no-answer reply with suggestions', () => noneAnswer(nasty, ['sqs'])],
    ['the answer function’s reply', () => core.answer.ask(nasty)],
  ] as const) {
    it(name, () => {
      const ans = a();
      for (const opts of optionSets) {
        const msg = render.answer(ans, opts);
        expectWithinLimits(msg, name);
        const all = texts(msg.blocks);
        for (const t of all) {
          expect(t).not.toContain('<!channel>');
          expect(t).not.toContain('<@U123>');
          expect(t).not.toContain('<b>');
          expect(t).not.toContain('<https://evil.example');
        }
        if (ans.kind === 'none') {
          const quoted = all.find((t) => t.includes('channel'));
          expect(quoted).toBeDefined();
          expect(quoted).toContain('&lt;!channel&gt;');
          expect(quoted).toContain('&lt;@U123&gt;');
          expect(quoted).toContain('&amp;');
          expect(quoted).toContain('&lt;b&gt;');
          // Every & in the quoted text is an entity: nothing the user typed can form one.
          expect(quoted!.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        }
      }
    });
  }
});

describe('long input', () => {
  const long = 'how do I use amazon sqs for ' + 'x'.repeat(4000);

  it('a 4,000-character query gives a normal reply within limits', () => {
    expect(long.length).toBeGreaterThan(4000);
    const a = core.answer.ask(long);
    for (const opts of optionSets) {
      const msg = render.answer(a, opts);
      expectWithinLimits(msg, 'long query');
      for (const t of texts(msg.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    }
  });

  it('a 4,000-character query with no answer quotes it cut short', () => {
    const q = 'zq'.repeat(2000);
    for (const opts of optionSets) {
      const msg = render.answer(noneAnswer(q), opts);
      expectWithinLimits(msg, 'long none');
      const joined = texts(msg.blocks).join('\n');
      expect(joined).toContain('…');
      expect(joined).not.toContain(q);
      expect(msg.text.length).toBeLessThanOrEqual(3000);
    }
  });

  it('a 4,000-character run of markup is escaped and cut', () => {
    const q = '<!channel>'.repeat(400);
    const msg = render.answer(noneAnswer(q), { share: true, feedback: true });
    expectWithinLimits(msg, 'long markup');
    for (const t of texts(msg.blocks)) expect(t).not.toContain('<!channel>');
  });
});

describe('rendering is pure', () => {
  it('the same input gives deep-equal output, and the input is not changed', () => {
    const answers: Answer[] = [
      core.answer.ask('sqs'),
      core.answer.ask('ecs vs eks'),
      core.answer.ask('databases'),
      core.answer.ask('tell me a joke'),
      noneAnswer('queue thing', ['sqs']),
    ];
    for (const a of answers)
      for (const opts of optionSets) {
        const before = structuredClone(a);
        const one = render.answer(a, opts);
        const two = render.answer(a, opts);
        expect(two).toEqual(one);
        expect(one).not.toBe(two);
        expect(a).toEqual(before);
      }
    for (const e of kb.entries.slice(0, 20)) expect(card(e.id)).toEqual(card(e.id));
    const tip = kb.tips[0]!;
    expect(render.tip(tip)).toEqual(render.tip(tip));
    expect(render.help()).toEqual(render.help());
  });

  it('a renderer over the same knowledge, built again, renders the same', async () => {
    const { createRenderer } = await import('../../src/render/index.js');
    const again = createRenderer(kb);
    expect(again.answer(core.answer.ask('lambda'))).toEqual(render.answer(core.answer.ask('lambda')));
  });
});
