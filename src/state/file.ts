/**
 * The file store: state kept in memory and written to `DATA_DIR/state.jsonl`, one JSON record per key and line.
 * Every change is written atomically (a new file, flushed, then renamed over the old one), so a crash in the middle
 * of a write leaves the previous file whole. A file damaged anyway (by hand, by a full disk) is read line by line:
 * the readable records are kept, and one warning says how many were not.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

type Record =
  | { k: string; t: 'kv'; v: string }
  | { k: string; t: 'set'; v: string[] }
  | { k: string; t: 'list'; v: string[] }
  | { k: string; t: 'claim'; exp: number };

export interface FileStoreOptions {
  dir: string;
  log: Logger;
  now?: () => number;
}

export class FileStore implements StateStore {
  readonly path: string;
  private readonly kv = new Map<string, string>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly lists = new Map<string, string[]>();
  private readonly claims = new Map<string, number>();
  private readonly now: () => number;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(opts: FileStoreOptions) {
    this.now = opts.now ?? Date.now;
    mkdirSync(opts.dir, { recursive: true });
    this.path = join(opts.dir, 'state.jsonl');
    this.load(opts.log);
  }

  private load(log: Logger): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      log.warn({ err, path: this.path }, 'state file unreadable: starting with empty state');
      return;
    }
    const lines = text.split('\n');
    const bad: number[] = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        this.apply(JSON.parse(line) as Record);
      } catch {
        bad.push(i + 1);
      }
    });
    if (bad.length)
      log.warn(
        { path: this.path, unreadableLines: bad.slice(0, 20), kept: lines.filter((l) => l.trim()).length - bad.length },
        `state file is damaged: ${bad.length} record(s) could not be read and were dropped; the rest was kept`,
      );
  }

  private apply(r: Record): void {
    if (typeof r?.k !== 'string') throw new Error('record without key');
    switch (r.t) {
      case 'kv':
        if (typeof r.v !== 'string') throw new Error('bad kv');
        this.kv.set(r.k, r.v);
        break;
      case 'set':
        if (!Array.isArray(r.v)) throw new Error('bad set');
        this.sets.set(r.k, new Set(r.v.map(String)));
        break;
      case 'list':
        if (!Array.isArray(r.v)) throw new Error('bad list');
        this.lists.set(r.k, r.v.map(String));
        break;
      case 'claim':
        if (typeof r.exp !== 'number') throw new Error('bad claim');
        this.claims.set(r.k, r.exp);
        break;
      default:
        throw new Error('unknown record type');
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const exp = this.claims.get(key);
    if (exp !== undefined && exp > t) return false;
    this.claims.set(key, t + ttlMs);
    await this.persist();
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.kv.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.kv.set(key, value);
    await this.persist();
  }

  async delete(key: string): Promise<void> {
    this.kv.delete(key);
    this.sets.delete(key);
    this.lists.delete(key);
    this.claims.delete(key);
    await this.persist();
  }

  async setAdd(key: string, member: string): Promise<void> {
    const s = this.sets.get(key) ?? new Set<string>();
    s.add(member);
    this.sets.set(key, s);
    await this.persist();
  }

  async setRemove(key: string, member: string): Promise<void> {
    this.sets.get(key)?.delete(member);
    await this.persist();
  }

  async setMembers(key: string): Promise<string[]> {
    return [...(this.sets.get(key) ?? [])];
  }

  async listPush(key: string, value: string, maxLength: number): Promise<void> {
    const l = this.lists.get(key) ?? [];
    l.push(value);
    if (l.length > maxLength) l.splice(0, l.length - maxLength);
    this.lists.set(key, l);
    await this.persist();
  }

  async listAll(key: string): Promise<string[]> {
    return [...(this.lists.get(key) ?? [])];
  }

  async listReplace(key: string, values: string[]): Promise<void> {
    this.lists.set(key, [...values]);
    await this.persist();
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await this.persist();
  }

  /** Writes the whole state; changes made while a write runs are covered by one more write after it. */
  private persist(): Promise<void> {
    this.dirty = true;
    this.writing ??= this.flush();
    return this.writing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.writeFile();
      }
    } finally {
      // In the same turn as the last check of `dirty`: a change made after it starts a new write instead of
      // joining this one, which would resolve without having written it.
      this.writing = undefined;
    }
  }

  private async writeFile(): Promise<void> {
    const t = this.now();
    const lines: string[] = [];
    for (const [k, v] of this.kv) lines.push(JSON.stringify({ k, t: 'kv', v }));
    for (const [k, v] of this.sets) lines.push(JSON.stringify({ k, t: 'set', v: [...v] }));
    for (const [k, v] of this.lists) lines.push(JSON.stringify({ k, t: 'list', v }));
    for (const [k, exp] of this.claims) {
      if (exp > t) lines.push(JSON.stringify({ k, t: 'claim', exp }));
      else this.claims.delete(k);
    }
    const tmp = `${this.path}.tmp`; // one process per DATA_DIR: a file left by a crash is simply overwritten
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(lines.join('\n') + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}
