/**
 * The facts index: which fact of an entry a question asks for ("max message size" → sqs-max-message-size), and
 * which error facts a pasted error names (`ThrottlingException`, "Unzipped size must be smaller than 262144000
 * bytes"). The same stemming as the entry index; the answer layer decides whether a match is good enough to lead
 * with.
 */
import MiniSearch, { type Options } from 'minisearch';
import { Postings, postingsOf, type Allowed, type Posted, type PostingsData, type TermQuery } from './postings.js';
import type { Fact } from '../knowledge/schema.js';
import type { SearchOptions } from './options.js';
import { stem, stopWords, terms, words } from './text.js';

export interface FactHit {
  fact: Fact;
  /** Share of the question's detail words (its words minus the names of entries) this fact matches, 0..1. */
  coverage: number;
  /** The same share, counting only words matched in the ways people ask for it (or its error strings). */
  askCoverage: number;
  /** Whether one of the ways people ask for it appears whole in the question. */
  phrase: boolean;
  /** How it was found: an error string in the text, or the question's words. */
  via: 'error' | 'text';
  /** For an error hit: the longest of its error strings found, and its length (longer is more specific). */
  error?: string;
  matched?: number;
  /** For an error hit: how many of its error strings the text holds. */
  strings?: number;
  /** Relevance among the hits of one question. */
  score: number;
}

interface FactDoc {
  id: string;
  asks: string;
  answer: string;
  errors: string;
}

/**
 * Error codes every AWS API can return (the "Common Errors" of the AWS API references) or that many services
 * share: in a paste they say that something failed, not which service or why, so they never decide an answer by
 * themselves. The rest of the paste (the message, the service it names) does.
 */
export const commonErrorCodes: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'IncompleteSignature',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidParameter',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidParameterException',
  'InvalidQueryParameter',
  'InvalidRequest',
  'InvalidRequestException',
  'MalformedQueryString',
  'MissingAction',
  'MissingAuthenticationToken',
  'MissingParameter',
  'NotAuthorized',
  'OptInRequired',
  'RequestExpired',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ValidationError',
  'ValidationException',
  'ResourceNotFoundException',
  'LimitExceededException',
  'ServiceQuotaExceededException',
  'ConflictException',
  'BadRequestException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestLimitExceeded',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ResourceInUseException',
  'NotFoundException',
  'UnauthorizedException',
  'ForbiddenException',
  'DryRunOperation',
]);

/** Fields of a fact the question's words are matched in, and how much a match there counts. */
const fieldStrength = { asks: 1, errors: 1, answer: 0.6 } as const;
type FactField = keyof typeof fieldStrength;

/** An error string as it is compared: lowercase, runs of spaces as one. */
const normalizeError = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** An error string as the index keeps it: its text as compared, as written, whether it is a code, and its facts. */
interface ErrorString<F> {
  text: string;
  original: string;
  exact: boolean;
  facts: F[];
}

/**
 * What building a FactIndex derives from the facts, as JSON (the build stores it, a start reads it back): the
 * postings, the term weights, the asks as phrases, the error strings (with fact ids), each in its order.
 */
export interface FactIndexData {
  postings: PostingsData;
  weight: [string, number][];
  askPhrases: [string, string[]][];
  errorStrings: ErrorString<string>[];
}

const factFields = ['asks', 'answer', 'errors'] as const satisfies readonly FactField[];
const factBoost: Record<FactField, number> = { asks: 3, errors: 3, answer: 1 };
/** How many of the best matches of a question are weighed further. */
const maxHits = 40;
const factWeights = { field: factFields.map((f) => factBoost[f]), maxFuzzy: 0 };

const miniOptions: Options<FactDoc> = {
  fields: [...factFields],
  tokenize: (s) => words(s),
  processTerm: (t) => (stopWords.has(t) ? null : stem(t)),
};

export class FactIndex {
  /** MiniSearch's postings of the facts (src/search/postings.ts), a fact by its place in `list`. */
  private readonly postings: Postings;
  /** The facts in the order given. */
  private readonly list: Fact[];
  private readonly byId = new Map<string, Fact>();
  private readonly weight: Map<string, number>;
  /** Each fact's asks as stem sequences, padded for whole-phrase tests: " max messag size ". */
  private readonly askPhrases: Map<string, string[]>;
  /** Every error string (a message lowercased, a code as written), with the facts that list it. */
  private readonly errorStrings: ErrorString<Fact>[];
  /**
   * The error strings (their places in `errorStrings`) by anchor, the longest word of each (lowercase; '' for one
   * without a word): a text without that word cannot hold the string.
   */
  private readonly byAnchor: Map<string, number[]>;
  /** How many facts each entry has. */
  private readonly perEntry = new Map<string, number>();
  /** Where each entry's facts are in `list`, [from, to), when they are all together (a facts file is one entry's). */
  private readonly ranges = new Map<string, readonly [number, number]>();

  /**
   * The index of `facts`; or, given `data` (what `toJSON` gave for the same facts, in the same order), that index
   * again without tokenizing and stemming every fact.
   */
  constructor(
    facts: readonly Fact[],
    private readonly options: Pick<SearchOptions, 'unknownWeight'>,
    data?: FactIndexData,
  ) {
    this.list = [...facts];
    const first = new Map<string, number>();
    facts.forEach((f, i) => {
      this.byId.set(f.id, f);
      this.perEntry.set(f.entry, (this.perEntry.get(f.entry) ?? 0) + 1);
      if (!first.has(f.entry)) first.set(f.entry, i);
    });
    for (const [entry, from] of first) {
      const to = from + this.perEntry.get(entry)!;
      if (facts[to - 1]?.entry === entry && facts.slice(from, to).every((f) => f.entry === entry)) this.ranges.set(entry, [from, to]);
    }
    if (data) {
      this.postings = new Postings(data.postings, factFields, facts.length, false);
      this.weight = new Map(data.weight);
      this.askPhrases = new Map(data.askPhrases);
      this.errorStrings = data.errorStrings.map((e) => ({ ...e, facts: e.facts.map((id) => this.byId.get(id)!) }));
      this.byAnchor = anchorIndex(this.errorStrings);
      return;
    }
    // MiniSearch tokenizes, stems and counts; its postings are read out (its index is not kept).
    const mini = new MiniSearch<FactDoc>(miniOptions);
    this.weight = new Map();
    this.askPhrases = new Map();
    const docs = facts.map((f) => ({ id: f.id, asks: f.asks.join(' ; '), answer: f.answer, errors: f.errors.join(' ; ') }));
    for (const f of facts)
      this.askPhrases.set(
        f.id,
        f.asks
          .map((a) => terms(a).join(' '))
          .filter((p) => p.includes(' '))
          .map((p) => ` ${p} `),
      );
    mini.addAll(docs);
    const place = new Map(facts.map((f, i) => [f.id, i]));
    this.postings = new Postings(
      postingsOf(mini, factFields, (id) => place.get(id)!),
      factFields,
      facts.length,
      false,
    );
    for (const [t, n] of this.postings.documentFrequencies()) this.weight.set(t, Math.log(1 + docs.length / n));

    const strings = new Map<string, { original: string; exact: boolean; facts: Fact[] }>();
    for (const f of facts)
      for (const e of f.errors) {
        if (commonErrorCodes.has(e.trim())) continue;
        const exact = isCode(e);
        const key = exact ? e.trim() : normalizeError(e);
        const entry = strings.get(key) ?? { original: e.trim(), exact, facts: [] };
        entry.facts.push(f);
        strings.set(key, entry);
      }
    this.errorStrings = [...strings].map(([text, v]) => ({ text, ...v })).sort((a, b) => b.text.length - a.text.length);
    this.byAnchor = anchorIndex(this.errorStrings);
  }

  /** What the constructor built, as JSON, for `data`. */
  toJSON(): FactIndexData {
    return {
      postings: this.postings.toJSON(),
      weight: [...this.weight],
      askPhrases: [...this.askPhrases],
      errorStrings: this.errorStrings.map((e) => ({ ...e, facts: e.facts.map((f) => f.id) })),
    };
  }

  get size(): number {
    return this.byId.size;
  }

  /** The ids of the facts, in the order given. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  /**
   * Error facts whose code or message appears in the text, most specific (longest string) first. A code must
   * stand as a word of its own: "AccessDenied" is not found inside "AccessDeniedException".
   */
  errorsIn(text: string): FactHit[] {
    const spaced = text.replace(/\s+/g, ' ');
    const lower = spaced.toLowerCase();
    const found = new Map<string, FactHit>();
    // A string found where it stands alone has each of its words as a word of the text: one look-up rules most out.
    const present = new Set(lower.match(/[a-z0-9_]+/g));
    // Only the strings whose anchor the text holds are looked for, in their order (longest first).
    const candidates = [...(this.byAnchor.get('') ?? [])];
    for (const w of present) {
      const ks = this.byAnchor.get(w);
      if (ks) for (const k of ks) candidates.push(k);
    }
    candidates.sort((a, b) => a - b);
    for (const k of candidates) {
      const { text: needle, exact, facts, original } = this.errorStrings[k]!;
      // A code is matched as written ("TIMEOUT" is a state; "timeout" is a word); a message in any case.
      const hay = exact ? spaced : lower;
      let at = hay.indexOf(needle);
      while (at >= 0 && !standsAlone(hay, at, needle.length)) at = hay.indexOf(needle, at + 1);
      if (at < 0) continue;
      for (const fact of facts) {
        const seen = found.get(fact.id);
        if (seen) seen.strings = (seen.strings ?? 1) + 1;
        else
          found.set(fact.id, {
            fact,
            coverage: 1,
            askCoverage: 1,
            phrase: true,
            via: 'error',
            error: original,
            matched: needle.length,
            strings: 1,
            score: needle.length,
          });
      }
    }
    return [...found.values()];
  }

  /**
   * The facts of `entries` (all facts when it is empty) that the detail words ask for, best first. `detail` is one
   * slot of stem alternatives per word; `sequence` the question's stems in order (or several such readings), for whole-phrase matches.
   */
  match(
    detail: readonly (readonly string[])[],
    sequence: string | readonly string[],
    entries: readonly string[],
    wanted: readonly Quantity[] = [],
  ): FactHit[] {
    if (detail.length === 0) return [];
    const stems = [...new Set(detail.flat())];
    const allowed = entries.length ? new Set(entries) : undefined;
    const only = allowed ? this.allowedOf(allowed) : undefined;
    const results = this.score(stems, only, maxHits);
    const weights = detail.map((alts) => Math.max(...alts.map((t) => this.weight.get(t) ?? this.options.unknownWeight)));
    const total = weights.reduce((s, w) => s + w, 0);
    // Among the facts of the entries asked about, a word most of them use ("queue" for SQS, "filter policy" for
    // SNS's filter facts) says little about which one is meant; the words few of them use decide. Each word's
    // weight for ranking is its rarity among those facts (its weight over all facts when no entry is given).
    const local = only ? this.localWeights(detail, only, entries) : weights;
    const localTotal = local.reduce((s, w) => s + w, 0);
    const padded = (typeof sequence === 'string' ? [sequence] : sequence).map((x) => ` ${x} `);
    // A way of asking can be in the question only if its first word is.
    const said = new Set(padded.flatMap((x) => x.split(' ')));
    const inQuestion = (p: string): boolean => said.has(p.slice(1, p.indexOf(' ', 1))) && padded.some((x) => x.includes(p));
    const hits: FactHit[] = [];
    for (const r of results) {
      const fact = this.list[r.doc];
      if (!fact) continue;
      let evidence = 0;
      let asked = 0;
      let ranked = 0;
      detail.forEach((alts, i) => {
        let credit = 0;
        let inAsks = false;
        for (const t of alts)
          for (const f of (r.match.get(t) ?? []) as FactField[]) {
            credit = Math.max(credit, fieldStrength[f] ?? 0);
            if (f !== 'answer') inAsks = true;
          }
        evidence += weights[i]! * credit;
        ranked += local[i]! * credit;
        if (inAsks) asked += weights[i]!;
      });
      const coverage = total > 0 ? evidence / total : 0;
      const askCoverage = total > 0 ? asked / total : 0;
      const share = localTotal > 0 ? ranked / localTotal : 0;
      const phrases = (this.askPhrases.get(fact.id) ?? []).filter(inQuestion);
      const phrase = phrases.length > 0;
      // A whole way of asking counts for as much of the question as its words weigh: "filter policy" in a question
      // about SNS filter policies says less than "filter policy propagation".
      const phraseShare = phrase ? Math.min(1, Math.max(...phrases.map((p) => this.phraseWeight(p, detail, local))) / (localTotal || 1)) : 0;
      const fits = wanted.length === 0 ? 1 : quantityFit(fact, wanted);
      hits.push({ fact, coverage, askCoverage, phrase, via: 'text', score: r.score * share ** 2 * (1 + phraseShare) * fits });
    }
    return hits.sort((a, b) => b.score - a.score);
  }

  /** The facts (of the `allowed` entries, or all) that hold any of `stems`, best first, as MiniSearch scores them. */
  private score(stems: readonly string[], allowed: Allowed | undefined, limit: number): Posted[] {
    const queries: TermQuery[] = stems.map((term) => ({ term, fuzzy: false, prefix: false, boost: 1 }));
    return this.postings.search(queries, factWeights, allowed, limit);
  }

  /**
   * The facts of `entries` as the postings search reads them: their ranges when each entry's facts are together
   * (only their postings are read), else a test of every posting.
   */
  private allowedOf(entries: ReadonlySet<string>): Allowed {
    // An entry without facts (a category, a pattern) has nothing to read: it needs no range.
    const having = [...entries].filter((e) => this.perEntry.has(e));
    const ranges = having.map((e) => this.ranges.get(e));
    if (ranges.every((r) => r !== undefined)) return ranges.sort((a, b) => a[0] - b[0]);
    return (doc) => entries.has(this.list[doc]!.entry);
  }

  /** Each detail slot's weight among the facts of `entries`: log(1 + n / facts using it), n their number of facts. */
  private localWeights(detail: readonly (readonly string[])[], allowed: Allowed, entries: readonly string[]): number[] {
    let n = 0;
    for (const e of entries) n += this.perEntry.get(e) ?? 0;
    return detail.map((alts) => {
      const using = this.postings.docsWith(alts, allowed);
      return using === 0 ? 0 : Math.log(1 + n / using);
    });
  }

  /** The weight of the detail slots a phrase (" max messag size ") holds. */
  private phraseWeight(phrase: string, detail: readonly (readonly string[])[], local: readonly number[]): number {
    const inPhrase = new Set(phrase.trim().split(' '));
    let w = 0;
    detail.forEach((alts, i) => {
      if (alts.some((t) => inPhrase.has(t))) w += local[i]!;
    });
    return w;
  }
}

/** What kind of quantity a question asks for: a time ("how long", "timeout"), a size ("how big", "max size"), a count ("how many"). */
export type Quantity = 'time' | 'size' | 'count';

const timeUnit = /\b\d[\d,.]*\s*(?:-\s*)?(?:ms|milliseconds?|s|sec|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)\b/i;
const sizeUnit = /\b\d[\d,.]*\s*(?:bytes?|[KMGTP]i?B|kilobytes?|megabytes?|gigabytes?|characters?|chars?)\b/i;
const anyNumber = /\d/;

/**
 * How well a fact's answer fits the quantity asked for: a question that asks "how long" is after a duration, and
 * a fact that states one fits it better than one that states a count; a fact with no number at all fits least.
 */
function quantityFit(fact: Fact, asked: readonly Quantity[]): number {
  const a = statesOf(fact);
  if (asked.includes('time') && a.time) return 1.5;
  if (asked.includes('size') && a.size) return 1.5;
  if (asked.includes('count') && a.number) return 1.2;
  return a.number ? 1 : 0.7;
}

/** What kinds of quantity a fact's answer states, read once per fact. */
const states = new WeakMap<Fact, { time: boolean; size: boolean; number: boolean }>();
function statesOf(fact: Fact): { time: boolean; size: boolean; number: boolean } {
  let s = states.get(fact);
  if (!s) states.set(fact, (s = { time: timeUnit.test(fact.answer), size: sizeUnit.test(fact.answer), number: anyNumber.test(fact.answer) }));
  return s;
}

/** The places of error strings by their anchors (`FactIndex.byAnchor`). */
function anchorIndex(strings: readonly { text: string }[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  strings.forEach(({ text }, k) => {
    const anchor = anchorOf(text);
    const ks = index.get(anchor);
    if (ks) ks.push(k);
    else index.set(anchor, [k]);
  });
  return index;
}

/** The longest run of word characters in an error string, lowercase ("importmoduleerror" in "Runtime.ImportModuleError"). */
function anchorOf(text: string): string {
  return (text.toLowerCase().match(/[a-z0-9_]+/g) ?? ['']).reduce((a, b) => (b.length > a.length ? b : a));
}

/** An error code rather than a message: one token ("ThrottlingException", "UPDATE_ROLLBACK_FAILED", "TIMEOUT"). */
export function isCode(s: string): boolean {
  return !/\s/.test(s.trim());
}

/** Whether the match at `at` is not part of a longer word: no letter, digit or _ runs on into it on either side. */
function standsAlone(hay: string, at: number, length: number): boolean {
  const word = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
  const end = at + length;
  const openStart = !word(hay[at]) || !word(hay[at - 1]);
  const openEnd = !word(hay[end - 1]) || !word(hay[end]);
  return openStart && openEnd;
}
