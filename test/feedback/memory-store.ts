/** A StateStore in memory with an injectable clock, for the feedback log's unit tests (fast at 10,000 records). */
import type { PendingEvent, StateStore } from '../../src/state/store.js';

export class MemoryStore implements StateStore {
  readonly kv = new Map<string, string>();
  readonly sets = new Map<string, Set<string>>();
  readonly lists = new Map<string, string[]>();
  readonly claims = new Map<string, number>();
  readonly hashes = new Map<string, Map<string, number>>();
  readonly pending = new Map<string, PendingEvent & { claimedUntil: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const exp = this.claims.get(key);
    if (exp !== undefined && exp > this.now()) return false;
    this.claims.set(key, this.now() + ttlMs);
    return true;
  }
  readonly expiring = new Map<string, { value: string; expires: number }>();
  async get(key: string): Promise<string | undefined> {
    const e = this.expiring.get(key);
    return this.kv.get(key) ?? (e && e.expires > this.now() ? e.value : undefined);
  }
  async setExpiring(key: string, value: string, ttlMs: number): Promise<void> {
    this.expiring.set(key, { value, expires: this.now() + ttlMs });
  }
  async set(key: string, value: string): Promise<void> {
    this.kv.set(key, value);
  }
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    if (this.kv.has(key)) return false;
    this.kv.set(key, value);
    return true;
  }
  async delete(key: string): Promise<void> {
    this.kv.delete(key);
    this.sets.delete(key);
    this.lists.delete(key);
    this.claims.delete(key);
    this.hashes.delete(key);
    this.expiring.delete(key);
  }
  async setAdd(key: string, member: string): Promise<void> {
    const s = this.sets.get(key) ?? new Set<string>();
    s.add(member);
    this.sets.set(key, s);
  }
  async setRemove(key: string, member: string): Promise<void> {
    this.sets.get(key)?.delete(member);
  }
  async setMembers(key: string): Promise<string[]> {
    return [...(this.sets.get(key) ?? [])];
  }
  async listPush(key: string, value: string, maxLength: number): Promise<void> {
    const l = this.lists.get(key) ?? [];
    l.push(value);
    if (l.length > maxLength) l.splice(0, l.length - maxLength);
    this.lists.set(key, l);
  }
  async listAll(key: string): Promise<string[]> {
    return [...(this.lists.get(key) ?? [])];
  }
  async listRemoveOldest(key: string, oldest: string[]): Promise<number> {
    const l = this.lists.get(key) ?? [];
    let n = 0;
    for (const v of oldest)
      if (l[0] === v) {
        l.shift();
        n++;
      }
    return n;
  }
  async hashIncrement(key: string, increments: Readonly<Record<string, number>>): Promise<void> {
    const h = this.hashes.get(key) ?? new Map<string, number>();
    for (const [f, by] of Object.entries(increments)) h.set(f, (h.get(f) ?? 0) + by);
    this.hashes.set(key, h);
  }
  async hashGetAll(key: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.hashes.get(key) ?? []);
  }
  async pendingAdd(id: string, payload: string): Promise<void> {
    this.pending.set(id, { id, payload, at: this.now(), claimedUntil: this.pending.get(id)?.claimedUntil ?? 0 });
  }
  async claimPending(key: string, ttlMs: number, id: string, payload: string): Promise<boolean> {
    if (!(await this.claim(key, ttlMs))) return false;
    await this.pendingAdd(id, payload);
    return true;
  }
  async pendingDone(id: string): Promise<void> {
    this.pending.delete(id);
  }
  async pendingList(maxAgeMs: number): Promise<PendingEvent[]> {
    const since = this.now() - maxAgeMs;
    for (const [id, e] of this.pending) if (e.at < since) this.pending.delete(id);
    return [...this.pending.values()].map(({ id, payload, at }) => ({ id, payload, at })).sort((a, b) => a.at - b.at);
  }
  async pendingClaim(id: string, ttlMs: number): Promise<string | undefined> {
    const e = this.pending.get(id);
    if (!e || e.claimedUntil > this.now()) return undefined;
    e.claimedUntil = this.now() + ttlMs;
    return e.payload;
  }
  healthy(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}
