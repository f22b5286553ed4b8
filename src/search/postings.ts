/**
 * The postings of a MiniSearch index, read out once, and a search over them that scores exactly as MiniSearch's
 * `search` does (BM25+, the OR of the query's terms, each document's sum times how many terms it matches, prefix
 * and fuzzy variants weighted as MiniSearch weighs them), without what its search redoes for every posting of
 * every question: the BM25 arithmetic, a callback for the document's boost, a lookup of its field length. A
 * search can also be restricted to some documents (the facts of one service) and then reads nothing else.
 *
 * MiniSearch still builds the index (tokenizing, stemming, counting); `postingsOf` reads its JSON (`toJSON`, its
 * documented serialization), and the build stores the postings instead of the index.
 */
import type MiniSearch from 'minisearch';
import type { AsPlainObject } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';

/**
 * Postings as JSON: for each term, in the order MiniSearch's radix tree holds it, the triples (field, document,
 * raw BM25+ score) ordered by field, then document. A document is its place in the list the index was built over;
 * a field, its place in the field list. Boosts are not in it: they are applied at search time.
 */
export interface PostingsData {
  terms: [string, number[]][];
}

/** One term of a query, as MiniSearch's query spec has it. */
export interface TermQuery {
  term: string;
  /** Fuzzy distance: a fraction of the term's length (below 1), an edit count, or false. */
  fuzzy: number | false;
  prefix: boolean;
  /** MiniSearch's `boostTerm`. */
  boost: number;
}

export interface SearchWeights {
  /** Boost of each field, by its place in the field list (MiniSearch's `boost`: a missing or 0 boost is 1). */
  field: readonly number[];
  /** Boost of each document, by its place (MiniSearch's `boostDocument`); all 1 when absent. */
  document?: readonly number[];
  /** The most edits a fuzzy match may have. */
  maxFuzzy: number;
}

/** Which documents a search reads: those a test passes, or those of ascending ranges [from, to). */
export type Allowed = ((doc: number) => boolean) | readonly (readonly [number, number])[];

/** A document a query matched, as MiniSearch reports a result (its `match` as a Map). */
export interface Posted {
  doc: number;
  score: number;
  /** The query terms it matched. */
  queryTerms: string[];
  /** Each document term it matched, with the names of the fields it matched in. */
  match: Map<string, string[]>;
}

/** MiniSearch's defaults: BM25+ parameters and the weights of prefix and fuzzy matches. */
const bm25 = { k: 1.2, b: 0.7, d: 0.5 };
const variantWeights = { fuzzy: 0.45, prefix: 0.375 };

/**
 * A MiniSearch index's postings as `PostingsData`: `fields` in the order the index was given them, each document
 * id mapped to its place by `order`. The terms come in the order MiniSearch's tree holds them (its `toJSON` lists
 * each node's children last first): inserted in this order, a tree is built as MiniSearch built its own, so
 * prefix and fuzzy matches (and ties among results) come in the same order.
 */
export function postingsOf(mini: MiniSearch<any>, fields: readonly string[], order: (id: string) => number): PostingsData {
  const js: AsPlainObject = mini.toJSON();
  const n = js.documentCount;
  const doc = new Map(Object.entries(js.documentIds).map(([short, id]) => [Number(short), order(String(id))]));
  const terms: [string, number[]][] = [];
  for (const [term, byField] of js.index.reverse()) {
    const list: number[] = [];
    fields.forEach((field, f) => {
      const fieldId = js.fieldIds[field]!;
      const freqs = byField[fieldId];
      if (!freqs) return;
      const shorts = Object.keys(freqs).map(Number);
      const avg = js.averageFieldLength[fieldId]!;
      const idf = Math.log(1 + (n - shorts.length + 0.5) / (shorts.length + 0.5));
      for (const short of shorts) {
        const tf = freqs[short]!;
        const length = js.fieldLength[short]![fieldId]!;
        list.push(f, doc.get(short)!, idf * (bm25.d + (tf * (bm25.k + 1)) / (tf + bm25.k * (1 - bm25.b + (bm25.b * length) / avg))));
      }
    });
    terms.push([term, list]);
  }
  return { terms };
}

interface Partial {
  score: number;
  terms: string[];
  match: Map<string, string[]>;
}

export class Postings {
  private readonly byTerm: Map<string, number[]>;
  /** The terms as a radix tree, for prefix and fuzzy matches (only when asked for). */
  private readonly tree: SearchableMap<number[]> | undefined;

  /**
   * Postings to search over `docs` documents; `variants`: whether queries may ask for prefix and fuzzy matches.
   */
  constructor(
    private readonly data: PostingsData,
    private readonly fields: readonly string[],
    private readonly docs: number,
    variants: boolean,
  ) {
    this.byTerm = new Map(data.terms);
    this.tree = variants ? SearchableMap.from(data.terms) : undefined;
  }

  /** What it was made from, as JSON. */
  toJSON(): PostingsData {
    return this.data;
  }

  /** Whether a term is in the index. */
  has(term: string): boolean {
    return this.byTerm.has(term);
  }

  /**
   * The documents matching any of the query's terms (of those `allowed`, when given: a test, or ascending ranges
   * [from, to) of documents, which are found without reading the rest), best first: MiniSearch's `search` over the
   * same index with the same options, to the same scores and in the same order.
   */
  search(queries: readonly TermQuery[], w: SearchWeights, allowed?: Allowed): Posted[] {
    let all: Map<number, Partial> | undefined;
    for (const q of queries) {
      const results = new Map<number, Partial>();
      const exact = this.byTerm.get(q.term);
      if (exact) this.add(q.term, q.term, 1, q.boost, exact, w, allowed, results);
      const prefixes = q.prefix && this.tree ? this.tree.atPrefix(q.term) : undefined;
      let fuzzies: Map<string, [number[], number]> | undefined;
      if (q.fuzzy !== false && q.fuzzy !== 0 && this.tree) {
        const max = q.fuzzy < 1 ? Math.min(w.maxFuzzy, Math.round(q.term.length * q.fuzzy)) : q.fuzzy;
        if (max) fuzzies = this.tree.fuzzyGet(q.term, max);
      }
      if (prefixes)
        for (const [term, list] of prefixes) {
          const distance = term.length - q.term.length;
          if (!distance) continue;
          fuzzies?.delete(term);
          this.add(q.term, term, (variantWeights.prefix * term.length) / (term.length + 0.3 * distance), q.boost, list, w, allowed, results);
        }
      if (fuzzies)
        for (const [term, [list, distance]] of fuzzies) {
          if (!distance) continue;
          this.add(q.term, term, (variantWeights.fuzzy * term.length) / (term.length + distance), q.boost, list, w, allowed, results);
        }
      if (!all) all = results;
      else
        for (const [doc, r] of results) {
          const seen = all.get(doc);
          if (!seen) all.set(doc, r);
          else {
            seen.score = seen.score + r.score;
            for (const [term, fields] of r.match) seen.match.set(term, fields);
            for (const t of r.terms) if (!seen.terms.includes(t)) seen.terms.push(t);
          }
        }
    }
    const out: Posted[] = [];
    if (all) for (const [doc, r] of all) out.push({ doc, score: r.score * (r.terms.length || 1), queryTerms: r.terms, match: r.match });
    return out.sort((a, b) => b.score - a.score);
  }

  /** One term's postings into one query term's results, as MiniSearch's `termResults` adds them. */
  private add(
    source: string,
    derived: string,
    termWeight: number,
    termBoost: number,
    list: readonly number[],
    w: SearchWeights,
    allowed: Allowed | undefined,
    results: Map<number, Partial>,
  ): void {
    if (Array.isArray(allowed)) {
      // The list is ordered by field, then document: each range of each field is one run of it.
      for (let f = 0; f < this.fields.length; f++)
        for (const [from, to] of allowed)
          for (let i = this.first(list, f * this.docs + from); i < list.length && list[i]! * this.docs + list[i + 1]! < f * this.docs + to; i += 3)
            this.post(source, derived, termWeight, termBoost, list, i, w, results);
      return;
    }
    for (let i = 0; i < list.length; i += 3) {
      if (allowed && !(allowed as (doc: number) => boolean)(list[i + 1]!)) continue;
      this.post(source, derived, termWeight, termBoost, list, i, w, results);
    }
  }

  /** The first triple of a list at or after a (field × docs + document) key. */
  private first(list: readonly number[], key: number): number {
    let lo = 0;
    let hi = list.length / 3;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[3 * mid]! * this.docs + list[3 * mid + 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return 3 * lo;
  }

  /** The posting at `i` into one query term's results. */
  private post(
    source: string,
    derived: string,
    termWeight: number,
    termBoost: number,
    list: readonly number[],
    i: number,
    w: SearchWeights,
    results: Map<number, Partial>,
  ): void {
    const doc = list[i + 1]!;
    const f = list[i]!;
    const docBoost = w.document ? w.document[doc]! : 1;
    if (!docBoost) return;
    const score = termWeight * termBoost * (w.field[f] || 1) * docBoost * list[i + 2]!;
    const field = this.fields[f]!;
    const r = results.get(doc);
    if (r) {
      r.score += score;
      if (!r.terms.includes(source)) r.terms.push(source);
      const m = r.match.get(derived);
      if (m) m.push(field);
      else r.match.set(derived, [field]);
    } else results.set(doc, { score, terms: [source], match: new Map([[derived, [field]]]) });
  }
}
