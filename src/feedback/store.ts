/**
 * The feedback log: 👍/👎 on answers (with the optional "what was missing?" reason), questions that got no answer,
 * and explicit "Suggest this topic" requests, kept in the state store (SQLite in DATA_DIR, or Redis).
 *
 * What a record holds: its kind, the query, the entry ids, the surface, the time, and the user id HASHED with a
 * per-installation salt kept in the store (so one person's records can be told apart, never who they are). Never
 * anything else a person wrote. Bounded twice: the newest 10,000 records (older ones fall off the list as new ones
 * arrive), and nothing older than the retention (FEEDBACK_RETENTION_DAYS), pruned on write and on report. Pruning
 * removes only the expired records it read, so a record another process writes meanwhile is never lost.
 *
 * Besides the records, counters per day and surface (questions asked, questions answered) give the answer rate;
 * they hold no query and no user, are written as atomic increments (two replicas never lose a count), and are
 * pruned with the same retention.
 *
 * While the store cannot be reached (Redis down), records and counts wait in memory, bounded (10,000 records;
 * counts merged per day and surface), and are written when it is back. A vote or a topic request made meanwhile
 * is still counted once per person: its claim is made before the record is written, and a record whose claim
 * another process already holds is dropped then.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
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
  /** The day's counters: fields `asked:<surface>` and `answered:<surface>`, incremented. */
  counts: (day: string) => `feedback:counts:${day}`,
  /** The day's counters as JSON, as bots before the increments wrote them: still read and pruned, never written. */
  day: (day: string) => `feedback:asked:${day}`,
  vote: (user: string, answer: string) => `feedback:vote:${user}:${answer}`,
  suggest: (user: string, query: string) => `feedback:suggest:${user}:${query}`,
} as const;

export const maxRecords = 10_000;
/** Attempts at one waiting record while the store says it is healthy, before it is given up as unwritable. */
const maxTries = 10;
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
  /** Records kept in memory at most while the store is unreachable; default 10,000 (the oldest go first). */
  maxWaiting?: number;
  /** How often writes waiting for the store are retried; default 1 s. */
  retryMs?: number;
  /** Where an outage's buffering and what it dropped are said (once per outage). */
  log?: Logger;
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

/** A record (or a count batch) that could not be written yet. */
interface Waiting {
  input: NewRecord & { id: string; at: number };
  /** The once-per-person claim to make before the record is written: it was clicked while the store was down. */
  claim?: 'vote' | 'suggest';
  tries: number;
}

export class FeedbackLog {
  readonly store: StateStore;
  readonly retentionDays: number;
  readonly maxRecords: number;
  private readonly now: () => number;
  private readonly maxWaiting: number;
  private readonly retryMs: number;
  private readonly log: Logger | undefined;
  private salt: Promise<string> | undefined;
  private saltValue: string | undefined;
  /** No record can be older than the retention before this time (ms): pruning before it would find nothing. */
  private nextPruneAt = 0;
  /** Records waiting for the store, oldest first. */
  private readonly waiting: Waiting[] = [];
  /** Counts waiting for the store: day → field → n. */
  private readonly waitingCounts = new Map<string, Map<string, number>>();
  /** Votes and requests claimed here while the store was down: 'deferred' until their record takes the claim. */
  private readonly localClaims = new Map<string, 'deferred' | 'taken'>();
  /** Ids of waiting records whose claim was lost at the flush: a 👎 reason of such a vote goes too. */
  private readonly droppedIds = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private outage = { waited: 0, lost: 0, full: false };

  constructor(opts: FeedbackLogOptions) {
    this.store = opts.store;
    this.retentionDays = opts.retentionDays;
    this.maxRecords = opts.maxRecords ?? maxRecords;
    this.now = opts.now ?? Date.now;
    this.maxWaiting = opts.maxWaiting ?? maxRecords;
    this.retryMs = opts.retryMs ?? 1000;
    this.log = opts.log;
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
   * the vote itself is gone too). The answer is the query and the entry ids. While the store is unreachable the
   * claim is made here, and in the store when the vote is written.
   */
  async claimVote(user: string, query: string, ids: string[]): Promise<boolean> {
    try {
      if (!this.store.healthy()) throw new Error('the state store is unreachable');
      return await this.store.claim(await this.claimKey('vote', user, query, ids), this.retentionDays * dayMs);
    } catch {
      return this.claimLocally(localKey('vote', user, query, ids));
    }
  }

  /** Claims "this person asked for this topic": one request per person and topic (made here while the store is down). */
  async claimSuggestion(user: string, query: string): Promise<boolean> {
    try {
      if (!this.store.healthy()) throw new Error('the state store is unreachable');
      return await this.store.claim(await this.claimKey('suggest', user, query, []), this.retentionDays * dayMs);
    } catch {
      return this.claimLocally(localKey('suggest', user, query, []));
    }
  }

  /**
   * Appends a record (the user hashed, the text cut to size), pruning expired records when some may be due. While
   * the store is unreachable, or when the write fails, the record waits in memory and is written when it is back.
   */
  async record(r: NewRecord & { id?: string }): Promise<FeedbackRecord> {
    const input = { ...r, id: r.id ?? randomUUID(), at: this.now() };
    const item: Waiting = { input, tries: 0 };
    const kind = r.type === 'vote' && !r.reason ? 'vote' : r.type === 'suggest' ? 'suggest' : undefined;
    if (kind) {
      const local = localKey(kind, r.user, r.query, r.ids ?? []);
      if (this.localClaims.get(local) === 'deferred') {
        item.claim = kind;
        this.localClaims.set(local, 'taken');
      }
    }
    // Behind records already waiting, so the log keeps its order.
    if (!this.waiting.length && this.store.healthy()) {
      try {
        const rec = await this.write(item);
        if (rec && this.now() >= this.nextPruneAt) await this.prune().catch(() => undefined); // the next write prunes
        if (rec) return rec;
        return this.shape(input, this.saltValue);
      } catch {
        item.tries++;
      }
    }
    this.wait(item);
    return this.shape(input, this.saltValue);
  }

  /**
   * The reason of a 👎, sent from the modal: stored as a second record with the vote's id and the same fields, so
   * it is read back as one vote with its reason (and still counts if the vote itself has fallen off the list).
   */
  async addReason(
    vote: { id: string; query: string; ids: string[]; surface: string },
    user: string,
    reason: string,
  ): Promise<FeedbackRecord | undefined> {
    const text = normalizeSpace(reason);
    if (!text) return undefined;
    return this.record({ id: vote.id, type: 'vote', vote: 'down', reason: text, query: vote.query, ids: vote.ids, surface: vote.surface, user });
  }

  /** Counts one question for the answer rate. */
  countQuestion(surface: string, answered: boolean): Promise<void> {
    return this.countQuestions(new Map([[surface, [1, answered ? 1 : 0]]]));
  }

  /**
   * Adds questions to the answer rate, by surface: [asked, answered] (numbers only: no query, no user), as atomic
   * increments of the day's counters. While the store is unreachable they wait in memory, merged per day and field.
   */
  async countQuestions(bySurface: Map<string, [number, number]>, at: number = this.now()): Promise<void> {
    const day = dayOf(at);
    const increments: Record<string, number> = {};
    for (const [surface, [asked, answered]] of bySurface) {
      increments[`asked:${surface}`] = (increments[`asked:${surface}`] ?? 0) + asked;
      increments[`answered:${surface}`] = (increments[`answered:${surface}`] ?? 0) + answered;
    }
    if (this.store.healthy()) {
      try {
        await this.writeCounts(day, increments);
        return;
      } catch {
        // waits below
      }
    }
    this.waitCounts(day, increments);
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
      const counts = parseCounts(await this.store.get(keys.day(day)));
      for (const [field, n] of Object.entries(await this.store.hashGetAll(keys.counts(day)))) {
        const colon = field.indexOf(':');
        const kind = field.slice(0, colon);
        const surface = field.slice(colon + 1);
        if (colon < 1 || !surface || (kind !== 'asked' && kind !== 'answered') || !Number.isFinite(n)) continue;
        const c = counts[surface] ?? [0, 0];
        counts[surface] = kind === 'asked' ? [c[0] + n, c[1]] : [c[0], c[1] + n];
      }
      out.set(day, counts);
    }
    return out;
  }

  /**
   * Removes records and day counters older than the retention (and unreadable records). Only the expired records
   * at the old end of the list go, and only those read here: whatever another process writes meanwhile stays, and
   * nothing is written back. Returns how many records went.
   */
  async prune(): Promise<number> {
    const cutoff = this.cutoff();
    const all = await this.store.listAll(keys.log);
    const expired: string[] = [];
    let oldest = Infinity;
    for (const raw of all) {
      const r = parseRecord(raw);
      const at = r ? Date.parse(r.at) : NaN;
      if (!r || !(at >= cutoff)) {
        // Records are appended in time order; one out of order (a clock, a write after an outage) waits its turn.
        if (oldest === Infinity) expired.push(raw);
        continue;
      }
      oldest = Math.min(oldest, at);
    }
    const removed = expired.length ? await this.store.listRemoveOldest(keys.log, expired) : 0;
    const oldestDay = dayOf(cutoff);
    for (const day of await this.store.setMembers(keys.days)) {
      if (day >= oldestDay) continue;
      await this.store.delete(keys.counts(day));
      await this.store.delete(keys.day(day));
      await this.store.setRemove(keys.days, day);
    }
    // Nothing kept can expire before the oldest kept record does; new records are newer still.
    this.nextPruneAt = Number.isFinite(oldest) ? oldest + this.retentionDays * dayMs : this.now() + dayMs;
    return removed;
  }

  /** What waits in memory for the store: records, and count fields. */
  waitingWrites(): { records: number; counts: number } {
    let counts = 0;
    for (const fields of this.waitingCounts.values()) counts += fields.size;
    return { records: this.waiting.length, counts };
  }

  /**
   * Writes what waits for the store, if it can be reached now (one flush at a time; the retry timer calls it too).
   * Resolves when this attempt ends, written or not.
   */
  flushWaiting(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
      this.scheduleRetry();
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      if (!this.store.healthy()) return;
      const item = this.waiting[0]!;
      try {
        await this.write(item);
      } catch (err) {
        item.tries++;
        if (item.tries < maxTries || !this.store.healthy()) return;
        // The store answers, yet refuses this record every time: it will never be written.
        this.log?.error({ err, type: item.input.type, surface: item.input.surface }, 'a feedback record could not be written and is dropped');
      }
      const i = this.waiting.indexOf(item); // the bound may have dropped it meanwhile
      if (i >= 0) this.waiting.splice(i, 1);
    }
    for (const [day, fields] of [...this.waitingCounts]) {
      if (!this.store.healthy()) return;
      this.waitingCounts.delete(day);
      const increments = Object.fromEntries(fields);
      try {
        await this.writeCounts(day, increments);
      } catch {
        this.waitCounts(day, increments, false);
        return;
      }
    }
    if (this.outage.waited) {
      this.log?.info({ waited: this.outage.waited, lost: this.outage.lost }, 'feedback that waited for the state store is written');
    }
    this.outage = { waited: 0, lost: 0, full: false };
    this.localClaims.clear();
    this.droppedIds.clear();
  }

  /** Writes one record: its deferred claim first (a lost claim drops it: the person's vote was already counted). */
  private async write(item: Waiting): Promise<FeedbackRecord | undefined> {
    if (this.droppedIds.has(item.input.id)) return undefined;
    const rec = this.shape(item.input, await this.getSalt());
    if (item.claim) {
      const { user, query, ids } = item.input;
      const won = await this.store.claim(await this.claimKey(item.claim, user, query, ids ?? []), this.retentionDays * dayMs);
      if (!won) {
        this.droppedIds.add(item.input.id);
        return undefined;
      }
      item.claim = undefined; // taken: a retry of the push must not claim again (it would lose to itself)
    }
    await this.store.listPush(keys.log, JSON.stringify(rec), this.maxRecords);
    return rec;
  }

  private async writeCounts(day: string, increments: Record<string, number>): Promise<void> {
    await this.store.setAdd(keys.days, day);
    await this.store.hashIncrement(keys.counts(day), increments);
  }

  private wait(item: Waiting): void {
    this.noteOutage();
    this.waiting.push(item);
    this.outage.waited++;
    if (this.waiting.length > this.maxWaiting) {
      this.waiting.shift();
      this.outage.lost++;
      if (!this.outage.full)
        this.log?.warn({ max: this.maxWaiting }, 'feedback waiting for the state store is over its bound: the oldest records are dropped');
      this.outage.full = true;
    }
    this.scheduleRetry();
  }

  private waitCounts(day: string, increments: Record<string, number>, fresh = true): void {
    if (fresh) this.noteOutage();
    const fields = this.waitingCounts.get(day) ?? new Map<string, number>();
    for (const [field, n] of Object.entries(increments)) fields.set(field, (fields.get(field) ?? 0) + n);
    this.waitingCounts.set(day, fields);
    this.scheduleRetry();
  }

  private noteOutage(): void {
    if (this.waiting.length || this.waitingCounts.size) return;
    this.log?.warn(
      { max: this.maxWaiting },
      'feedback waits in memory until the state store is reachable again (records and counts are written then)',
    );
  }

  private scheduleRetry(): void {
    if (this.retryTimer || (!this.waiting.length && !this.waitingCounts.size)) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.store.healthy()) void this.flushWaiting();
      else this.scheduleRetry();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /** True once per person and answer while the store is down (the store's claim is made when the record is written). */
  private claimLocally(local: string): boolean {
    if (this.localClaims.has(local)) return false;
    this.localClaims.set(local, 'deferred');
    if (this.localClaims.size > this.maxWaiting) this.localClaims.delete(this.localClaims.keys().next().value!);
    return true;
  }

  private async claimKey(kind: 'vote' | 'suggest', user: string, query: string, ids: string[]): Promise<string> {
    const who = await this.hashUser(user);
    return kind === 'vote'
      ? keys.vote(who, sha(`${clip(query, maxQueryLength)}\u0000${ids.join(',')}`))
      : keys.suggest(who, sha(normalizeSpace(query).toLowerCase()));
  }

  /** A record as stored; `salt` undefined (not read yet, the store down) leaves the user hash empty. */
  private shape(r: NewRecord & { id: string; at: number }, salt: string | undefined): FeedbackRecord {
    return {
      id: r.id,
      type: r.type,
      ...(r.vote ? { vote: r.vote } : {}),
      ...(r.reason ? { reason: clip(normalizeSpace(r.reason), maxReasonLength) } : {}),
      query: clip(r.query, maxQueryLength),
      ids: (r.ids ?? []).slice(0, 10),
      surface: r.surface,
      at: new Date(r.at).toISOString(),
      user: salt === undefined ? '' : sha(`${salt}:${r.user}`),
    };
  }

  /** The installation's salt: made once, by whichever process first needs it (set-if-absent: never two). */
  private getSalt(): Promise<string> {
    this.salt ??= (async () => {
      const stored = await this.store.get(keys.salt);
      if (stored) return stored;
      const fresh = randomBytes(32).toString('hex');
      if (await this.store.setIfAbsent(keys.salt, fresh)) return fresh;
      const other = await this.store.get(keys.salt);
      if (!other) throw new Error('the feedback salt vanished while it was made');
      return other;
    })().then(
      (salt) => (this.saltValue = salt),
      (err: unknown) => {
        this.salt = undefined;
        throw err;
      },
    );
    return this.salt;
  }
}

/** What identifies a vote or a request in memory while the store is down (the raw user id never leaves memory). */
function localKey(kind: 'vote' | 'suggest', user: string, query: string, ids: string[]): string {
  return kind === 'vote'
    ? `vote\u0000${user}\u0000${clip(query, maxQueryLength)}\u0000${ids.join(',')}`
    : `suggest\u0000${user}\u0000${normalizeSpace(query).toLowerCase()}`;
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
