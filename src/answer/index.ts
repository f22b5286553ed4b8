/**
 * The one decision point: a question in, an Answer out. The help card, a comparison of two entries, one entry,
 * or no answer (with "did you mean" suggestions where some are close). The search finds and ranks; everything
 * decided about what the bot says is decided here.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import { nameWords } from '../knowledge/names.js';
import type { Entry } from '../knowledge/schema.js';
import type { Hit, SearchResult, Searcher } from '../search/index.js';
import { comparedIds } from './compare.js';
import { defaultAnswerOptions, type AnswerOptions } from './options.js';

export interface Result {
  entry: Entry;
  score: number;
}

export type Answer =
  | { kind: 'entry'; query: string; results: [Result]; suggestions: Entry[] }
  | { kind: 'compare'; query: string; results: [Result, Result]; suggestions: Entry[] }
  | { kind: 'help'; query: string; results: []; suggestions: Entry[] }
  | { kind: 'none'; query: string; results: []; suggestions: Entry[] };

export interface Answerer {
  /** The answer to a question in words. */
  ask(question: string): Answer;
  /**
   * The answer that shows given entries (one, or two side by side), as a button or a re-render asks for them;
   * undefined when an id is unknown. `question` is what was asked, if anything was.
   */
  show(ids: readonly string[], question?: string): Answer | undefined;
}

/** What reads as a request for help: nothing, "?", or the one word "help" ("Help!", "help?"). */
export function isHelp(question: string): boolean {
  const t = question.trim();
  if (t === '' || t === '?') return true;
  const w = nameWords(t);
  return w.length === 1 && w[0] === 'help';
}

/** Builds the answer function over a knowledge base and its search. */
export function createAnswerer(kb: KnowledgeBase, searcher: Searcher, options: AnswerOptions = defaultAnswerOptions): Answerer {
  const o = options;
  const entry = (id: string): Entry => {
    const e = kb.byId.get(id);
    if (!e) throw new Error(`answer: search returned unknown id "${id}"`);
    return e;
  };
  const result = (h: Pick<Hit, 'id' | 'score'>): Result => ({ entry: entry(h.id), score: round(h.score) });

  /** Whether a hit is an answer the bot can stand behind, rather than the least bad match. */
  const confident = (h: Hit | undefined, r: SearchResult): h is Hit => {
    if (!h) return false;
    if (h.via !== 'text') return true;
    const needed = o.minCoverage(r.contentWords) * (h.named ? o.namedCoverageFactor : 1);
    const evidence = o.minEvidence * (h.byName ? o.nameEvidenceFactor : 1);
    return h.coverage >= needed && (h.evidence ?? 0) >= evidence;
  };

  function ask(question: string): Answer {
    if (isHelp(question)) return { kind: 'help', query: question, results: [], suggestions: [] };
    const q = searcher.parse(question.slice(0, o.maxQueryLength));

    const pair = comparedIds(q.words, searcher);
    if (pair) return { kind: 'compare', query: question, results: [result({ id: pair[0], score: 1 }), result({ id: pair[1], score: 1 })], suggestions: [] };

    const found = searcher.search(q);
    const top = found.hits[0];
    if (confident(top, found)) return { kind: 'entry', query: question, results: [result(top)], suggestions: [] };

    const suggestions = found.hits
      .filter((h) => h.coverage >= o.minSuggestionCoverage)
      .slice(0, o.maxSuggestions)
      .map((h) => entry(h.id));
    return { kind: 'none', query: question, results: [], suggestions };
  }

  function show(ids: readonly string[], question = ''): Answer | undefined {
    const entries = ids.map((id) => kb.byId.get(id));
    const [a, b] = entries;
    if (!a || entries.length > 2 || entries.some((e) => !e)) return undefined;
    return b
      ? { kind: 'compare', query: question, results: [{ entry: a, score: 0 }, { entry: b, score: 0 }], suggestions: [] }
      : { kind: 'entry', query: question, results: [{ entry: a, score: 0 }], suggestions: [] };
  }

  return { ask, show };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
