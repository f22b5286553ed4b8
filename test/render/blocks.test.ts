/**
 * Cutting and quoting text as a reader sees it: a cut never leaves half a character (a lone surrogate shows as �),
 * half an emoji sequence, or half an `&amp;`; a person's words shown back keep their formatting marks as typed.
 */
import { describe, expect, it } from 'vitest';
import { quoteUser, truncate } from '../../src/render/blocks.js';

const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const graphemes = (s: string): string[] => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((x) => x.segment);

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('short 😀', 10)).toBe('short 😀');
  });

  it('never splits an emoji into lone surrogates, wherever the cut falls', () => {
    const text = 'ab😀cd😀ef😀gh😀';
    for (let max = 1; max < text.length; max++) {
      const cut = truncate(text, max);
      expect(cut, `max ${max}`).not.toMatch(lone);
      expect(cut.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(cut.endsWith('…'), `max ${max}`).toBe(true);
    }
  });

  it('keeps a family, a flag, a skin tone and an accented letter whole, or leaves them out whole', () => {
    const whole = ['👨‍👩‍👧‍👦', '🇫🇷', '👍🏽', 'é', '❤️'];
    const text = `x ${whole.join(' ')} ${whole.join('')} end`;
    const original = new Set(graphemes(text));
    for (let max = 2; max < text.length; max++) {
      const cut = truncate(text, max);
      expect(cut.length, `max ${max}`).toBeLessThanOrEqual(max);
      for (const g of graphemes(cut.slice(0, -1))) expect(original.has(g), `max ${max}: ${JSON.stringify(g)} is part of a character`).toBe(true);
    }
  });

  it('never cuts inside an entity of escaped text', () => {
    expect(truncate('pizza &amp; beer', 10)).toBe('pizza…');
    expect(truncate('a &lt;b&gt; c', 6)).toBe('a…');
  });
});

describe('quoteUser', () => {
  it("shows Slack's formatting marks as typed, never as formatting", () => {
    const q = quoteUser('use *bold* or _italic_, ~strike~, `code` and ```blocks```');
    expect(q).not.toMatch(/[*_~`]/);
    expect(q).toMatch(/^use ∗bold∗ or ˍitalicˍ, ∼strike∼, ˋcodeˋ and ˋˋˋblocksˋˋˋ$/);
  });

  it('escapes what Slack would act on, and cuts long text', () => {
    expect(quoteUser('<!channel> & <@U123>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    const long = quoteUser('word '.repeat(100), 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('…')).toBe(true);
  });
});
