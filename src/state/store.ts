/**
 * The bot's state behind one small interface: tip rotation and channel opt-ins, events already answered (and those
 * still being answered), tip slots already posted, feedback and its counters. Two implementations: SQLite in
 * DATA_DIR (the default) and Redis (STATE_URL, shared by replicas). Values are strings (JSON where structured), so
 * both behave the same; every write is atomic on its own, so two processes sharing a store never undo each other.
 */
export interface StateStore {
  /** Atomically claims `key` for `ttlMs`: true for the first caller, false while the claim lasts. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /**
   * Sets `key` to `value` for `ttlMs` (a conversation's subject: kept a while, then gone): `get` reads it until then,
   * and after it the value is deleted. Setting it again replaces the value and its expiry. Keys set this way are not
   * also set with `set`.
   */
  setExpiring(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only if it has no value yet: true if this call set it (a salt or a seed made once, by one process). */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  /** Deletes a key, whatever it holds (a value, a set, a list, counters, a claim). */
  delete(key: string): Promise<void>;
  setAdd(key: string, member: string): Promise<void>;
  setRemove(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /** Appends to a list, keeping only the newest `maxLength` items. */
  listPush(key: string, value: string, maxLength: number): Promise<void>;
  /** The whole list, oldest first. */
  listAll(key: string): Promise<string[]>;
  /**
   * Retention pruning: removes from the oldest end of the list those of `oldest` (a prefix of what `listAll`
   * returned, in its order) that are still at its head, and never anything else. An item pushed meanwhile (it is at
   * the newest end), or items another pruner already removed, are safe: nothing is removed by position alone.
   * Returns how many items went.
   */
  listRemoveOldest(key: string, oldest: string[]): Promise<number>;
  /** Atomically adds to integer fields of a counter hash (missing fields start at 0): all fields in one write. */
  hashIncrement(key: string, increments: Readonly<Record<string, number>>): Promise<void>;
  /** Every field of a counter hash; a missing hash is {}. */
  hashGetAll(key: string): Promise<Record<string, number>>;
  /** Records an event as pending (claimed, its reply not sent yet), with its payload (JSON). */
  pendingAdd(id: string, payload: string): Promise<void>;
  /**
   * `claim(key, ttlMs)` and, only when this call won the claim, `pendingAdd(id, payload)`, as one atomic write: an
   * event is never claimed without being recorded as pending (a crash between the two cannot lose it), and a
   * redelivery of an event already claimed records nothing.
   */
  claimPending(key: string, ttlMs: number, id: string, payload: string): Promise<boolean>;
  /** Its reply was sent: the event is no longer pending. */
  pendingDone(id: string): Promise<void>;
  /**
   * The pending events recorded within the last `maxAgeMs`, oldest first. Older ones are too old to answer now:
   * they are forgotten (removed).
   */
  pendingList(maxAgeMs: number): Promise<PendingEvent[]>;
  /**
   * Claims a pending event for re-answering, for `ttlMs` (after which, if it is still pending, another process may
   * take it): its payload for exactly one caller, undefined for the others and for an event no longer pending.
   */
  pendingClaim(id: string, ttlMs: number): Promise<string | undefined>;
  /** Whether the store can be reached now (always true for SQLite once open). */
  healthy(): boolean;
  close(): Promise<void>;
}

export interface PendingEvent {
  id: string;
  payload: string;
  /** When it was recorded (ms since the epoch, the recording process's clock). */
  at: number;
}
