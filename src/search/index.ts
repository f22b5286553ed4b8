/**
 * The search over the knowledge base: a name index for what people call things, and a MiniSearch (BM25) index
 * for what they describe. `search` returns ranked hits, each with the share of the query it covers, so the
 * answer layer can tell a confident answer from the least bad one.
 */
import MiniSearch from 'minisearch';
import { Postings, postingsOf, type PostingsData, type SearchWeights, type TermQuery } from './postings.js';
import type { Entry, Fact } from '../knowledge/schema.js';
import { FactIndex, type Quantity, type FactHit, type FactIndexData } from './facts.js';

export type { FactHit } from './facts.js';
import { defaultSearchOptions, searchFields, type SearchField, type SearchOptions } from './options.js';
import { editDistance, NameIndex, type NameIndexData, type NameMatch } from './names.js';
import { readTechnical, servicesCalled, type Namespaces, type Operations } from './technical.js';
import { abbreviations, stem, stopWords, terms as textTerms, searchableText, words } from './text.js';

export interface Hit {
  id: string;
  /** Relevance; comparable between hits of one query only. */
  score: number;
  /** Share of the query's weight this entry matches, 0..1. */
  coverage: number;
  /** Whether a query word matched a word of the entry's name or aliases exactly (text hits). */
  byName?: boolean;
  /** Whether the query names this entry by one of its own names somewhere in it (text hits). */
  named?: boolean;
  /** Matched weight (text hits): the rarity of each matched term times the strength of the field it matched in. */
  evidence?: number;
  /** How the entry was found: by one of its names, by a typo of one, or by its text. */
  via: 'name' | 'typo' | 'text';
  /** Found by another cloud's name for it: that product's name ("Azure Batch"), so the reply can say so. */
  counterpartOf?: string;
}

/**
 * A query taken apart once: its words, its content words (no stop words), and one slot of stems per content word:
 * the word's stem, and the stems of its long form ("repo" → repository), which fill the same slot. Only `search/`
 * builds one (`Searcher.parse`); the answer layer reads its words.
 */
export interface Query {
  readonly text: string;
  readonly words: readonly string[];
  readonly content: readonly string[];
  readonly slots: readonly (readonly string[])[];
  /** The services whose API operations its SDK error lines call ("when calling the PutItem operation"). */
  readonly calls?: readonly string[];
}

/**
 * An API operation's name in a fact ("PutItem", "SendMessageBatch", "InvokeModel"): two or more capitalised parts,
 * after an IAM action's namespace when it has one ("sqs:SendMessage" in an SNS fact is SQS's).
 */
const apiName = /(?:\b([a-z0-9-]+):)?\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+)\b/g;

/**
 * The services API operations belong to, for SDK error lines (src/search/technical.ts), from the facts: an
 * operation the facts of one service name at least twice as often as any other's. Exception and error names are
 * not operations; a name two services share alike ("CreateTable") is no one's.
 */
export function operationsOf(entries: readonly Entry[], facts: readonly Fact[]): Operations {
  const services = entries.filter((e) => e.kind === 'service');
  const ids = new Set(services.map((e) => e.id));
  const byNamespace = new Map(services.flatMap((e) => [...e.namespaces, e.id].map((n) => [n, e.id] as const)));
  const counts = new Map<string, Map<string, number>>();
  for (const f of facts) {
    if (!ids.has(f.entry)) continue;
    for (const [, ns, op] of `${f.answer} ${f.asks.join(' ')} ${f.errors.join(' ')}`.matchAll(apiName)) {
      if (/(?:Exception|Error|Fault)$/.test(op!)) continue;
      const owner = (ns && byNamespace.get(ns)) || f.entry;
      const key = op!.toLowerCase();
      const byEntry = counts.get(key) ?? new Map<string, number>();
      byEntry.set(owner, (byEntry.get(owner) ?? 0) + 1);
      counts.set(key, byEntry);
    }
  }
  const out = new Map<string, string>();
  for (const [op, byEntry] of counts) {
    const [first, second] = [...byEntry].sort((a, b) => b[1] - a[1]);
    if (first && (!second || first[1] >= 2 * second[1])) out.set(op, first[0]);
  }
  return out;
}

function parseQuery(raw: string, ns: Namespaces = new Map(), ops: Operations = new Map()): Query {
  const text = searchableText(readTechnical(raw, ns, ops));
  const calls = servicesCalled(raw, ops);
  return { ...fromWords(text, words(text)), ...(calls.length ? { calls } : {}) };
}

/**
 * The most distinct words of one question the search weighs. A real question's first dozen words (a title, the
 * error's first line) say what it is about; what follows in a long paste (ids, paths, a body's asides) pulled the
 * ranking elsewhere as often as not, and cost the time.
 */
const maxSlots = 12;

function fromWords(text: string, w: readonly string[]): Query {
  // A bare number means nothing on its own ("2+2"); inside a name it still counts ("route 53" is matched as words).
  const content = w.filter((x) => !stopWords.has(x) && !/^\d+$/.test(x));
  const slots = [...new Map(content.map((x) => [x, [x, ...(abbreviations[x]?.split(' ') ?? [])].map(stem)])).values()].slice(0, maxSlots);
  return { text, words: w, content, slots };
}

/** What a search found: ranked hits, and what the answer layer needs to judge them. */
export interface SearchResult {
  /** Ranked hits, best first; empty when nothing in the query is known. */
  hits: Hit[];
  /** The services the question names by one of their own names, in the order named. */
  named: string[];
  /** Whether the question names another cloud's product ("Cosmos DB", "Cloud Spanner"). */
  namesOtherCloud: boolean;
  /**
   * The query's distinct content words (filler and bare numbers left out; a short form and its long form are one
   * word): what the confidence rule scales with.
   */
  contentWords: number;
}

/** What the index holds of an entry: its text, field by field. */
export type SearchDoc = { id: string } & Record<SearchField, string>;
type Doc = SearchDoc;

/** An entry as the index sees it (the benchmark indexes the same documents with default options). */
export function toDoc(e: Entry, byId: Map<string, Entry>): Doc {
  const doc: Doc = {
    id: e.id,
    name: e.name,
    aliases: e.aliases.join(' ; '),
    equivalents: '',
    terms: e.terms.join(' ; '),
    purpose: '',
    uses: '',
    features: '',
    focus: '',
    items: '',
    category: '',
  };
  switch (e.kind) {
    case 'service':
      doc.name = `${e.name} ; ${e.full_name}`;
      doc.equivalents = [...(e.equivalents?.azure ?? []), ...(e.equivalents?.gcp ?? [])].join(' ; ');
      doc.purpose = e.purpose;
      doc.uses = e.use_cases.join(' ; ');
      doc.features = [...e.key_features, ...e.details.flatMap((d) => d.items)].join(' ; ');
      doc.focus = e.senior_focus.join(' ; ');
      doc.category = e.categories.map((c) => byId.get(c)?.name ?? '').join(' ; ');
      break;
    case 'category':
      doc.purpose = e.summary;
      break;
    case 'pattern':
      doc.purpose = `${e.summary} ; ${e.flow}`;
      doc.items = e.steps.map((s) => s.text).join(' ; ');
      break;
    case 'practice':
    case 'guide':
      doc.purpose = e.summary;
      doc.items = e.items.map((i) => [i.title, i.text].filter(Boolean).join(' ')).join(' ; ');
      break;
  }
  return doc;
}

/** The score of an entry the query names outright: above any text score. */
const nameScore = 1000;

/** Bumped when what `SearchIndexData` holds changes shape. */
const indexFormat = 3;

/**
 * What building the Searcher derives from the knowledge, as JSON: the entry and fact ids it was built over (in
 * order), the MiniSearch index of each (`toJSON`), the term weights, each entry's fields as phrases, the name keys.
 * `npm run build` writes it beside the knowledge snapshot (src/knowledge/snapshot.ts, dist/search-index.json); a
 * start over the same knowledge reads it back instead of tokenizing and stemming all of it again. None of it
 * depends on SearchOptions (those are read at search time).
 */
export interface SearchIndexData {
  format: number;
  entries: string[];
  facts: string[];
  text: PostingsData;
  weight: [string, number][];
  phrases: [string, [SearchField, string][]][];
  names: NameIndexData;
  factIndex: FactIndexData;
  /** `operationsOf` the entries and facts: API operation → service id. */
  operations: [string, string][];
}

/** Whether `data` was built over exactly these entries and facts, in this order, by this format. */
function builtOver(data: SearchIndexData, entries: readonly Entry[], facts: readonly Fact[]): boolean {
  return (
    data.format === indexFormat &&
    data.entries.length === entries.length &&
    data.facts.length === facts.length &&
    entries.every((e, i) => data.entries[i] === e.id) &&
    facts.every((f, i) => data.facts[i] === f.id)
  );
}

export class Searcher {
  private readonly names: NameIndex;
  /** The names found in each word list a question was taken apart into (`spans`). */
  private readonly spanCache = new WeakMap<readonly string[], NameMatch[]>();
  /** The entries' text index: MiniSearch's postings (src/search/postings.ts), a document by its place in `ids`. */
  private readonly text: Postings;
  private readonly ids: string[];
  private readonly textWeights: SearchWeights;
  private readonly weight: Map<string, number>;
  private readonly phrases: Map<string, Map<SearchField, string>>;
  private readonly kinds = new Map<string, Entry['kind']>();
  private readonly facts: FactIndex;
  private readonly namespaces: Namespaces;
  private readonly operations: Operations;
  /** Whether the indexes came from `prebuilt` rather than being built here. */
  readonly prebuilt: boolean;

  /**
   * The search over `entries` and `facts`. Given `prebuilt` (what `toJSON` gave for the same entries and facts),
   * its indexes are read back rather than built; one made over other entries or facts, or of another format, is
   * ignored and the indexes are built.
   */
  constructor(
    entries: Entry[],
    private readonly options: SearchOptions = defaultSearchOptions,
    facts: readonly Fact[] = [],
    prebuilt?: SearchIndexData,
  ) {
    const data = prebuilt && builtOver(prebuilt, entries, facts) ? prebuilt : undefined;
    this.prebuilt = data !== undefined;
    this.names = new NameIndex(entries, data?.names);
    this.facts = new FactIndex(facts, options, data?.factIndex);
    // A service's namespaces, and its id, read in technical text as its name: `states` and `step-functions` are Step Functions.
    this.namespaces = new Map(
      entries.flatMap((e) => (e.kind === 'service' ? [...e.namespaces, e.id, e.id.replace(/-/g, '')].map((n) => [n, e.name] as const) : [])),
    );
    this.operations = data ? new Map(data.operations) : operationsOf(entries, facts);
    const o = options;
    this.ids = entries.map((e) => e.id);
    this.textWeights = { field: searchFields.map((f) => o.boost[f]), document: entries.map((e) => priorOf(e, o)), maxFuzzy: o.maxFuzzy };
    for (const e of entries) this.kinds.set(e.id, e.kind);
    if (data) {
      this.text = new Postings(data.text, searchFields, entries.length, true);
      this.weight = new Map(data.weight);
      this.phrases = new Map(data.phrases.map(([id, fields]) => [id, new Map(fields)]));
      return;
    }
    const mini = new MiniSearch<Doc>({ fields: searchFields, tokenize: (s) => words(s), processTerm: (t) => (stopWords.has(t) ? null : stem(t)) });
    this.weight = new Map();
    this.phrases = new Map();
    const byId = new Map(entries.map((e) => [e.id, e]));
    const docs = entries.map((e) => toDoc(e, byId));
    // Each field as one string of its stems, list items between separators no phrase crosses: " | a b | c d | ".
    for (const d of docs)
      this.phrases.set(
        d.id,
        new Map(
          searchFields.map((f) => [
            f,
            ` | ${d[f]
              .split(' ; ')
              .map((x) => textTerms(x).join(' '))
              .join(' | ')} | `,
          ]),
        ),
      );
    mini.addAll(docs);
    const place = new Map(this.ids.map((id, i) => [id, i]));
    this.text = new Postings(
      postingsOf(mini, searchFields, (id) => place.get(id)!),
      searchFields,
      entries.length,
      true,
    );

    // Term weights for coverage: rare terms say more about what a query means than common ones.
    const n = docs.length;
    for (const [t, f] of this.text.documentFrequencies()) this.weight.set(t, Math.log(1 + n / f));
  }

  /** The indexes as JSON, for `prebuilt`: what the build stores beside the knowledge snapshot. */
  toJSON(): SearchIndexData {
    return {
      format: indexFormat,
      entries: [...this.kinds.keys()],
      facts: this.facts.ids(),
      text: this.text.toJSON(),
      weight: [...this.weight],
      phrases: [...this.phrases].map(([id, fields]) => [id, [...fields]]),
      names: this.names.toJSON(),
      factIndex: this.facts.toJSON(),
      operations: [...this.operations],
    };
  }

  /** The names in a list of words (stop words alone name nothing), found once per list: every step of one question asks. */
  private spans(ws: readonly string[]): NameMatch[] {
    let found = this.spanCache.get(ws);
    if (!found) {
      found = this.names.find(ws, (w) => stopWords.has(w));
      this.spanCache.set(ws, found);
    }
    return found;
  }

  /** A query's text taken apart, once, for `search` and for the answer layer's reading of its words. */
  parse(text: string): Query {
    return parseQuery(text, this.namespaces, this.operations);
  }

  /** Ranked hits for a query, best first. A query naming one entry gets only it. */
  search(query: Query | string): SearchResult {
    const q = typeof query === 'string' ? this.parse(query) : query;
    const spans = this.spans(q.words);
    return { hits: this.rank(q), named: this.namedServices(q), namesOtherCloud: spans.some((m) => !m.own), contentWords: q.slots.length };
  }

  /** The services a text names (a whole paste: its ARNs, endpoints, `Service:` lines), in order. */
  servicesNamedIn(text: string): string[] {
    return this.namedServices(this.parse(text));
  }

  /** The services a question names by their own names ("sqs", "Amazon API Gateway"), in order. */
  private namedServices(q: Query): string[] {
    const spans = this.spans(q.words).filter((m) => m.own && m.ids.length === 1);
    const ids = spans.flatMap((m) => m.ids);
    // A service's name misspelt in a longer question ("Amazon Lamba execution time"): a word no entry knows, one
    // edit from exactly one service's own name, among the words the question is read by (the first `maxSlots`).
    // (A short question's typos are the text search's.)
    if (q.slots.length > this.options.maxVariantQueryWords)
      for (const w of [...new Set(q.content)].slice(0, maxSlots)) {
        if (w.length < 5 || this.weight.has(stem(w))) continue;
        const near = this.names.near(w, 1).filter((n) => n.own && n.ids.length === 1 && this.kinds.get(n.ids[0]!) === 'service');
        if (near.length > 0 && near.every((n) => n.ids[0] === near[0]!.ids[0])) ids.push(near[0]!.ids[0]!);
      }
    return [...new Set(ids.filter((id) => this.kinds.get(id) === 'service'))];
  }

  /** Error facts whose code or message appears in a text (a pasted stack trace, CLI output, a log line). */
  errorsIn(text: string): FactHit[] {
    return this.facts.errorsIn(text);
  }

  /**
   * The facts of `entries` (of every entry when empty) that a question asks for, best first: matched on the
   * question's words other than the names of entries ("max message size" in "max message size in sqs").
   * `othersAsWords`: the names of services outside `entries` are words of the question, when it says more than
   * names (a follow-up asked of its thread's subject).
   */
  factsFor(q: Query, entries: readonly string[], othersAsWords = false): FactHit[] {
    // The names of services (and of the entries asked about) route the question; the rest says what it asks.
    // A category's name is a detail here: "cost" in "what does an eks cluster cost".
    const all = this.spans(q.words).filter((m) => m.own);
    const service = (id: string): boolean => entries.includes(id) || this.kinds.get(id) === 'service';
    const covered = new Set(all.filter((m) => m.ids.some(service)).flatMap((m) => Array.from({ length: m.end - m.start }, (_, i) => m.start + i)));
    // Another service's name is then a word of the question ("kms" in "which kms permissions does reading a secret
    // need?" asked of Secrets Manager), unless the question is only names ("and with SNS?" asks SNS).
    const keepOthers = othersAsWords && q.words.some((w, i) => !covered.has(i) && !stopWords.has(w));
    const spans = all.filter((m) => m.ids.some((id) => entries.includes(id) || (!keepOthers && this.kinds.get(id) === 'service')));
    // An alias that is a shorter name of the same entry plus words of its own ("backup vault lock") names the
    // entry by the shorter name; the rest is a feature the question asks about ("remove a backup vault lock").
    // A question that is only a name ("gateway load balancer") asks for the card, not a fact of its words.
    const whole = new Set(spans.flatMap((m) => Array.from({ length: m.end - m.start }, (_, i) => m.start + i)));
    // Only when the question names one service: beside another ("sam deploy needs --s3-bucket"), "bucket" would
    // point to S3's facts for no reason but the name it came with.
    const one = new Set(spans.flatMap((m) => m.ids)).size === 1;
    const asksMore = one && q.words.some((w, i) => !whole.has(i) && !stopWords.has(w));
    const inName = asksMore ? new Set(spans.flatMap((m) => this.namingWords(q.words, m))) : whole;
    const detail: string[] = [];
    const sequence: string[] = [];
    const detailSequence: string[] = [];
    q.words.forEach((w, i) => {
      if (stopWords.has(w)) return;
      sequence.push(stem(w));
      if (inName.has(i)) return;
      detail.push(w);
      detailSequence.push(stem(w));
    });
    const asked = quantitiesAsked(q.words);
    const slots = [...new Set(detail)]
      .slice(0, maxSlots)
      .map((w) => [w, ...(abbreviations[w]?.split(' ') ?? []), ...(asked.length ? (quantityWords[w] ?? []) : [])].map(stem));
    // A way of asking is found in the question as written, or with the names taken out: "remove vault lock" in
    // "remove a Backup vault lock".
    return this.facts.match(slots, [sequence.join(' '), detailSequence.join(' ')], entries, asked);
  }

  /** The positions of a name's words that name its entry: those of a shorter name of the same entry inside it, else all. */
  private namingWords(ws: readonly string[], m: NameMatch): number[] {
    const all = Array.from({ length: m.end - m.start }, (_, i) => m.start + i);
    if (all.length < 2 || m.ids.length !== 1) return all;
    for (let n = all.length - 1; n >= 1; n--)
      for (let i = m.start; i + n <= m.end; i++) {
        const key = this.names.exact(ws.slice(i, i + n));
        if (key?.own && key.ids.length === 1 && key.ids[0] === m.ids[0] && !stopWords.has(ws[i]!)) return all.slice(i - m.start, i - m.start + n);
      }
    return all;
  }

  /**
   * The one entry some words name, for one side of a comparison: a name among them (the first or the last when
   * there are several), else, for a few words, a typo of one name.
   */
  entryNamedBy(tokens: readonly string[], pick: 'first' | 'last'): string | undefined {
    const found = this.spans(tokens).filter((m) => m.ids.length === 1);
    const match = pick === 'first' ? found[0] : found[found.length - 1];
    if (match) return match.ids[0];
    const content = tokens.filter((t) => !stopWords.has(t));
    if (content.length === 0 || content.length > 3) return undefined;
    return this.named(fromWords(content.join(' '), content))[0]?.id;
  }

  private rank(q: Query): Hit[] {
    if (q.content.length === 0) return this.named(q); // "must know services": a name made of common words
    const named = this.named(q);
    // A query that names one entry needs no text search: that entry is the answer.
    if (named.length === 1) return named;
    const text = this.textSearch(q);
    if (named.length === 0) return text;
    // Several entries share a name only for other clouds' names ("Pub/Sub"): the text decides between them.
    const textScore = new Map(text.map((h) => [h.id, h.score]));
    named.sort((a, b) => (textScore.get(b.id) ?? 0) - (textScore.get(a.id) ?? 0));
    const ids = new Set(named.map((h) => h.id));
    return [...named.map((h, i) => ({ ...h, score: nameScore - i })), ...text.filter((h) => !ids.has(h.id))];
  }

  /**
   * The entries a query names as a whole: "Amazon SQS", "what is parameter store?", or, for a short query, one
   * typo away from a name ("dyanmodb", "rout53"). A typo counts only when one name is clearly closest.
   */
  private named(q: Query): Hit[] {
    // The words as typed first ("transfer services" is a category's alias), then without filler ("what is sqs").
    const exact = this.names.exact(q.words) ?? (q.content.length ? this.names.exact(q.content) : undefined);
    if (exact)
      return exact.ids.map((id) => ({
        id,
        score: nameScore,
        coverage: 1,
        via: 'name' as const,
        ...(exact.label ? { counterpartOf: exact.label } : {}),
      }));
    // Only a query that names nothing as it stands can be a typo of a name: "sqs fifo" is not "sns fifo".
    if (q.content.length === 0 || q.content.length > 3) return [];
    // A typo is a word the knowledge doesn't know; a query of known words has none (and skips the scan).
    if (q.content.every((w) => this.weight.has(stem(w)))) return [];
    if (this.spans(q.words).length > 0) return [];
    const compact = q.content.join('');
    const near = this.names.near(compact, this.options.nameTypoDistance(compact.length));
    const best = near[0];
    if (!best || !near.every((x) => x.distance > best.distance || sameIds(x.ids, best.ids))) return [];
    return best.ids.map((id) => ({ id, score: nameScore, coverage: 1 - 0.1 * best.distance, via: 'typo' as const }));
  }

  private textSearch(q: Query): Hit[] {
    const o = this.options;
    const unique = [...new Set(q.content)];
    const slots = q.slots.map((alts, i) => this.decompound(unique[i] ?? '', alts));
    const stems = [...new Set(slots.flat())];
    // The stems are final: MiniSearch must not filter or stem them again ("recommend" is a stop word, its stem is not).
    // Only the best BM25 results are weighed further: one common word matches half the knowledge, and an entry far
    // down that list never reaches the top by coverage.
    // Entries the query names on the way ("run containers on kubernetes" names EKS), and the query as a phrase.
    // Only services: a category word in a question is context ("graph database", "serverless compute").
    const spans = this.spans(q.words).filter((m) => m.own && m.ids.some((id) => this.kinds.get(id) === 'service'));
    const named = new Set(spans.flatMap((m) => m.ids));
    // A service named beside other words may be what the question is about ("dynamodb table") or only its object
    // ("encrypt s3 objects with my own key", "who deleted my ec2 instance"): its name's words weigh less in the text
    // ranking, so the other words decide, and coverage still favours it when it covers them too.
    const nameStems = new Set(
      spans
        .flatMap((m) => q.words.slice(m.start, m.end))
        .filter((w) => !stopWords.has(w))
        .map(stem),
    );
    const context = nameStems.size > 0 && stems.some((t) => !nameStems.has(t));
    // A long paste is full of words no entry knows (ids, paths, hashes): only the first few are looked up as typos
    // or prefixes, which is where the time of a search goes.
    // A typo is a short question's: in a longer one, its unknown words are names and ids, not misspellings.
    let variants = q.slots.length > o.maxVariantQueryWords ? o.maxVariantTerms : 0;
    const variant = (t: string, min: number): boolean => t.length >= min && !this.weight.has(t) && variants++ < o.maxVariantTerms;
    // In the order MiniSearch's query spec would ask them: a term's fuzzy test before its prefix test.
    const queries: TermQuery[] = stems.map((t) => {
      const fuzzy = variant(t, o.fuzzyMinLength) ? o.fuzzy : false;
      const prefix = t.length >= o.prefixMinLength && !this.weight.has(t) && variants <= o.maxVariantTerms;
      return { term: t, fuzzy, prefix, boost: context && nameStems.has(t) ? o.namedTermWeight : 1 };
    });
    const results = this.text.search(queries, this.textWeights, undefined, o.rerankDepth).map((r) => ({ ...r, id: this.ids[r.doc]! }));
    const phrase = q.content.length >= 2 ? q.content.map(stem).join(' ') : '';
    // An entry can hold the phrase only if it matched each of its words that was searched for.
    const phraseStems = phrase ? [...new Set(phrase.split(' '))].filter((t) => stems.includes(t)) : [];
    // What a document term gives a query stem: 1 for the stem itself, `approximateCredit` for a variant of it, else
    // 0; worked out once per question, document term and stem (the same terms recur in every result).
    const slotsOf = stems.map((t) => slots.flatMap((alts, i) => (alts.includes(t) ? [i] : [])));
    const stemAt = new Map(stems.map((t, k) => [t, k]));
    const credits = new Map<string, Float64Array>();
    const creditOf = (docTerm: string, k: number): number => {
      let v = credits.get(docTerm);
      if (!v) credits.set(docTerm, (v = new Float64Array(stems.length).fill(Number.NaN)));
      let c = v[k]!;
      if (Number.isNaN(c)) v[k] = c = docTerm === stems[k] ? 1 : isVariant(stems[k]!, docTerm, o) ? o.approximateCredit : 0;
      return c;
    };
    // A word no entry contains but that matched as a typo or prefix ("kube" → kubernetes) weighs what its match weighs.
    const variantWeight = new Map<string, number>();
    const unknown = stems.filter((t) => !this.weight.has(t));
    if (unknown.length > 0)
      for (const r of results)
        for (const docTerm of r.match.keys())
          for (const t of r.queryTerms)
            if (unknown.includes(t) && creditOf(docTerm, stemAt.get(t)!) > 0)
              variantWeight.set(t, Math.max(variantWeight.get(t) ?? 0, this.weight.get(docTerm) ?? 0));
    const weightOf = (t: string): number => this.weight.get(t) ?? variantWeight.get(t) ?? o.unknownWeight;
    const slotWeights = slots.map((alts) => Math.max(...alts.map(weightOf)));
    const total = slotWeights.reduce((sum, w) => sum + w, 0);
    const padded = phrase ? ` ${phrase} ` : '';
    const item = phrase ? ` | ${phrase} | ` : '';
    const strength = (fields: string[]): number => {
      let m = 0;
      for (const f of fields) m = Math.max(m, o.fieldStrength[f as SearchField] ?? 0);
      return m;
    };
    const slotCredit = new Float64Array(slots.length);
    // This loop runs for every result of every question: plain loops, no intermediate arrays.
    const hits: Hit[] = results.map((r) => {
      // Evidence: each slot of the query, by its weight, the strongest field one of its stems matched in, and
      // whether it matched exactly or only through a fuzzy/prefix variant.
      slotCredit.fill(0);
      let byName = false;
      const matched = r.queryTerms.map((t) => stemAt.get(t) ?? -1);
      for (const [docTerm, fields] of r.match) {
        const s = strength(fields);
        for (const k of matched) {
          const c = k < 0 ? 0 : creditOf(docTerm, k);
          if (!c) continue;
          for (const i of slotsOf[k]!) slotCredit[i] = Math.max(slotCredit[i]!, c * s);
          if (c === 1 && !byName) byName = fields.includes('name') || fields.includes('aliases');
        }
      }
      let evidence = 0;
      for (let i = 0; i < slots.length; i++) evidence += slotWeights[i]! * slotCredit[i]!;
      const coverage = total > 0 ? Math.min(1, evidence / total) : 0;
      const id = String(r.id);
      const boost = phraseStems.every((t) => r.match.has(t)) ? this.phraseBoost(id, padded, item) : 1;
      const score = r.score * coverage ** o.coverageExponent * boost;
      return { id, score, coverage, evidence, byName, via: 'text' as const, named: named.has(id) };
    });
    return hits.sort((a, b) => b.score - a.score);
  }

  /**
   * A word the knowledge doesn't know that is two words it knows run together ("datacenter", "loadbalancer")
   * also looks for both halves, in the same slot.
   */
  private decompound(word: string, alts: readonly string[]): readonly string[] {
    if (alts.length > 1 || this.weight.has(alts[0]!) || word.length < 7) return alts;
    for (let i = 3; i <= word.length - 3; i++) {
      const a = stem(word.slice(0, i));
      const b = stem(word.slice(i));
      if (this.weight.has(a) && this.weight.has(b)) return [...alts, a, b];
    }
    return alts;
  }

  /**
   * An entry whose field holds the query's words as one phrase ("infrastructure as code" is CloudFormation's
   * purpose) gets the boost of the strongest such field; more when a whole list item or purpose is the query.
   */
  private phraseBoost(id: string, padded: string, item: string): number {
    if (!padded) return 1;
    const fields = this.phrases.get(id);
    let best = 1;
    if (fields)
      for (const [f, text] of fields) {
        if (!text.includes(padded)) continue;
        // The whole item is the query ("Serverless compute service" is Lambda's purpose): more than a phrase in it.
        const whole = text.includes(item) ? this.options.wholeItemBoost : 1;
        best = Math.max(best, (this.options.phraseBoost[f] ?? 1) * whole);
      }
    return best;
  }
}

/**
 * Whether a document term is one MiniSearch could have matched for a query term as a prefix ("kube" →
 * kubernetes) or within its fuzzy distance ("lamda" → lambda): MiniSearch reports the terms it matched, not how.
 * "sqs" is not a variant of "ecs": a three-letter term gets no fuzzy distance at all.
 */
export function isVariant(
  queryTerm: string,
  docTerm: string,
  o: Pick<SearchOptions, 'fuzzy' | 'fuzzyMinLength' | 'prefixMinLength'> = defaultSearchOptions,
): boolean {
  if (queryTerm.length >= o.prefixMinLength && docTerm.startsWith(queryTerm)) return true;
  if (queryTerm.length < o.fuzzyMinLength) return false;
  const max = Math.round(queryTerm.length * o.fuzzy);
  return max > 0 && Math.abs(docTerm.length - queryTerm.length) <= max && editDistance(queryTerm, docTerm, max) <= max;
}

function priorOf(e: Entry, o: SearchOptions): number {
  if (e.kind === 'service') return e.source === 'guide' ? o.prior.service : o.prior.extendedService;
  return o.prior[e.kind];
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * In a question after a quantity, the words facts state it in: "how long can it run" asks for a timeout or a
 * duration, "how big" for a size.
 */
const quantityWords: Record<string, string[]> = {
  long: ['timeout', 'duration', 'time', 'length'],
  big: ['size', 'maximum'],
  large: ['size', 'maximum'],
  largest: ['maximum', 'size'],
  biggest: ['maximum', 'size'],
  longest: ['maximum', 'timeout', 'duration'],
  often: ['frequency', 'schedule', 'rate'],
};

/** The kinds of quantity a question asks for, from its words ("how long", "max size", "how many"). */
export function quantitiesAsked(ws: readonly string[]): Quantity[] {
  const text = ` ${ws.join(' ')} `;
  const out: Quantity[] = [];
  if (/ how long | timeout | timeouts | duration | retention | expire | expires | expiry | ttl | how often | how soon | take to /.test(text))
    out.push('time');
  if (/ how (big|large|long) | size | sizes | largest | biggest | how much data | length | mb | gb | kb | bytes | characters /.test(text))
    out.push('size');
  if (/ how many | number of | count | max number /.test(text)) out.push('count');
  return out;
}
