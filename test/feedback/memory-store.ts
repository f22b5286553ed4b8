/** A StateStore in memory with an injectable clock, for the feedback log's unit tests (fast at 10,000 records). */
import type { StateStore } from '../../src/state/store.js';

export class MemoryStore implements StateStore {
  readonly kv = new Map<string, string>();
  readonly sets = new Map<string, Set<string>>();
  readonly lists = new Map<string, string[]>();
  readonly claims = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const exp = this.claims.get(key);
    if (exp !== undefined && exp > this.now()) return false;
    this.claims.set(key, this.now() + ttlMs);
    return true;
  }
  async get(key: string): Promise<string | undefined> {
    return this.kv.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.kv.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.kv.delete(key);
    this.sets.delete(key);
    this.lists.delete(key);
    this.claims.delete(key);
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
  async listReplace(key: string, values: string[]): Promise<void> {
    this.lists.set(key, [...values]);
  }
  healthy(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}
