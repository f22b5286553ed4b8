/**
 * The once-only record of Slack events, and no question lost.
 *
 * Once only: a redelivered event (`retry_attempt`), or one another replica got, is answered once.
 *
 * No question lost: Slack never redelivers an event that was acked, and an event is acked the moment it arrives. So
 * the claim of a question (a mention, a DM) records it as pending, in the same atomic write (`claimPending`), with
 * what it takes to answer it again; its reply sent, it is done. A process killed in between leaves it pending, and
 * `PendingRecovery` answers it: at start, and every few seconds after, through the same listeners a live event
 * takes. It answers only events whose process is gone: with SQLite (one bot per DATA_DIR) every event another run
 * recorded; with Redis an event whose replica stopped, or whose heartbeat stopped changing. Pending events older
 * than a few minutes are too late to answer, and are dropped.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

/** How long an event id is remembered: a redelivery within it is skipped. */
const claimTtlMs = 60 * 60 * 1000;

/**
 * A pending event older than this is dropped rather than answered: five minutes after a question, an answer still
 * helps; much later the person has moved on (or asked again), and an answer out of the blue would only confuse.
 */
export const pendingMaxAgeMs = 5 * 60 * 1000;

/** Answers each Slack event once, even when Slack redelivers it or another replica got it. */
export interface EventLedger {
  /**
   * True the first time an event id is claimed, false after. Given the envelope's body, a question (a mention or a
   * message event) is also recorded as pending until `done`, in the same atomic write.
   */
  claim(eventId: string, body?: unknown): Promise<boolean>;
  /** The event's listener ran to its end (its reply, or the apology, was sent): no longer pending. Never throws. */
  done(eventId: string): Promise<void>;
}

/** The ledger of one process: who it is, and the pending events it holds (recorded or taken over, not done yet). */
export interface StoreEventLedger extends EventLedger {
  /** This process, as named in the pending events it records. */
  readonly owner: string;
  /** Whether this process holds the pending event (it is in flight here, or its `done` is being retried). */
  holds(eventId: string): boolean;
  /** Takes over a pending event of a gone process (after `pendingClaim`): `done` will end it. */
  adopt(eventId: string): void;
  /** Writes the `done`s the store refused earlier (an outage); the sweep calls it. */
  retryDone(): Promise<void>;
}

/** Text longer than this is cut (on a code point) in the pending record: a question is a few words. */
const maxTextChars = 4000;
/** Ids, timestamps and types: longer values are not Slack's, and are cut. */
const maxFieldChars = 100;

/** The fields of an event that answering it again reads (the listeners' filters included: subtype, bot_id, …). */
const eventFields = ['type', 'subtype', 'channel', 'channel_type', 'user', 'bot_id', 'text', 'ts', 'thread_ts', 'event_ts'] as const;
const questionTypes = new Set(['app_mention', 'message']);

function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  // Never split a surrogate pair: a lone half would be a broken character in the replayed question.
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return value.slice(0, end);
}

interface PendingRecord {
  v: 1;
  owner: string;
  /** An Events API envelope body, with only the fields needed to answer the event again. */
  body: Record<string, unknown>;
}

/** The pending record of an envelope body, or undefined when it is not a question (no reply to lose). */
export function pendingRecord(body: unknown, owner: string): string | undefined {
  const b = body as { type?: unknown; event_id?: unknown; team_id?: unknown; api_app_id?: unknown; event?: unknown } | null;
  if (b?.type !== 'event_callback' || typeof b.event_id !== 'string') return undefined;
  const event = b.event as Record<string, unknown> | null;
  if (!event || typeof event !== 'object' || !questionTypes.has(event.type as string) || typeof event.channel !== 'string') return undefined;
  const kept: Record<string, string> = {};
  for (const f of eventFields) {
    const v = event[f];
    if (typeof v === 'string') kept[f] = cut(v, f === 'text' ? maxTextChars : maxFieldChars);
  }
  const envelope: Record<string, unknown> = { type: 'event_callback', event_id: cut(b.event_id, maxFieldChars), event: kept };
  for (const f of ['team_id', 'api_app_id'] as const) if (typeof b[f] === 'string') envelope[f] = cut(b[f], maxFieldChars);
  const record: PendingRecord = { v: 1, owner, body: envelope };
  return JSON.stringify(record);
}

/** A pending record read back; undefined when it is not one this code wrote. */
export function readPendingRecord(payload: string): PendingRecord | undefined {
  try {
    const r = JSON.parse(payload) as Partial<PendingRecord> | null;
    if (r?.v !== 1 || typeof r.owner !== 'string' || !r.body || typeof r.body !== 'object') return undefined;
    const event = (r.body as { event?: unknown }).event;
    if (!event || typeof event !== 'object') return undefined;
    return r as PendingRecord;
  } catch {
    return undefined;
  }
}

/** A name for this process in the records it writes: random, so a restart is a new owner. */
export function newOwner(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Events remembered for an hour in the state store: a redelivery is answered once, by one replica. While the
 * store fails or is known to be unreachable (then it is not even asked, so a hung Redis delays no answer),
 * events are answered anyway — a rare double answer beats silence — and that is logged once per failing spell;
 * such an event is not recorded as pending either.
 */
export function storeEventLedger(store: StateStore, log?: Logger, owner: string = newOwner()): StoreEventLedger {
  let failing = false;
  /** Pending events this process holds: recorded by its claims, or adopted from a gone process. */
  const held = new Set<string>();
  /** Held events whose `done` the store refused: retried by the sweep, so they are not answered twice later. */
  const undone = new Set<string>();
  const unchecked = (err: unknown, eventId: string): true => {
    // An unreachable store has already said so itself; a store that fails while "healthy" has not.
    const level = store.healthy() ? 'warn' : 'info';
    if (!failing) log?.[level]({ err, eventId }, 'events answered without the once-only check until the state store works again');
    failing = true;
    return true;
  };
  const markDone = async (eventId: string): Promise<boolean> => {
    try {
      await store.pendingDone(eventId);
      held.delete(eventId);
      undone.delete(eventId);
      return true;
    } catch (err) {
      if (!undone.has(eventId)) log?.warn({ err, eventId }, 'could not mark an answered event done: tried again in a few seconds');
      undone.add(eventId);
      return false;
    }
  };
  return {
    owner,
    claim: async (eventId, body) => {
      if (!store.healthy()) return unchecked(undefined, eventId);
      const record = body === undefined ? undefined : pendingRecord(body, owner);
      try {
        const first =
          record === undefined
            ? await store.claim(`event:${eventId}`, claimTtlMs)
            : await store.claimPending(`event:${eventId}`, claimTtlMs, eventId, record);
        failing = false;
        if (first && record !== undefined) held.add(eventId);
        return first;
      } catch (err) {
        return unchecked(err, eventId);
      }
    },
    done: async (eventId) => {
      if (held.has(eventId)) await markDone(eventId);
    },
    holds: (eventId) => held.has(eventId),
    adopt: (eventId) => void held.add(eventId),
    retryDone: async () => {
      for (const id of [...undone]) if (!(await markDone(id))) return;
    },
  };
}

export interface RecoveryOptions {
  store: StateStore;
  ledger: StoreEventLedger;
  /** Answers an event again through the listeners; resolves once its listener has run (and the ledger marked it done). */
  replay(body: Record<string, unknown>, eventId: string): Promise<void>;
  log: Logger;
  /**
   * Whether this process is the only one on the store (SQLite in DATA_DIR: one bot per DATA_DIR): then every pending
   * event it does not hold is a previous run's, answered at once. With a shared store (Redis) other replicas are
   * alive: their events are left to them while their heartbeat goes on.
   */
  exclusive: boolean;
  /** Tests shorten these. */
  timing?: Partial<RecoveryTiming>;
}

export interface RecoveryTiming {
  /** How often pending events are looked at. */
  sweepMs: number;
  /** How often this process says it is alive (shared store only). */
  beatMs: number;
  /** A heartbeat that has not changed for this long (as this process saw it) is a dead process's. */
  staleMs: number;
  /** How long a taken event is this process's to answer, before another may take it (this one died meanwhile). */
  replayLeaseMs: number;
  maxAgeMs: number;
}

const defaultTiming: RecoveryTiming = { sweepMs: 5000, beatMs: 2000, staleMs: 10_000, replayLeaseMs: 60_000, maxAgeMs: pendingMaxAgeMs };

const aliveKey = (owner: string): string => `events:alive:${owner}`;

/**
 * Answers the pending events of processes that are gone. `start()` (after connecting) looks at once, then every
 * `sweepMs`; `pause()` (shutting down) takes no more; `stop()` also ends the heartbeat and removes it, so what this
 * process leaves pending is another replica's at once.
 */
export class PendingRecovery {
  private readonly t: RecoveryTiming;
  private sweepTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private paused = false;
  private beats = 0;
  /** Other owners' heartbeats as this process last saw them: the value, since when it has not changed, last look. */
  private readonly seen = new Map<string, { value: string; since: number; lastLook: number }>();
  private failing = false;

  constructor(private readonly opts: RecoveryOptions) {
    this.t = { ...defaultTiming, ...opts.timing };
  }

  /**
   * With a shared store: the first heartbeat, before this process records any event (a pending event whose owner
   * has no heartbeat is taken as a gone process's), then one every `beatMs`.
   */
  async beat(): Promise<void> {
    if (this.opts.exclusive) return;
    await this.writeBeat();
    this.beatTimer ??= setInterval(() => void this.writeBeat(), this.t.beatMs);
    this.beatTimer.unref();
  }

  private async writeBeat(): Promise<void> {
    try {
      await this.opts.store.set(aliveKey(this.opts.ledger.owner), String(++this.beats));
    } catch (err) {
      this.opts.log.debug({ err }, 'heartbeat not written');
    }
  }

  /** Looks at the pending events now, then every `sweepMs`. */
  start(): void {
    void this.sweep();
    this.sweepTimer ??= setInterval(() => void this.sweep(), this.t.sweepMs);
    this.sweepTimer.unref();
  }

  /** Takes no more pending events (those being answered go on). */
  pause(): void {
    this.paused = true;
    clearInterval(this.sweepTimer);
  }

  /** After the last reply: no more heartbeats, and this process's is removed. */
  async stop(): Promise<void> {
    this.pause();
    clearInterval(this.beatTimer);
    await this.sweeping;
    if (this.opts.exclusive || this.beats === 0) return;
    await this.opts.store.delete(aliveKey(this.opts.ledger.owner)).catch(() => undefined);
  }

  /** One look at the pending events (a look already under way is not doubled). */
  sweep(): Promise<void> {
    if (this.paused) return Promise.resolve();
    return (this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined)));
  }

  private async sweepOnce(): Promise<void> {
    const { store, ledger, log } = this.opts;
    if (!store.healthy()) return;
    const replays: Promise<void>[] = [];
    try {
      await ledger.retryDone();
      // Every pending event, old ones too, so that those dropped are counted.
      const all = await store.pendingList(Number.MAX_SAFE_INTEGER);
      const now = Date.now();
      const old = all.filter((e) => now - e.at > this.t.maxAgeMs);
      for (const e of old) await store.pendingDone(e.id);
      if (old.length) log.info({ count: old.length, maxAgeMinutes: this.t.maxAgeMs / 60_000 }, 'pending events too old to answer now, dropped');
      const candidates: { id: string; at: number; owner: string; body: Record<string, unknown> }[] = [];
      for (const e of all) {
        if (now - e.at > this.t.maxAgeMs || ledger.holds(e.id)) continue;
        const record = readPendingRecord(e.payload);
        if (!record) {
          log.warn({ eventId: e.id }, 'a pending event that cannot be read, dropped');
          await store.pendingDone(e.id);
          continue;
        }
        if (record.owner === ledger.owner) continue; // answered here, its done not written yet
        candidates.push({ id: e.id, at: e.at, owner: record.owner, body: record.body });
      }
      const gone = await this.goneOwners(new Set(candidates.map((c) => c.owner)), now);
      for (const c of candidates) {
        if (this.paused) break;
        if (!gone.has(c.owner)) continue;
        // Exactly one process takes it (the others get undefined), for replayLeaseMs.
        if ((await store.pendingClaim(c.id, this.t.replayLeaseMs)) === undefined) continue;
        ledger.adopt(c.id);
        log.info({ eventId: c.id, ageMs: now - c.at }, 'answering a question left pending by a stopped process');
        replays.push(
          this.opts.replay(c.body, c.id).catch((err: unknown) => {
            log.error({ err, eventId: c.id }, 'answering a pending question failed');
          }),
        );
      }
      this.failing = false;
    } catch (err) {
      // The store failed under the sweep (an outage beginning): logged once per failing spell, tried again later.
      if (!this.failing) log.warn({ err }, 'pending events could not be looked at: tried again in a few seconds');
      this.failing = true;
    }
    await Promise.all(replays);
  }

  /** Of these owners, those whose process is gone. */
  private async goneOwners(owners: Set<string>, now: number): Promise<Set<string>> {
    if (this.opts.exclusive) return owners;
    const gone = new Set<string>();
    for (const owner of owners) {
      const value = await this.opts.store.get(aliveKey(owner));
      const seen = this.seen.get(owner);
      if (value === undefined) {
        gone.add(owner); // stopped (it removes its heartbeat), or never beat
      } else if (!seen || seen.value !== value || now - seen.lastLook > 2 * this.t.sweepMs) {
        // Changed, or not looked at lately (this process was not sweeping): alive, as far as we know.
        this.seen.set(owner, { value, since: now, lastLook: now });
      } else {
        seen.lastLook = now;
        if (now - seen.since >= this.t.staleMs) {
          gone.add(owner);
          this.seen.delete(owner);
          await this.opts.store.delete(aliveKey(owner)).catch(() => undefined);
        }
      }
    }
    for (const owner of this.seen.keys())
      if (!owners.has(owner) && now - this.seen.get(owner)!.lastLook > this.t.staleMs * 6) this.seen.delete(owner);
    return gone;
  }
}
