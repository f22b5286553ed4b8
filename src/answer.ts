/**
 * The one decision point: query text in, Answer out. One entry, a comparison of two, the help card, or no
 * answer (with "did you mean" suggestions where some are close). Everything the bot says starts here.
 */
import type { KnowledgeBase } from './knowledge/load.js';
import type { Entry } from './knowledge/schema.js';
import { parseQuery, type Hit, type ParsedQuery, type Searcher } from './search/index.js';
import { stopWords } from './search/text.js';

export interface Result {
  entry: Entry;
  score: number;
}

export type Answer =
  | { kind: 'entry'; query: string; results: [Result]; suggestions: Entry[] }
  | { kind: 'compare'; query: string; results: [Result, Result]; suggestions: Entry[] }
  | { kind: 'help'; query: string; results: []; suggestions: Entry[] }
  | { kind: 'none'; query: string; results: []; suggestions: Entry[] };

export type Answerer = (query: string) => Answer;

/** Longest query we look at; a pasted log or essay is cut here, and still gets an answer from its start. */
export const maxQueryLength = 500;

/** Builds the answer function over a knowledge base and its search. */
export function createAnswerer(kb: KnowledgeBase, searcher: Searcher): Answerer {
  const entry = (id: string): Entry => {
    const e = kb.byId.get(id);
    if (!e) throw new Error(`answer: search returned unknown id "${id}"`);
    return e;
  };
  const result = (h: Hit): Result => ({ entry: entry(h.id), score: round(h.score) });

  return (query) => {
    const q = parseQuery(query.slice(0, maxQueryLength));
    if (q.words.length === 1 && q.words[0] === 'help') return { kind: 'help', query, results: [], suggestions: [] };

    const pair = comparison(q, searcher);
    if (pair) return { kind: 'compare', query, results: [result(pair[0]), result(pair[1])], suggestions: [] };

    const hits = searcher.search(q);
    const top = hits[0];
    if (searcher.confident(top, q)) return { kind: 'entry', query, results: [result(top)], suggestions: [] };

    const suggestions = hits
      .filter((h) => h.coverage >= searcher.options.minSuggestionCoverage)
      .slice(0, searcher.options.maxSuggestions)
      .map((h) => entry(h.id));
    return { kind: 'none', query, results: [], suggestions };
  };
}

/** Words that join the two sides of a comparison, strongest first. */
const strongJoins = new Set(['vs', 'versus', 'v']);
const comparisonCues = new Set(['difference', 'differences', 'compare', 'comparing', 'comparison', 'between', 'choose', 'pick']);

/**
 * "ecs vs eks", "rds or aurora", "difference between cloudwatch and cloudtrail", "compare sqs with sns": the
 * two entries, when both sides name one. "or" and "and" count only when both sides are names, so "store files
 * or images" stays a question.
 */
function comparison(q: ParsedQuery, searcher: Searcher): [Hit, Hit] | undefined {
  const w = q.words;
  let split = w.findIndex((x) => strongJoins.has(x));
  if (split < 0) {
    const cue = w.some((x) => comparisonCues.has(x));
    const joins = cue ? ['or', 'and', 'with', 'to'] : ['or'];
    split = w.findIndex((x, i) => i > 0 && joins.includes(x));
  }
  if (split <= 0 || split >= w.length - 1) return undefined;
  const left = side(w.slice(0, split), searcher, 'last');
  const right = side(w.slice(split + 1), searcher, 'first');
  if (!left || !right || left.id === right.id) return undefined;
  return [left, right];
}

/** The entry one side of a comparison names: by a name in it, else by a typo of a name. */
function side(tokens: string[], searcher: Searcher, pick: 'first' | 'last'): Hit | undefined {
  const found = searcher.names.find(tokens, (t) => stopWords.has(t)).filter((m) => m.ids.length === 1);
  const match = pick === 'first' ? found[0] : found[found.length - 1];
  if (match) return { id: match.ids[0]!, score: 1, coverage: 1, via: 'name' };
  const content = tokens.filter((t) => !stopWords.has(t));
  if (content.length === 0 || content.length > 3) return undefined;
  return searcher.named({ text: content.join(' '), words: content, content, stems: [], slots: [] })[0];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
