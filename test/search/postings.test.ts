/**
 * The postings search scores as MiniSearch's own search does over the same index: the same documents, in the
 * same order, with the same scores and the same matched terms, for plain terms, prefixes, typos (fuzzy), term
 * boosts, document boosts and a search restricted to some documents. Over the knowledge's own text, with queries
 * made from it (not from the evaluation sets).
 */
import MiniSearch, { type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { loadCore } from '../../src/loadCore.js';
import { toDoc } from '../../src/search/index.js';
import { searchFields } from '../../src/search/options.js';
import { Postings, postingsOf, type TermQuery } from '../../src/search/postings.js';
import { stem, stopWords, terms, words } from '../../src/search/text.js';

const { kb } = loadCore();
const docs = kb.entries.map((e) => toDoc(e, kb.byId));
const ids = docs.map((d) => d.id);
const mini = new MiniSearch({ fields: searchFields, tokenize: (s) => words(s), processTerm: (t) => (stopWords.has(t) ? null : stem(t)) });
mini.addAll(docs);
const postings = new Postings(
  postingsOf(mini, searchFields, (id) => ids.indexOf(id)),
  searchFields,
  docs.length,
  true,
);
// A copy read back from JSON, as the compiled bot reads it.
const readBack = new Postings(JSON.parse(JSON.stringify(postings.toJSON())), searchFields, docs.length, true);

const boost: Record<string, number> = { name: 5, aliases: 4, purpose: 2.5, features: 1.2 };
const prior = kb.entries.map((e) => (e.kind === 'service' ? 1 : 0.5));
const weights = { field: searchFields.map((f) => boost[f] ?? 0), document: prior, maxFuzzy: 2 };

/** Queries from the knowledge: an entry's purpose, a use case, a name cut short (a prefix) or misspelt (fuzzy). */
function queries(): string[][] {
  const out: string[][] = [];
  for (const e of kb.entries.slice(0, 60)) {
    out.push(terms(e.name));
    if (e.kind === 'service') {
      out.push(terms(e.purpose).slice(0, 6));
      if (e.use_cases[0]) out.push(terms(e.use_cases[0]).slice(0, 5));
    }
    const w = terms(e.name)[0];
    if (w && w.length >= 6) out.push([w.slice(0, 4)], [`${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`]);
  }
  return out.filter((q) => q.length > 0);
}

function both(q: string[], variants: boolean, allowed?: Set<number>, ranges?: [number, number][]) {
  const spec = (t: string): TermQuery => ({
    term: t,
    fuzzy: variants && t.length >= 5 ? 0.2 : false,
    prefix: variants && t.length >= 4,
    boost: t === q[0] ? 0.5 : 1,
  });
  const options: SearchOptions = {
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t,
    boost,
    maxFuzzy: 2,
    fuzzy: (t) => spec(t).fuzzy,
    prefix: (t) => spec(t).prefix,
    boostTerm: (t) => spec(t).boost,
    boostDocument: (id) => prior[ids.indexOf(String(id))]!,
    ...(allowed ? { filter: (r) => allowed.has(ids.indexOf(String(r.id))) } : {}),
  };
  const theirs = mini.search(q.join(' '), options);
  const ours = postings.search(q.map(spec), weights, ranges ?? (allowed ? (d) => allowed.has(d) : undefined));
  return { theirs, ours };
}

describe('postings search', () => {
  const cases = queries();

  it('gives what MiniSearch gives: documents, order, scores and matched terms (plain, prefix, fuzzy)', () => {
    expect(cases.length).toBeGreaterThan(50);
    let compared = 0;
    for (const q of cases)
      for (const variants of [false, true]) {
        const { theirs, ours } = both(q, variants);
        expect(
          ours.map((r) => ids[r.doc]),
          q.join(' '),
        ).toEqual(theirs.map((r) => r.id));
        ours.forEach((r, i) => {
          expect(r.score).toBeCloseTo(theirs[i]!.score, 9);
          expect(Object.fromEntries(r.match)).toEqual(theirs[i]!.match);
          expect(r.queryTerms).toEqual(theirs[i]!.queryTerms);
        });
        compared += ours.length;
      }
    expect(compared).toBeGreaterThan(1000);
  });

  it('restricted to some documents, scores those alone as MiniSearch filters them', () => {
    const allowed = new Set(kb.entries.flatMap((e, i) => (e.kind === 'service' && i % 3 === 0 ? [i] : [])));
    for (const q of cases.slice(0, 40)) {
      const { theirs, ours } = both(q, true, allowed);
      expect(ours.map((r) => ids[r.doc])).toEqual(theirs.map((r) => r.id));
      expect(ours.every((r) => allowed.has(r.doc))).toBe(true);
    }
  });

  it('restricted to ranges of documents, reads only those and scores them as MiniSearch filters them', () => {
    const ranges: [number, number][] = [
      [3, 9],
      [20, 41],
      [70, 71],
    ];
    const allowed = new Set(ranges.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i)));
    let compared = 0;
    for (const q of cases) {
      const { theirs, ours } = both(q, true, allowed, ranges);
      expect(ours.map((r) => ids[r.doc])).toEqual(theirs.map((r) => r.id));
      for (const [i, r] of ours.entries()) expect(r.score).toBeCloseTo(theirs[i]!.score, 9);
      compared += ours.length;
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('read back from its JSON, searches as it did', () => {
    for (const q of cases.slice(0, 40)) {
      const spec = q.map((t) => ({ term: t, fuzzy: 0.2, prefix: true, boost: 1 }));
      expect(readBack.search(spec, weights)).toEqual(postings.search(spec, weights));
    }
  });
});
