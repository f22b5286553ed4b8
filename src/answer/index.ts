/**
 * The one decision point: a question in, an Answer out. The help card, a comparison of two entries, one entry,
 * or no answer (with "did you mean" suggestions where some are close); and, for an entry, the facts the reply
 * leads with when the question asks for a number, a default, a guarantee, a command, an error or a choice. The
 * search finds and ranks; everything decided about what the bot says is decided here.
 */
import type { KnowledgeBase } from '../knowledge/load.js';
import { nameWords } from '../knowledge/names.js';
import type { Entry, Fact, UnlistedService } from '../knowledge/schema.js';
import type { FactHit, Hit, Query, SearchResult, Searcher } from '../search/index.js';
import { comparedIds } from './compare.js';
import { defaultAnswerOptions, type AnswerOptions } from './options.js';
import { unlistedFinder } from './unlisted.js';

export interface Result {
  entry: Entry;
  score: number;
  /**
   * Share of the question's weight the entry matches, 0..1 (1 for an entry chosen by other means: a fact, a
   * subject); absent on an answer shown by id (a button, a comparison).
   */
  coverage?: number;
}

interface Common {
  /** The question as asked. */
  query: string;
  /** Answered as a follow-up about a conversation's subject (the question named no entry of its own). */
  fromSubject?: string;
  suggestions: Entry[];
  /** The facts the reply leads with, in order; [] when it leads with none. */
  facts: Fact[];
}

export type Answer =
  | (Common & {
      kind: 'entry';
      results: [Result];
      /** The question asks for a detail (a limit, a default, a price) the knowledge doesn't have. */
      missing?: boolean;
      /** The question named another cloud's product; this entry is its AWS counterpart. */
      counterpartOf?: string;
    })
  | (Common & { kind: 'compare'; results: [Result, Result] })
  | (Common & { kind: 'help'; results: [] })
  | (Common & {
      kind: 'none';
      results: [];
      /** The question names an AWS service the knowledge has no entry for (knowledge/unlisted/): this one. */
      unlisted?: UnlistedService;
    });

/** What a conversation knows when a question comes in. */
export interface AskContext {
  /** The entry the conversation is about (a thread's first answer): a follow-up that names no other entry is about it. */
  subject?: string | undefined;
  /**
   * The fact the conversation's last answer led with, if any (an id, nothing a person wrote): "and with Aurora?"
   * after the answer on RDS read replicas asks Aurora the same thing.
   */
  topic?: string | undefined;
}

export interface Answerer {
  /** The answer to a question in words, in the context of a conversation when there is one. */
  ask(question: string, context?: AskContext): Answer;
  /**
   * The answer that shows given entries (one, or two side by side), as a button or a re-render asks for them;
   * undefined when an id is unknown. `question` is what was asked, if anything was.
   */
  show(ids: readonly string[], question?: string): Answer | undefined;
}

/**
 * Whether an answer is one to give to a follow-up nobody addressed to the bot (a thread message without a mention):
 * a confident answer that names its own subject, or a fact about the thread's subject. Anything less would be noise.
 */
export function answersFollowUp(a: Answer): boolean {
  if (a.kind === 'compare') return true;
  if (a.kind !== 'entry' || a.missing) return false;
  return a.fromSubject === undefined || a.facts.length > 0;
}

/** What reads as a request for help: nothing, "?", or the one word "help" ("Help!", "help?"). */
export function isHelp(question: string): boolean {
  const t = question.trim();
  if (t === '' || t === '?') return true;
  // One word with some punctuation around it at most: a longer text is never just "help".
  if (t.length > 24) return false;
  const w = nameWords(t);
  return w.length === 1 && w[0] === 'help';
}

/** Words that ask for a specific detail: a number, a size, a default, a price. */
const detailCues = new Set([
  'max',
  'maximum',
  'min',
  'minimum',
  'limit',
  'limits',
  'quota',
  'quotas',
  'size',
  'sizes',
  'default',
  'defaults',
  'timeout',
  'cost',
  'costs',
  'price',
  'pricing',
  'length',
  'largest',
  'biggest',
  'smallest',
  'retention',
  'duration',
  'throughput',
  'capacity',
  'maximal',
  'upper',
  'ceiling',
  'cap',
]);

/**
 * "You" or "we" doing something, in a thread message: people asking each other ("did you restart it?", "are we
 * rolling back?"), not the bot ("can you show the limits?", "should we raise it?").
 */
const peopleTalk = /\b(?:are|were|did|was) (?:you|we)\b/;

/** Words that turn a follow-up into a comparison with the subject ("how does it compare to sns?"). */
const comparisonWords = new Set(['compare', 'compared', 'comparison', 'vs', 'versus', 'difference', 'differ', 'better', 'instead']);

/** Words of a question that weighs options against each other. */
const choiceCues = new Set([
  'vs',
  'versus',
  'or',
  'difference',
  'differences',
  'compare',
  'compared',
  'comparison',
  'choose',
  'choosing',
  'which',
  'between',
  'instead',
  'better',
  'prefer',
  'when',
]);

/** Words of a question about something going wrong. */
const problemCues = new Set([
  'error',
  'errors',
  'exception',
  'fail',
  'fails',
  'failed',
  'failing',
  'failure',
  'denied',
  'cannot',
  'unable',
  'stuck',
  'timeout',
  'timed',
  'refused',
  'invalid',
  'why',
  'broken',
  'rejected',
  'throttled',
  'throttling',
  'exceeded',
  'missing',
  'wrong',
  'issue',
  'problem',
  'skipped',
  'disconnect',
  'disconnects',
  'disconnected',
  'disconnecting',
  'crash',
  'crashes',
  'crashing',
  'hangs',
  'unreachable',
  'unauthorized',
  'forbidden',
  'blocked',
  'troubleshoot',
  'troubleshooting',
]);

/** Words that ask for AWS's counterpart of another cloud's product. */
const counterpartCues = new Set([
  'equivalent',
  'equivalents',
  'alternative',
  'alternatives',
  'counterpart',
  'counterparts',
  'similar',
  'like',
  'migrate',
  'migrating',
  'migration',
  'replace',
  'replacement',
  'vs',
  'versus',
  'compare',
  'compared',
  'comparison',
]);

/** Builds the answer function over a knowledge base and its search. */
export function createAnswerer(kb: KnowledgeBase, searcher: Searcher, options: AnswerOptions = defaultAnswerOptions): Answerer {
  const o = options;
  const entry = (id: string): Entry => {
    const e = kb.byId.get(id);
    if (!e) throw new Error(`answer: search returned unknown id "${id}"`);
    return e;
  };
  const result = (h: Pick<Hit, 'id' | 'score'> & Partial<Pick<Hit, 'coverage'>>): Result => ({
    entry: entry(h.id),
    score: round(h.score),
    ...(h.coverage === undefined ? {} : { coverage: round(h.coverage) }),
  });
  /** The search's hit for an entry, or a stand-in for one the answer chose by other means (a name, a fact, a subject). */
  const hitOf = (id: string, found?: SearchResult, via: Hit['via'] = 'name'): Hit =>
    found?.hits.find((h) => h.id === id) ?? { id, score: 0, coverage: 1, via };
  const unlistedIn = unlistedFinder(kb.unlisted);

  /** Whether a hit is an answer the bot can stand behind, rather than the least bad match. */
  const confident = (h: Hit | undefined, r: SearchResult): h is Hit => {
    if (!h) return false;
    if (h.via !== 'text') return true;
    const needed = o.minCoverage(r.contentWords) * (h.named ? o.namedCoverageFactor : 1);
    const evidence = o.minEvidence * (h.byName ? o.nameEvidenceFactor : 1);
    return h.coverage >= needed && (h.evidence ?? 0) >= evidence;
  };

  /**
   * Whether a rival close behind a fact (half its score or more) matches clearly more of the question by its ways of
   * asking: then a way of asking for the fact found whole in the question is not enough for it to lead (a general
   * limit's phrase inside a question about the limit of one kind of resource, which has a fact of its own).
   */
  const outasked = (h: FactHit, rival: FactHit | undefined): boolean =>
    rival !== undefined && rival.score >= o.phraseRivalShare * h.score && rival.askCoverage > h.askCoverage + o.phraseRivalMargin;

  /**
   * Whether a fact's match is good enough to lead with: an error string of the paste, a whole way of asking for it, or
   * a fair part of the question when no other fact comes close. (Covering most of the question's words without
   * either led with the wrong fact as often as the right one on the real questions: not enough.)
   */
  const leads = (h: FactHit, next: FactHit | undefined): boolean =>
    h.via === 'error' ||
    (h.phrase && h.coverage >= o.minFactPhraseCoverage && !outasked(h, next)) ||
    (h.askCoverage >= o.minWinnerCoverage &&
      (!next || h.score >= (h.coverage >= o.closeWinnerCoverage ? o.closeWinnerMargin : o.winnerMargin) * next.score)) ||
    // A long paste dilutes every match; a fact that a way of asking for it picks out far above all others still leads.
    (h.phrase && h.askCoverage >= o.minDominantCoverage && (!next || h.score >= o.dominantMargin * next.score));

  /**
   * Whether a fact answers a long question about something the service's description doesn't speak to ("allow
   * access to rds from an ec2 instance in the same vpc"): it matches a fair part of the question, nearly as much as
   * the best entry does, and scores far above the next fact. A question the best entry covers better than any fact
   * ("a shared filesystem several servers can mount") asks for the service, and gets its card. pickFacts asks it
   * only of a question of `minDetailWords` that stands on its own and is not after a number or a size: there a fact
   * that matches only its common words ("maximum number of tags per sqs queue" → SQS's throughput) would state the
   * wrong number, and the stricter tests above decide.
   */
  const leadsOnDetail = (h: FactHit, next: FactHit | undefined, entryCoverage: number): boolean =>
    h.coverage >= o.minDetailCoverage && h.coverage >= o.detailShareOfEntry * entryCoverage && (!next || h.score >= o.detailMargin * next.score);

  /**
   * Whether a fact is the kind of answer the question is after: a choice only for a question that weighs options
   * ("how do I cache db queries?" is not "elasticache or memorydb?"), an error only for one about a problem.
   */
  const fits = (f: Fact, q: Query): boolean => {
    if (f.type === 'choice') return q.words.some((w) => choiceCues.has(w));
    if (f.type === 'error') return q.words.some((w) => problemCues.has(w)) || /n't|\bnot\b/.test(q.text.toLowerCase());
    return true;
  };

  /**
   * When no fact leads because the best two are tied: both, when each answers a fair part of a question of
   * `minTiedPairWords` or more and the next is far below them (two ways of running a function locally, asked about
   * alike). Two facts that both answer are more use than the card alone; a tie in a short topical question (three
   * words that name a subject) still gets the card.
   */
  const tiedPair = (hits: FactHit[], all: FactHit[], q: Query): Fact[] => {
    const [a, b] = hits;
    // The next match of any kind: one set aside as not the kind of answer asked for, close behind, is a third
    // contender ("how to change the backup vault lock": the lock's modes), and there is no pair.
    const c = all.find((h) => h !== a && h !== b);
    // (closeWinnerCoverage is also the thread's floor, minThreadFactCoverage: a follow-up's pair meets it too.)
    const answers = (h: FactHit | undefined): h is FactHit =>
      h !== undefined && h.askCoverage >= o.minWinnerCoverage && h.coverage >= o.closeWinnerCoverage;
    if (q.content.length < o.minTiedPairWords || !answers(a) || !answers(b)) return [];
    return a.score < o.closeWinnerMargin * b.score && (!c || b.score >= o.closeWinnerMargin * c.score) ? [a.fact, b.fact] : [];
  };

  /**
   * The facts to lead with, of the hits of one entry: the best, and a second that answers another part.
   * `inThread`: for a follow-up in a thread ('subject': one that names no service, read as asking the subject).
   * `entryCoverage`: how much of the question the best entry of the search matches, when the question stands on its
   * own (not a follow-up read with its thread's subject).
   */
  const pickFacts = (all: FactHit[], q: Query, inThread: boolean | 'subject' = false, entryCoverage?: number): Fact[] => {
    const onDetail = !inThread && entryCoverage !== undefined && q.content.length >= o.minDetailWords && !asksDetail(q);
    const leadsHere = (h: FactHit, next: FactHit | undefined): boolean =>
      leads(h, next) ||
      // A follow-up about the subject, whose fact covers all of it by a way of asking for it: one and a half times
      // the next is enough, as the subject is known ("and the GetMetricStatistics limit?" in a CloudWatch thread,
      // with GetMetricData's limits close behind).
      (inThread === 'subject' &&
        h.coverage >= o.fullCoverage &&
        h.askCoverage >= o.minWinnerCoverage &&
        (!next || h.score >= o.subjectWinnerMargin * next.score)) ||
      (onDetail && leadsOnDetail(h, next, entryCoverage!)) ||
      // A follow-up that names nothing ("does it apply to $LATEST?") asks the subject: a fact of it that scores four
      // times the next answers it, whether or not its ways of asking use those words, when it also covers half of the
      // question, as every fact that leads in a thread must (`minThreadFactCoverage`, below). A message of a word or
      // two needs its ways of asking to match: "is that why the job failed?" shares both of its words with S3's
      // batch replication jobs, and is thread talk.
      (inThread === 'subject' &&
        (q.content.length >= o.minLooseFollowUpWords || h.askCoverage >= o.minWinnerCoverage) &&
        (!next || h.score >= o.winnerMargin * next.score));
    // An error fact that is the best match of a question after a detail answers it with the limit it states
    // ("maximum env var size" → the 4 KB error).
    const limitError = (h: FactHit, i: number): boolean => i === 0 && h.fact.type === 'error' && asksDetail(q) && /\d/.test(h.fact.answer);
    // A choice that is the best match by a way of asking for it answers a question about one side of it
    // ("does provisioned concurrency also cap scaling?" → reserved vs provisioned).
    const namedChoice = (h: FactHit, i: number): boolean => i === 0 && h.fact.type === 'choice' && h.phrase;
    const hits = all.filter((h, i) => h.via === 'error' || fits(h.fact, q) || limitError(h, i) || namedChoice(h, i));
    // A fact set aside as not the kind of answer asked for still stands in the way of the best one when it scores
    // above the next: a fit fact tied with it is no clear winner ("can the backend take longer?" matched the timeout
    // error and the CORS fact alike; the CORS fact is not the answer because the error is set aside).
    // Only a contender by its ways of asking, though: an error fact whose answer's text happens to hold the words of
    // a how-to question does not stand in the way of the how-to its ways of asking name.
    const setAside = all[0] !== hits[0] && (!hits[0] || all[0]!.askCoverage >= hits[0].askCoverage - o.setAsideAskMargin) ? all[0] : undefined;
    const rival = setAside && (!hits[1] || setAside.score > hits[1].score) ? setAside : hits[1];
    // The best match leads on its own terms. One ranked below it leads by being far ahead of the fact after it
    // only when it also answers more of what is asked (or by a whole way of asking, or an error string): else
    // "connect to rds from an ec2 instance" led with EC2's "terminate is irreversible". In a question of a word or
    // two ("dynamodb table", "object storage") that asks for the card, only by what no rank changes; a follow-up
    // in a thread, whose subject is known, weighs each fact against the next as before.
    const byRankOnly = q.content.length <= 2 && !inThread;
    const best = hits[0];
    const good = hits.filter((h, i) =>
      i === 0
        ? leadsHere(h, rival)
        : byRankOnly
          ? h.via === 'error' || (h.phrase && h.coverage >= o.minFactPhraseCoverage)
          : leadsHere(h, hits[i + 1]) && !outasked(h, best) && (inThread || h.via === 'error' || h.phrase || h.askCoverage > best!.askCoverage),
    );
    // A fact ranked below the best match leads only when it scores a fair share of it: far below, it answers some
    // other question that shares a phrase with this one.
    // In a thread, half of the message at least: talk that shares one word with a fact is not a follow-up.
    const apt = inThread ? good.filter((h) => h.via === 'error' || h.coverage >= o.minThreadFactCoverage) : good;
    const [first, second] = apt[0] && apt[0].score >= o.minLeadShareOfBest * best!.score ? apt : [];
    // (A fact set aside as not the kind of answer asked for, ranked above both, leaves no tie to break.)
    if (!first) return setAside ? [] : tiedPair(hits, all, q);
    return second?.phrase && first.phrase && second.score >= 0.75 * first.score ? [first.fact, second.fact] : [first.fact];
  };

  /**
   * For a question after a detail (a limit, a price): the first hit, unless the question names one service and
   * that service matches nearly as much of it as the hit ranked above it, which the question does not name; then
   * the named one ("what does an eks cluster cost"). A detail is asked of the service a person names.
   */
  const preferNamed = (r: SearchResult): Hit | undefined => {
    const [first] = r.hits;
    if (!first || r.named.length !== 1 || first.id === r.named[0] || first.via !== 'text' || first.named) return first;
    const own = r.hits.find((h) => h.id === r.named[0]);
    return own && own.coverage >= o.namedShareOfTop * first.coverage ? own : first;
  };

  /**
   * The service one SDK error line in the question calls ("when calling the PutItem operation" is DynamoDB's), when
   * the search found it: what the paste is about, whatever else its words match (a queue's error speaks of messages,
   * which are a topic's words too).
   */
  const calledService = (r: SearchResult, q: Query): Hit | undefined =>
    q.calls?.length === 1 ? r.hits.find((h) => h.id === q.calls![0]) : undefined;

  const asksDetail = (q: Query): boolean => q.words.some((w) => detailCues.has(w)) || /\bhow (many|much|long|big|large)\b/.test(q.words.join(' '));

  const entryAnswer = (question: string, h: Hit, facts: Fact[], q: Query): Answer => ({
    kind: 'entry',
    query: question,
    results: [result(h)],
    suggestions: [],
    facts,
    ...(facts.length === 0 && asksDetail(q) && kb.byId.get(h.id)?.kind === 'service' ? { missing: true } : {}),
    ...(h.counterpartOf ? { counterpartOf: h.counterpartOf } : {}),
  });

  /**
   * The error facts a paste answers to: those of its most specific (longest) error string; when several services
   * list that same string ("ThrottlingException"), the one the paste or the search names, else none: no guess.
   */
  const errorFacts = (errors: FactHit[], preferred: string[]): FactHit[] => {
    if (errors.length === 0) return [];
    const longest = Math.max(...errors.map((e) => e.matched ?? 0));
    const owners = [...new Set(errors.filter((e) => e.matched === longest).map((e) => e.fact.entry))];
    // Of several owners, the one whose other error strings the paste holds too ("Rate exceeded for shard" beside
    // ProvisionedThroughputExceededException is Kinesis's, not DynamoDB's).
    const found = (id: string): number => Math.max(...errors.filter((e) => e.fact.entry === id).map((e) => e.strings ?? 1));
    const most = Math.max(...owners.map(found));
    const ahead = owners.filter((id) => found(id) === most);
    const id = owners.length === 1 ? owners[0] : ahead.length === 1 ? ahead[0] : preferred.find((p) => owners.includes(p));
    return id ? errors.filter((e) => e.fact.entry === id).sort((a, b) => (b.matched ?? 0) - (a.matched ?? 0)) : [];
  };

  const choiceFacts = kb.facts.filter((f) => f.type === 'choice');
  const compareAnswer = (question: string, pair: [string, string]): Answer => {
    const choices = choiceFacts.filter((f) => pair.includes(f.entry) && pair.some((id) => id !== f.entry && f.versus.includes(id)));
    return {
      kind: 'compare',
      query: question,
      results: [result({ id: pair[0], score: 1 }), result({ id: pair[1], score: 1 })],
      suggestions: [],
      facts: choices.slice(0, 2),
    };
  };

  // `inThread`: asked on behalf of a follow-up in a thread (the question with its subject's name added).
  function ask(question: string, context: AskContext = {}, inThread = false): Answer {
    if (isHelp(question)) return { kind: 'help', query: question, results: [], suggestions: [], facts: [] };
    const q = searcher.parse(question.slice(0, o.maxQueryLength));

    const pair = comparedIds(q.words, searcher);
    if (pair) return compareAnswer(question, pair);

    const subject = context.subject ? kb.byId.get(context.subject) : undefined;
    if (subject && q.content.length > 0) {
      const named = searcher.search(q).named.filter((id) => id !== subject.id);
      // "how does it compare to sns?": the subject against the one other service named.
      if (named.length === 1 && q.words.some((w) => comparisonWords.has(w))) return compareAnswer(question, [subject.id, named[0]!]);
      // A word that names another service may still be about the subject ("batch" in "and the batch size?" after
      // an SQS answer): when the subject has the fact it asks for, it stays the subject's.
      if (named.length === 1) {
        const facts = pickFacts(searcher.factsFor(q, [subject.id], true), q, true);
        if (facts.length) return { ...entryAnswer(question, hitOf(subject.id), facts, q), fromSubject: subject.id };
        // "and with Aurora?": the last question asked of the service it names, when it asks nothing of its own.
        const other = named[0]!;
        const topic = context.topic ? kb.facts.find((f) => f.id === context.topic && f.entry === subject.id) : undefined;
        if (topic && pickFacts(searcher.factsFor(q, [other]), q).length === 0 && searcher.factsFor(q, []).length === 0) {
          const same = searcher.parse(`${topic.asks.slice(0, 3).join(', ')} ${kb.byId.get(other)?.name ?? ''}`);
          const theirs = pickFacts(searcher.factsFor(same, [other]), same);
          if (theirs.length) return entryAnswer(question, hitOf(other), theirs, same);
        }
      }
      // People in the thread asking each other about one thing ("did you restart it?", "what version are we on?")
      // ask nothing of the bot.
      if (named.length === 0 && q.content.length <= 1 && peopleTalk.test(q.words.join(' ')))
        return { kind: 'none', query: question, results: [], suggestions: [], facts: [] };
      // "and the max size?", "what about FIFO?": the same question about the subject.
      if (named.length === 0) {
        // The subject's own fact, when one answers the question as asked of it; a question of one word may be
        // chatter that shares a word with a fact ("is there any update on this?"), and is read below instead.
        const facts = q.content.length >= 2 ? pickFacts(searcher.factsFor(q, [subject.id]), q, 'subject') : [];
        if (facts.length) return { ...entryAnswer(question, hitOf(subject.id), facts, q), fromSubject: subject.id };
        const a = ask(`${question} (${subject.name})`, {}, true);
        if (a.kind === 'entry' && a.results[0].entry.id === subject.id) return { ...a, query: question, fromSubject: subject.id };
        // The subject's name led elsewhere ("ok, lunch first? (Amazon SQS)"): the question stands on its own.
      }
    }

    const found = searcher.search(q);
    // A question about an AWS service the knowledge doesn't cover, naming none it does: say so, rather than give
    // the card of a service whose name or words it happens to share ("amazon keyspaces" is not KMS).
    const unlisted = found.named.length === 0 && found.hits[0]?.via !== 'name' ? unlistedIn(question.slice(0, o.maxPasteLength)) : undefined;
    if (unlisted) return { kind: 'none', query: question, results: [], suggestions: [], facts: [], unlisted };
    const top = calledService(found, q) ?? (asksDetail(q) ? preferNamed(found) : found.hits[0]);
    // A question about another cloud's product that names no AWS service is about that product, not AWS
    // ("connection strings for Cosmos DB"), unless it asks for the AWS counterpart; "what is azure batch?" names
    // the product outright and gets its counterpart by name.
    // "azure" or "gcp" in a question of more than a product's name ("azure function app host.json settings") says where it is.
    const cloudWord = q.words.includes('azure') || q.words.includes('gcp') || /\bgoogle cloud\b/.test(q.words.join(' '));
    const otherCloud = found.namesOtherCloud || (cloudWord && q.content.length > 3);
    const elsewhere = otherCloud && found.named.length === 0 && top?.via === 'text' && !q.words.some((w) => counterpartCues.has(w));
    const sure = !elsewhere && confident(top, found);

    // A pasted error names its own answer, whatever else the paste holds (a stack trace, CLI output).
    const paste = question.slice(0, o.maxPasteLength);
    // A question no longer than what is searched names in its paste what it names (the same words, read once).
    const inPaste = paste.length <= o.maxQueryLength ? found.named : searcher.servicesNamedIn(paste);
    // A message of a few plain words ("Rate exceeded", "504 Gateway Timeout") says what went wrong, not where: in a
    // paste that names a service, it is no other service's error.
    const where = [...found.named, ...inPaste];
    const pasted = searcher.errorsIn(paste).filter((e) => where.length === 0 || where.includes(e.fact.entry) || !isGenericError(e.error ?? ''));
    const errors = pasted.length ? errorFacts(pasted, [...where, ...(sure ? [top.id] : [])]) : [];
    if (errors.length) {
      const id = errors[0]!.fact.entry;
      const hit = hitOf(id, found, 'text');
      return entryAnswer(
        question,
        hit,
        errors.slice(0, 2).map((e) => e.fact),
        q,
      );
    }

    // A service the question names is what it is about, when that service has the fact it asks for and nothing
    // else answers it confidently, or the question is after a detail (a limit, a price) of that service.
    const named = found.named.length === 1 && !elsewhere ? found.named[0]! : undefined;
    if (named && (!sure || (top.id !== named && asksDetail(q)))) {
      const facts = pickFacts(searcher.factsFor(q, [named]), q, inThread, found.hits[0]?.coverage);
      if (facts.length) return entryAnswer(question, hitOf(named, found), facts, q);
    }

    if (sure) {
      // A question that names several services, the answer among them ("connect to rds from an ec2 instance"): the
      // fact is looked for among all their facts, and its service is the answer's.
      const among = found.named.length > 1 && found.named.includes(top.id) ? found.named : [top.id];
      const facts = pickFacts(searcher.factsFor(q, among), q, inThread, top.coverage);
      const id = facts[0]?.entry ?? top.id;
      const hit = id === top.id ? top : hitOf(id, found);
      return entryAnswer(
        question,
        hit,
        facts.filter((f) => f.entry === id),
        q,
      );
    }

    // No entry stands out, but one fact answers the question as a whole ("can't put more than 25 items at once").
    // When the question names services, only theirs: "accessing rds from lambda" is not EFS's "last access";
    // otherwise only those of the entries the search found at all (its 20 best), not of a service no word of the
    // question points to.
    const anywhere = searcher
      .factsFor(q, found.named.length ? found.named : found.hits.slice(0, o.maxFactEntries).map((h) => h.id))
      .filter((h) => fits(h.fact, q));
    const [best, next] = anywhere;
    const enough = (best?.phrase && q.content.length >= 2) || q.content.length >= 3;
    if (
      best &&
      enough &&
      ((best.phrase && best.coverage >= o.minFactCoverageAlone) ||
        (best.askCoverage >= o.minFactCoverageAlone && (!next || best.score >= o.winnerMargin * next.score)))
    ) {
      const id = best.fact.entry;
      return entryAnswer(question, hitOf(id, found, 'text'), [best.fact], q);
    }

    // Nothing stands out, but the question names one service: it is about that service (its card, or "I don't have
    // that detail"), rather than no answer at all.
    // Its name must not be a word the rest of the question merely uses ("a backup region" is not AWS Backup).
    const own = named ? found.hits.find((h) => h.id === named) : undefined;
    if (named && (asksDetail(q) || (own?.coverage ?? 0) >= o.minNamedCoverage)) return entryAnswer(question, hitOf(named, found), [], q);

    const suggestions = found.hits
      .filter((h) => h.coverage >= o.minSuggestionCoverage)
      .slice(0, o.maxSuggestions)
      .map((h) => entry(h.id));
    return { kind: 'none', query: question, results: [], suggestions, facts: [] };
  }

  function show(ids: readonly string[], question = ''): Answer | undefined {
    const entries = ids.map((id) => kb.byId.get(id));
    const [a, b] = entries;
    if (!a || entries.length > 2 || entries.some((e) => !e)) return undefined;
    return b
      ? {
          kind: 'compare',
          query: question,
          results: [
            { entry: a, score: 0 },
            { entry: b, score: 0 },
          ],
          suggestions: [],
          facts: [],
        }
      : { kind: 'entry', query: question, results: [{ entry: a, score: 0 }], suggestions: [], facts: [] };
  }

  return { ask, show };
}

/** An error message too general to say which service returned it: a few plain words ("Rate exceeded"), not a code or a path. */
export function isGenericError(error: string): boolean {
  const w = error.trim().split(/\s+/);
  return w.length > 1 && w.length <= 3 && w.every((x) => /^[A-Za-z0-9]+$/.test(x));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
