/**
 * The feedback log: 👍/👎 on answers (with the optional "what was missing?" reason), questions that got no answer,
 * and explicit "Suggest this topic" requests, kept in the state store (the DATA_DIR file, or Redis).
 *
 * What a record holds: its kind, the query, the entry ids, the surface, the time, and the user id HASHED with a
 * per-installation salt kept in the store (so one person's records can be told apart, never who they are). Never
 * anything else a person wrote. Bounded twice: the newest 10,000 records (older ones fall off the list as new ones
 * arrive), and nothing older than the retention (FEEDBACK_RETENTION_DAYS), pruned on write and on report.
 *
 * Besides the records, one small counter per day and surface (questions asked, questions answered) gives the
 * answer rate; it holds no query and no user, and is pruned with the same retention.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StateStore } from '../state/store.js';

export type FeedbackType = 'vote' | 'unanswered' | 'suggest';
export type Vote = 'up' | 'down';

export interface FeedbackRecord {
  /** Random; ties a 👎 reason, sent later from the modal, to its vote. */
  id: string;
  type: FeedbackType;
  vote?: Vote;
  /** The "what was missing?" line of a 👎, when one was given. */
  reason?: string;
  query: string;
  ids: string[];
  /** slash, mention, dm, home… */
  surface: string;
  /** ISO time. */
  at: string;
  /** sha256(salt + user id), truncated: never the Slack user id itself. */
  user: string;
}

/** Questions asked and answered on one day (UTC), by surface: [asked, answered]. */
export type DayCounts = Record<string, [number, number]>;

export const keys = {
  log: 'feedback:log',
  salt: 'feedback:salt',
  days: 'feedback:days',
  day: (day: string) => `feedback:asked:${day}`,
  vote: (user: string, answer: string) => `feedback:vote:${user}:${answer}`,
  suggest: (user: string, query: string) => `feedback:suggest:${user}:${query}`,
} as const;

export const maxRecords = 10_000;
export const maxQueryLength = 500;
export const maxReasonLength = 300;
const dayMs = 24 * 60 * 60 * 1000;

export interface FeedbackLogOptions {
  store: StateStore;
  /** FEEDBACK_RETENTION_DAYS. */
  retentionDays: number;
  /** The clock (tests inject one). */
  now?: () => number;
  /** Newest records kept; default 10,000. */
  maxRecords?: number;
}

export interface NewRecord {
  type: FeedbackType;
  vote?: Vote;
  reason?: string;
  query: string;
  ids?: string[];
  surface: string;
  /** The Slack user id; hashed before it is stored. */
  user: string;
}

export class FeedbackLog {
  readonly store: StateStore;
  readonly retentionDays: number;
  readonly maxRecords: number;
  private readonly now: () => number;
  private salt: Promise<string> | undefined;
  /** No record can be older than the retention before this time (ms): pruning before it would find nothing. */
  private nextPruneAt = 0;

  constructor(opts: FeedbackLogOptions) {
    this.store = opts.store;
    this.retentionDays = opts.retentionDays;
    this.maxRecords = opts.maxRecords ?? maxRecords;
    this.now = opts.now ?? Date.now;
  }

  /** Records older than this (ms) are gone. */
  cutoff(): number {
    return this.now() - this.retentionDays * dayMs;
  }

  /** A Slack user id as it is stored: sha256 of the installation's salt and the id, 16 hex characters. */
  async hashUser(user: string): Promise<string> {
    return sha(`${await this.getSalt()}:${user}`);
  }

  /**
   * Claims "this person's vote on this answer": true the first time, false after (until the retention ends, when
   * the vote itself is gone too). The answer is the query and the entry ids.
   */
  async claimVote(user: string, query: string, ids: string[]): Promise<boolean> {
    const key = keys.vote(await this.hashUser(user), sha(`${clip(query, maxQueryLength)}\u0000${ids.join(',')}`));
    return this.store.claim(key, this.retentionDays * dayMs);
  }

  /** Claims "this person asked for this topic": one request per person and topic. */
  async claimSuggestion(user: string, query: string): Promise<boolean> {
    const key = keys.suggest(await this.hashUser(user), sha(normalizeSpace(query).toLowerCase()));
    return this.store.claim(key, this.retentionDays * dayMs);
  }

  /** Appends a record (the user hashed, the text cut to size), pruning expired records when some may be due. */
  async record(r: NewRecord & { id?: string }): Promise<FeedbackRecord> {
    const rec: FeedbackRecord = {
      id: r.id ?? randomUUID(),
      type: r.type,
      ...(r.vote ? { vote: r.vote } : {}),
      ...(r.reason ? { reason: clip(normalizeSpace(r.reason), maxReasonLength) } : {}),
      query: clip(r.query, maxQueryLength),
      ids: (r.ids ?? []).slice(0, 10),
      surface: r.surface,
      at: new Date(this.now()).toISOString(),
      user: await this.hashUser(r.user),
    };
    await this.store.listPush(keys.log, JSON.stringify(rec), this.maxRecords);
    if (this.now() >= this.nextPruneAt) await this.prune();
    return rec;
  }

  /**
   * The reason of a 👎, sent from the modal: stored as a second record with the vote's id and the same fields, so
   * it is read back as one vote with its reason (and still counts if the vote itself has fallen off the list).
   */
  async addReason(vote: { id: string; query: string; ids: string[]; surface: string }, user: string, reason: string): Promise<FeedbackRecord | undefined> {
    const text = normalizeSpace(reason);
    if (!text) return undefined;
    return this.record({ id: vote.id, type: 'vote', vote: 'down', reason: text, query: vote.query, ids: vote.ids, surface: vote.surface, user });
  }

  /** Counts one question for the answer rate. */
  countQuestion(surface: string, answered: boolean): Promise<void> {
    return this.countQuestions(new Map([[surface, [1, answered ? 1 : 0]]]));
  }

  /** Adds questions to the answer rate, by surface: [asked, answered] (numbers only: no query, no user). */
  async countQuestions(bySurface: Map<string, [number, number]>, at: number = this.now()): Promise<void> {
    const day = dayOf(at);
    const key = keys.day(day);
    const counts = parseCounts(await this.store.get(key));
    for (const [surface, [asked, answered]] of bySurface) {
      const c = counts[surface] ?? [0, 0];
      counts[surface] = [c[0] + asked, c[1] + answered];
    }
    await this.store.set(key, JSON.stringify(counts));
    await this.store.setAdd(keys.days, day);
  }

  /** Every record within the retention, oldest first, a vote and its reason merged into one. */
  async records(): Promise<FeedbackRecord[]> {
    const cutoff = this.cutoff();
    const byId = new Map<string, FeedbackRecord>();
    for (const raw of await this.store.listAll(keys.log)) {
      const r = parseRecord(raw);
      if (!r || Date.parse(r.at) < cutoff) continue;
      const seen = byId.get(r.id);
      if (!seen) byId.set(r.id, r);
      else if (r.reason) seen.reason = r.reason;
    }
    return [...byId.values()];
  }

  /** The per-day counters within the retention, by day (YYYY-MM-DD, UTC). */
  async dayCounts(): Promise<Map<string, DayCounts>> {
    const oldest = dayOf(this.cutoff());
    const out = new Map<string, DayCounts>();
    for (const day of (await this.store.setMembers(keys.days)).sort()) {
      if (day < oldest) continue;
      out.set(day, parseCounts(await this.store.get(keys.day(day))));
    }
    return out;
  }

  /**
   * Removes records and day counters older than the retention (and unreadable records). The list is rewritten
   * only when something goes. Returns how many records went.
   */
  async prune(): Promise<number> {
    const cutoff = this.cutoff();
    const all = await this.store.listAll(keys.log);
    let oldest = Infinity;
    const keep: string[] = [];
    for (const raw of all) {
      const r = parseRecord(raw);
      const at = r ? Date.parse(r.at) : NaN;
      if (!r || !(at >= cutoff)) continue;
      keep.push(raw);
      oldest = Math.min(oldest, at);
    }
    if (keep.length !== all.length) await this.store.listReplace(keys.log, keep);
    const oldestDay = dayOf(cutoff);
    for (const day of await this.store.setMembers(keys.days)) {
      if (day >= oldestDay) continue;
      await this.store.delete(keys.day(day));
      await this.store.setRemove(keys.days, day);
    }
    // Nothing kept can expire before the oldest kept record does; new records are newer still.
    this.nextPruneAt = Number.isFinite(oldest) ? oldest + this.retentionDays * dayMs : this.now() + dayMs;
    return all.length - keep.length;
  }

  private getSalt(): Promise<string> {
    this.salt ??= (async () => {
      const stored = await this.store.get(keys.salt);
      if (stored) return stored;
      const fresh = randomBytes(32).toString('hex');
      await this.store.set(keys.salt, fresh);
      return fresh;
    })().catch((err: unknown) => {
      this.salt = undefined;
      throw err;
    });
    return this.salt;
  }
}

/** YYYY-MM-DD (UTC) of a time in ms. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const types: readonly string[] = ['vote', 'unanswered', 'suggest'];

function parseRecord(raw: string): FeedbackRecord | undefined {
  try {
    const r = JSON.parse(raw) as Partial<FeedbackRecord>;
    if (typeof r !== 'object' || r === null) return undefined;
    if (typeof r.id !== 'string' || typeof r.type !== 'string' || !types.includes(r.type)) return undefined;
    if (typeof r.query !== 'string' || typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at))) return undefined;
    return {
      id: r.id,
      type: r.type,
      ...(r.vote === 'up' || r.vote === 'down' ? { vote: r.vote } : {}),
      ...(typeof r.reason === 'string' && r.reason ? { reason: r.reason } : {}),
      query: r.query,
      ids: Array.isArray(r.ids) ? r.ids.filter((x): x is string => typeof x === 'string') : [],
      surface: typeof r.surface === 'string' ? r.surface : 'unknown',
      at: r.at,
      user: typeof r.user === 'string' ? r.user : '',
    };
  } catch {
    return undefined;
  }
}

function parseCounts(raw: string | undefined): DayCounts {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null) return {};
    const out: DayCounts = {};
    for (const [k, c] of Object.entries(v)) {
      if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') out[k] = [c[0], c[1]];
    }
    return out;
  } catch {
    return {};
  }
}
