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

export class Postings {
  private readonly byTerm: Map<string, number[]>;
  /** The terms as a radix tree, for prefix and fuzzy matches (only when asked for). */
  private readonly tree: SearchableMap<number[]> | undefined;
  // What one search works in, by document, reused from search to search (and left as found): the sum so far, the
  // current term's part of it, how many of the query's terms matched, the last term that did (-1: none), and the
  // first and last of its matches in `hits` (-1: none).
  private readonly total: Float64Array;
  private readonly termScore: Float64Array;
  private readonly termCount: Int32Array;
  private readonly lastTerm: Int32Array;
  private readonly firstHit: Int32Array;
  private readonly lastHit: Int32Array;
  /** Each match of one search, in the order made: [query term, derived term id, field, next match of its document]. */
  private readonly hits: number[] = [];

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
    this.total = new Float64Array(docs);
    this.termScore = new Float64Array(docs);
    this.termCount = new Int32Array(docs);
    this.lastTerm = new Int32Array(docs).fill(-1);
    this.firstHit = new Int32Array(docs).fill(-1);
    this.lastHit = new Int32Array(docs).fill(-1);
  }

  /** What it was made from, as JSON. */
  toJSON(): PostingsData {
    return this.data;
  }

  /** Each term with the number of documents holding it (in any field). */
  *documentFrequencies(): Generator<[string, number]> {
    const mark = new Int32Array(this.docs).fill(-1);
    let k = 0;
    for (const [term, list] of this.byTerm) {
      let n = 0;
      for (let i = 0; i < list.length; i += 3)
        if (mark[list[i + 1]!] !== k) {
          mark[list[i + 1]!] = k;
          n++;
        }
      k++;
      yield [term, n];
    }
  }

  /** How many documents (of those `allowed`) hold any of `terms`. */
  docsWith(terms: readonly string[], allowed?: Allowed): number {
    const seen = new Set<number>();
    for (const t of terms) {
      const list = this.byTerm.get(t) ?? [];
      this.each(list, allowed, (i) => seen.add(list[i + 1]!));
    }
    return seen.size;
  }

  /**
   * The best `limit` documents matching any of the query's terms (of those `allowed`, when given: a test, or
   * ascending ranges [from, to) of documents, which are found without reading the rest), best first: MiniSearch's
   * `search` over the same index with the same options, to the same scores and in the same order.
   */
  search(queries: readonly TermQuery[], w: SearchWeights, allowed?: Allowed, limit = Number.POSITIVE_INFINITY): Posted[] {
    const order: number[] = [];
    const derived: string[] = [];
    const derivedId = new Map<string, number>();
    const hits = this.hits;
    hits.length = 0;
    queries.forEach((q, qi) => {
      const touched: number[] = [];
      const add = (term: string, termWeight: number, list: readonly number[]): void => {
        let id = derivedId.get(term);
        if (id === undefined) derivedId.set(term, (id = derived.push(term) - 1));
        const d = id;
        this.each(list, allowed, (at) => this.take(list, at, qi, termWeight, d, w, touched, q.boost));
      };
      const exact = this.byTerm.get(q.term);
      if (exact) add(q.term, 1, exact);
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
          add(term, (variantWeights.prefix * term.length) / (term.length + 0.3 * distance), list);
        }
      if (fuzzies)
        for (const [term, [list, distance]] of fuzzies) {
          if (!distance) continue;
          add(term, (variantWeights.fuzzy * term.length) / (term.length + distance), list);
        }
      // The term's part of each document's sum, added as MiniSearch's OR adds one term's results to the others'. A
      // term asked twice counts once among the terms a document matched (it matches the same documents again).
      const again = queries.findIndex((x) => x.term === q.term) < qi;
      for (const doc of touched) {
        if (this.termCount[doc] === 0) {
          order.push(doc);
          this.total[doc] = this.termScore[doc]!;
        } else this.total[doc] = this.total[doc]! + this.termScore[doc]!;
        if (!again) this.termCount[doc]!++;
      }
    });
    const scores = order.map((doc) => this.total[doc]! * (this.termCount[doc] || 1));
    const ranked = order.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
    const out: Posted[] = [];
    for (const k of ranked.slice(0, limit)) out.push(this.posted(order[k]!, scores[k]!, queries, derived));
    for (const doc of order) {
      this.total[doc] = 0;
      this.termCount[doc] = 0;
      this.lastTerm[doc] = -1;
      this.firstHit[doc] = -1;
      this.lastHit[doc] = -1;
    }
    return out;
  }

  /**
   * A document's result from its matches: the query terms in the order they came, and each derived term's fields,
   * as MiniSearch merges them (a derived term a later query term matched again takes that term's fields).
   */
  private posted(doc: number, score: number, queries: readonly TermQuery[], derived: readonly string[]): Posted {
    const queryTerms: string[] = [];
    const match = new Map<string, string[]>();
    const by = new Map<string, number>();
    for (let at = this.firstHit[doc]!; at !== -1; at = this.hits[at + 3]!) {
      const qi = this.hits[at]!;
      const term = derived[this.hits[at + 1]!]!;
      const field = this.fields[this.hits[at + 2]!]!;
      const source = queries[qi]!.term;
      if (!queryTerms.includes(source)) queryTerms.push(source);
      const fields = match.get(term);
      if (fields && by.get(term) === qi) fields.push(field);
      else {
        match.set(term, [field]);
        by.set(term, qi);
      }
    }
    return { doc, score, queryTerms, match };
  }

  /** One posting (at `i` of `list`) into the current query term's part of its document's score, and its match. */
  private take(
    list: readonly number[],
    i: number,
    qi: number,
    termWeight: number,
    derivedId: number,
    w: SearchWeights,
    touched: number[],
    termBoost: number,
  ): void {
    const doc = list[i + 1]!;
    const docBoost = w.document ? w.document[doc]! : 1;
    if (!docBoost) return;
    const f = list[i]!;
    const score = termWeight * termBoost * (w.field[f] || 1) * docBoost * list[i + 2]!;
    if (this.lastTerm[doc] !== qi) {
      this.lastTerm[doc] = qi;
      this.termScore[doc] = score;
      touched.push(doc);
    } else this.termScore[doc]! += score;
    const hits = this.hits;
    const at = hits.length;
    hits.push(qi, derivedId, f, -1);
    if (this.firstHit[doc] === -1) this.firstHit[doc] = at;
    else hits[this.lastHit[doc]! + 3] = at;
    this.lastHit[doc] = at;
  }

  /** Each triple of a list (its index) whose document is `allowed`, in the list's order. */
  private each(list: readonly number[], allowed: Allowed | undefined, fn: (i: number) => void): void {
    if (Array.isArray(allowed)) {
      const ranges = allowed as readonly (readonly [number, number])[];
      // A list shorter than the runs to look for (most terms are in a few facts) is read whole, each document
      // tested against the ranges; the order is the same.
      if (list.length / 3 <= ranges.length * this.fields.length) {
        for (let i = 0; i < list.length; i += 3) if (inRanges(ranges, list[i + 1]!)) fn(i);
        return;
      }
      // The list is ordered by field, then document: each range of each field is one run of it.
      for (let f = 0; f < this.fields.length; f++)
        for (const [from, to] of ranges)
          for (let i = this.first(list, f * this.docs + from); i < list.length && list[i]! * this.docs + list[i + 1]! < f * this.docs + to; i += 3)
            fn(i);
      return;
    }
    const test = allowed as ((doc: number) => boolean) | undefined;
    for (let i = 0; i < list.length; i += 3) if (!test || test(list[i + 1]!)) fn(i);
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
}

/** Whether a document is in one of ascending, disjoint ranges [from, to). */
function inRanges(ranges: readonly (readonly [number, number])[], doc: number): boolean {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const [from, to] = ranges[mid]!;
    if (doc < from) hi = mid;
    else if (doc >= to) lo = mid + 1;
    else return true;
  }
  return false;
}
