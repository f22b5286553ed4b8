/**
 * How the facts index ranks the facts of one entry, over facts written for these tests: the words that tell the
 * entry's facts apart decide, not the words they all share, and a question after a duration, a size or a count
 * prefers the fact that states one.
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/knowledge/schema.js';
import { FactIndex } from '../../src/search/facts.js';
import { quantitiesAsked } from '../../src/search/index.js';
import { terms } from '../../src/search/text.js';

const fact = (id: string, answer: string, asks: string[], entry = 'widget'): Fact => ({
  id,
  entry,
  type: 'limit',
  answer,
  asks,
  errors: [],
  versus: [],
  source: 'https://docs.aws.amazon.com/example/latest/guide/quotas.html',
  checked: '2026-12-01',
});

const facts = [
  fact('widget-rule-count', 'A widget holds at most 200 rules; ask for more in Service Quotas.', ['rules per widget', 'widget rule limit']),
  fact('widget-rule-propagation', 'A changed rule takes up to 15 minutes to reach every widget.', ['rule propagation', 'rule change delay']),
  fact('widget-rule-keys', 'A rule can name at most 5 keys.', ['rule keys', 'keys per rule']),
  fact('widget-rule-syntax', 'A rule is a JSON document of key and value pairs.', ['rule syntax', 'rule format']),
  fact('gadget-rule-count', 'A gadget holds at most 10 rules.', ['rules per gadget'], 'gadget'),
];
const index = new FactIndex(facts, { unknownWeight: 3 });

/** The ids of the facts of `entry` a question asks for, best first, as the search would ask the index. */
function ranked(question: string, entry = 'widget'): string[] {
  const ws = question.toLowerCase().replace(/[?]/g, '').split(/\s+/);
  const detail = terms(question).map((t) => [t]);
  return index.match(detail, terms(question).join(' '), [entry], quantitiesAsked(ws)).map((h) => h.fact.id);
}

describe('the facts of one entry', () => {
  it('a word every fact of the entry shares does not decide; the word that tells them apart does', () => {
    // "rule" is in every widget fact; "keys" only in one.
    expect(ranked('how many keys can one rule have')[0]).toBe('widget-rule-keys');
  });

  it('a question after a duration prefers the fact that states one', () => {
    expect(ranked('how long until a new rule applies')[0]).toBe('widget-rule-propagation');
  });

  it('reads what kind of quantity a question asks for', () => {
    expect(quantitiesAsked(['how', 'long', 'until', 'it', 'applies'])).toContain('time');
    expect(quantitiesAsked(['what', 'is', 'the', 'max', 'size'])).toContain('size');
    expect(quantitiesAsked(['how', 'many', 'rules'])).toContain('count');
    expect(quantitiesAsked(['what', 'is', 'a', 'widget'])).toEqual([]);
  });

  it('only the facts of the entries asked about', () => {
    expect(ranked('rules per gadget', 'widget')).not.toContain('gadget-rule-count');
    expect(ranked('rules per gadget', 'gadget')).toEqual(['gadget-rule-count']);
  });
});
