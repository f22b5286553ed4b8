/**
 * The maintainers' summary of the feedback log, computed in one place for both `npm run report` and `/aws stats`.
 * Pure: records, day counters and the time in; the summary out.
 *
 * - Unanswered questions, grouped: case, punctuation, emoji, filler words and word endings don't split a
 *   group ("How do I use SQS?" = "sqs", "Glacier restores" = "glacier restore"), and keys within a small edit distance join ("lamda pricing" =
 *   "lambda pricing"); "Suggest this topic" requests count with their group.
 * - The answers with the most 👎, with the reasons given.
 * - The answer rate by surface over the last 7 and 30 days (UTC days, today included).
 */
import { editDistance } from '../search/names.js';
import { abbreviations, stem, stopWords, searchableText, words } from '../search/text.js';
import { dayOf, type DayCounts, type FeedbackRecord } from './store.js';

export interface UnansweredGroup {
  /** The form people used most (ties: the latest). */
  query: string;
  /** Times it got no answer. */
  count: number;
  /** Explicit "Suggest this topic" requests. */
  requests: number;
  /** Other forms in the group, most frequent first. */
  variants: string[];
  /** The latest time it was asked (ISO). */
  lastAt: string;
}

export interface VotedAnswer {
  /** The entry ids of the answer: one entry, or two for a comparison. */
  ids: string[];
  down: number;
  up: number;
  /** What was missing, newest first. */
  reasons: { reason: string; query: string; at: string }[];
}

export interface Rate {
  asked: number;
  answered: number;
  /** answered / asked, or undefined when nothing was asked. */
  rate: number | undefined;
}

export interface SurfaceRate {
  surface: string;
  last7: Rate;
  last30: Rate;
}

export interface Summary {
  generatedAt: string;
  totals: { up: number; down: number; unanswered: number; requests: number; reasons: number };
  unanswered: UnansweredGroup[];
  downvoted: VotedAnswer[];
  /** One row per surface seen in the last 30 days, then 'all'. */
  rates: SurfaceRate[];
}

export interface SummaryOptions {
  /** Most groups and answers listed; default 10. */
  top?: number;
  /** Reasons listed per answer; default 5. */
  reasons?: number;
}

const surfaceOrder = ['slash', 'mention', 'dm', 'button', 'home'];

export function summarize(records: FeedbackRecord[], days: Map<string, DayCounts>, now: number, opts: SummaryOptions = {}): Summary {
  const top = opts.top ?? 10;
  const totals = { up: 0, down: 0, unanswered: 0, requests: 0, reasons: 0 };
  for (const r of records) {
    if (r.type === 'vote' && r.vote === 'up') totals.up++;
    if (r.type === 'vote' && r.vote === 'down') totals.down++;
    if (r.type === 'vote' && r.reason) totals.reasons++;
    if (r.type === 'unanswered') totals.unanswered++;
    if (r.type === 'suggest') totals.requests++;
  }
  return {
    generatedAt: new Date(now).toISOString(),
    totals,
    unanswered: groupUnanswered(records).slice(0, top),
    downvoted: mostDownvoted(records, opts.reasons ?? 5).slice(0, top),
    rates: answerRates(days, now),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Unanswered questions
// ---------------------------------------------------------------------------------------------------------------

/**
 * A query's grouping key (queries are stored as plain text): emoji out, words normalized as names are (lowercase,
 * split on punctuation, "AWS" dropped), abbreviations spelled out, filler words dropped, words stemmed, deduplicated and sorted (word order doesn't split a group either). A query
 * of filler words only keeps its words.
 */
export function groupKey(query: string): string {
  const ws = words(searchableText(query)).flatMap((w) => (abbreviations[w] ?? w).split(' '));
  const meaningful = ws.filter((w) => !stopWords.has(w)).map(stem);
  const chosen = meaningful.length ? meaningful : ws;
  return [...new Set(chosen)].sort().join(' ') || query.trim().toLowerCase();
}

const maxNearKeyLength = 80;

/** Two keys are near-duplicates: equal, or within an edit distance of 2 that short keys don't get (s3 ≠ ec2). */
export function nearKeys(a: string, b: string, bagA: Int16Array = bagOf(a), bagB: Int16Array = bagOf(b)): boolean {
  if (a === b) return true;
  const max = Math.min(2, Math.floor(Math.min(a.length, b.length) / 5));
  // Long keys (pasted logs, essays) only group when equal: comparing them costs more than it tells.
  if (max === 0 || Math.abs(a.length - b.length) > max || Math.min(a.length, b.length) > maxNearKeyLength) return false;
  // One edit changes the letter counts by at most 2: a cheap test that turns most pairs away.
  let diff = 0;
  for (let i = 0; i < bagA.length; i++) diff += Math.abs(bagA[i]! - bagB[i]!);
  return diff <= 2 * max && editDistance(a, b, max) <= max;
}

/** How often each letter, digit and other character occurs in a key. */
function bagOf(key: string): Int16Array {
  const bag = new Int16Array(37);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const slot = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : 36;
    bag[slot]!++;
  }
  return bag;
}

interface Bucket {
  key: string;
  bag: Int16Array;
  count: number;
  requests: number;
  forms: Map<string, { n: number; last: string }>;
  lastAt: string;
}

const maxHeads = 300;

/** The later of two ISO times. */
const later = (a: string, b: string): string => (a > b ? a : b);

export function groupUnanswered(records: FeedbackRecord[]): UnansweredGroup[] {
  const exact = new Map<string, Bucket>();
  for (const r of records) {
    if (r.type !== 'unanswered' && r.type !== 'suggest') continue;
    const form = r.query.replace(/\s+/g, ' ').trim();
    if (!form) continue;
    const key = groupKey(form);
    const b = exact.get(key) ?? { key, bag: bagOf(key), count: 0, requests: 0, forms: new Map(), lastAt: '' };
    if (r.type === 'unanswered') b.count++;
    else b.requests++;
    // Forms differing only in case are one form, shown as most often typed.
    const f = b.forms.get(form) ?? { n: 0, last: '' };
    b.forms.set(form, { n: f.n + 1, last: later(r.at, f.last) });
    if (r.at > b.lastAt) b.lastAt = r.at;
    exact.set(key, b);
  }
  // Biggest buckets first, so each near-duplicate joins the most common spelling's group. Only the first
  // `maxHeads` groups take others in: a long tail of one-off questions costs no quadratic time (`/aws stats` has
  // Slack's 3 seconds), and a one-off can only matter by joining a frequent group.
  const buckets = [...exact.values()].sort((x, y) => y.count + y.requests - (x.count + x.requests) || (x.key < y.key ? -1 : 1));
  const heads: Bucket[] = [];
  const clusters: Bucket[] = [];
  for (const b of buckets) {
    const home = heads.find((c) => nearKeys(c.key, b.key, c.bag, b.bag));
    if (!home) {
      const own = { ...b, forms: new Map(b.forms) };
      clusters.push(own);
      if (heads.length < maxHeads) heads.push(own);
      continue;
    }
    home.count += b.count;
    home.requests += b.requests;
    for (const [form, f] of b.forms) {
      const g = home.forms.get(form) ?? { n: 0, last: '' };
      home.forms.set(form, { n: g.n + f.n, last: later(f.last, g.last) });
    }
    if (b.lastAt > home.lastAt) home.lastAt = b.lastAt;
  }
  return clusters
    .map((c) => {
      const forms = mergeCase([...c.forms]).sort((x, y) => y[1].n - x[1].n || (y[1].last > x[1].last ? 1 : y[1].last < x[1].last ? -1 : 0));
      return { query: forms[0]![0], count: c.count, requests: c.requests, variants: forms.slice(1).map(([f]) => f), lastAt: c.lastAt };
    })
    .sort((x, y) => y.count - x.count || y.requests - x.requests || (y.lastAt > x.lastAt ? 1 : y.lastAt < x.lastAt ? -1 : 0));
}

/** Forms equal but for case and trailing punctuation become one, under the spelling typed most. */
function mergeCase(forms: [string, { n: number; last: string }][]): [string, { n: number; last: string }][] {
  const byLower = new Map<string, { best: string; bestN: number; n: number; last: string }>();
  for (const [form, f] of forms) {
    const k = form.toLowerCase().replace(/[\s?!.,;:]+$/u, '');
    const m = byLower.get(k);
    if (!m) byLower.set(k, { best: form, bestN: f.n, n: f.n, last: f.last });
    else {
      if (f.n > m.bestN) Object.assign(m, { best: form, bestN: f.n });
      m.n += f.n;
      if (f.last > m.last) m.last = f.last;
    }
  }
  return [...byLower.values()].map((m) => [m.best, { n: m.n, last: m.last }]);
}

// ---------------------------------------------------------------------------------------------------------------
// Votes
// ---------------------------------------------------------------------------------------------------------------

export function mostDownvoted(records: FeedbackRecord[], reasonsPerAnswer = 5): VotedAnswer[] {
  const byAnswer = new Map<string, VotedAnswer>();
  for (const r of records) {
    if (r.type !== 'vote' || !r.ids.length) continue;
    const key = r.ids.join(',');
    const v = byAnswer.get(key) ?? { ids: [...r.ids], down: 0, up: 0, reasons: [] };
    if (r.vote === 'down') v.down++;
    if (r.vote === 'up') v.up++;
    if (r.reason) v.reasons.push({ reason: r.reason, query: r.query, at: r.at });
    byAnswer.set(key, v);
  }
  return [...byAnswer.values()]
    .filter((v) => v.down > 0)
    .map((v) => ({ ...v, reasons: v.reasons.sort((x, y) => (y.at > x.at ? 1 : y.at < x.at ? -1 : 0)).slice(0, reasonsPerAnswer) }))
    .sort((x, y) => y.down - x.down || x.up - y.up || (x.ids.join(',') < y.ids.join(',') ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Answer rate
// ---------------------------------------------------------------------------------------------------------------

export function answerRates(days: Map<string, DayCounts>, now: number): SurfaceRate[] {
  const dayMs = 24 * 60 * 60 * 1000;
  const since = (n: number): string => dayOf(now - (n - 1) * dayMs);
  const today = dayOf(now);
  const from7 = since(7);
  const from30 = since(30);
  const rows = new Map<string, { last7: [number, number]; last30: [number, number] }>();
  const add = (surface: string, window: 'last7' | 'last30', c: [number, number]): void => {
    const row = rows.get(surface) ?? { last7: [0, 0], last30: [0, 0] };
    row[window] = [row[window][0] + c[0], row[window][1] + c[1]];
    rows.set(surface, row);
  };
  for (const [day, counts] of days) {
    if (day < from30 || day > today) continue;
    for (const [surface, c] of Object.entries(counts)) {
      for (const s of [surface, 'all']) {
        add(s, 'last30', c);
        if (day >= from7) add(s, 'last7', c);
      }
    }
  }
  const rank = (s: string): number => (s === 'all' ? 1000 : surfaceOrder.includes(s) ? surfaceOrder.indexOf(s) : 100);
  return [...rows.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map(([surface, r]) => ({ surface, last7: rate(r.last7), last30: rate(r.last30) }));
}

function rate([asked, answered]: [number, number]): Rate {
  return { asked, answered, rate: asked ? answered / asked : undefined };
}
