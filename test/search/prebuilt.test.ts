/**
 * The search's indexes read back from their JSON (what the build stores beside the knowledge snapshot, and the
 * compiled bot starts from) are the indexes built: the same JSON again, and the same hits, facts, errors, answers
 * and rendered replies for every kind of query (names, typos, prefixes, aliases, plain words, the ways facts are
 * asked for, pasted errors), built from the knowledge itself, not from the evaluation sets.
 */
import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index.js';
import { buildCore } from '../../src/core.js';
import { loadCore } from '../../src/loadCore.js';
import { Searcher, type SearchIndexData } from '../../src/search/index.js';

const built = loadCore();
const { kb } = built;
const json = JSON.stringify(built.searcher.toJSON());
const read = buildCore(kb, undefined, JSON.parse(json) as SearchIndexData);

/** A typo: two letters swapped in the middle. */
const swap = (s: string): string => (s.length < 5 ? s : `${s.slice(0, 2)}${s[3]}${s[2]}${s.slice(4)}`);

function queries(): string[] {
  const out = new Set<string>();
  for (const e of kb.entries) {
    out.add(e.name).add(swap(e.name.toLowerCase())).add(e.name.slice(0, 4).toLowerCase()).add(`what is ${e.name} for`);
    for (const a of e.aliases.slice(0, 3)) out.add(a);
    for (const t of e.terms.slice(0, 3)) out.add(t).add(swap(t));
    if (e.kind === 'service') out.add(e.purpose);
  }
  for (const [i, f] of kb.facts.entries()) {
    const entry = kb.byId.get(f.entry)?.name ?? '';
    if (f.asks[0]) out.add(i % 4 ? f.asks[0] : `${f.asks[0]} in ${entry}`);
    // Pastes: an error string inside a log line, another service named beside it now and then.
    for (const e of f.errors) out.add(`ERROR 2026-01-01T00:00:00Z request failed: ${e} (${i % 3 ? entry : 'service'})`);
  }
  return [...out];
}

describe('the search read back from its JSON', () => {
  it('is used, and gives the very JSON it was read from', () => {
    expect(read.searcher.prebuilt).toBe(true);
    expect(built.searcher.prebuilt).toBe(false);
    // Compared as one string: a difference would print the whole index.
    expect(JSON.stringify(read.searcher.toJSON()) === json, 'the JSON of the search read back is the JSON it was read from').toBe(true);
  });

  it('finds, ranks, answers and renders every query as the search built from the knowledge does', { timeout: 120_000 }, () => {
    const qs = queries();
    expect(qs.length).toBeGreaterThan(1500);
    const differ: string[] = [];
    for (const q of qs) {
      const a = built.searcher;
      const b = read.searcher;
      const same =
        JSON.stringify(a.search(q)) === JSON.stringify(b.search(q)) &&
        JSON.stringify(a.factsFor(a.parse(q), [])) === JSON.stringify(b.factsFor(b.parse(q), [])) &&
        JSON.stringify(a.errorsIn(q)) === JSON.stringify(b.errorsIn(q)) &&
        JSON.stringify(built.render.answer(built.answer.ask(q))) === JSON.stringify(read.render.answer(read.answer.ask(q)));
      if (!same) differ.push(q);
    }
    expect(differ).toEqual([]);
  });

  it('is not used over other entries or facts, or of another format: the indexes are built instead', () => {
    const data = JSON.parse(json) as SearchIndexData;
    const fewer = kb.entries.slice(1);
    const s = new Searcher(fewer, undefined, kb.facts, data);
    expect(s.prebuilt).toBe(false);
    expect(s.toJSON()).toStrictEqual(new Searcher(fewer, undefined, kb.facts).toJSON());
    expect(new Searcher(kb.entries, undefined, kb.facts.slice(0, -1), data).prebuilt).toBe(false);
    expect(new Searcher(kb.entries, undefined, kb.facts, { ...data, format: data.format + 1 }).prebuilt).toBe(false);
    // A prebuilt search answers like a built one.
    const answer = createAnswerer(kb, new Searcher(kb.entries, undefined, kb.facts, data));
    expect(answer.ask('max message size in sqs').results[0]?.entry.id).toBe('sqs');
  });
});
