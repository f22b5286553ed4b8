/**
 * The default store: SQLite in `DATA_DIR/state.db` (better-sqlite3), in WAL mode, so readers (`npm run report`,
 * another process) read while the bot writes and never block it. Every write is one short transaction on the rows
 * it changes, never a rewrite of the whole state: a claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE expired`,
 * a count one `… SET n = n + ?`, a push one insert (and the trim of the oldest beyond the bound). A second process
 * waits for the write lock (busy_timeout) rather than failing. `synchronous = NORMAL`: a killed process loses no
 * committed write; a power cut may lose the last few.
 *
 * A `state.jsonl` left by the store before this one is imported once, when the database is created, then renamed
 * `state.jsonl.imported`.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { StateStartError } from './errors.js';
import { parseLegacyState } from './legacy.js';
import type { PendingEvent, StateStore } from './store.js';

export interface SqliteStoreOptions {
  /** DATA_DIR: created if missing. */
  dir: string;
  log: Logger;
  /** The clock of claims and pending events (tests inject one). */
  now?: () => number;
  /** How long a write waits for another process's write lock before it fails. Default 5 s. */
  busyTimeoutMs?: number;
}

export const databaseFile = 'state.db';
export const legacyFile = 'state.jsonl';
/** The schema this code writes; a database of a later one (a newer bot) is refused rather than misread. */
const schemaVersion = 1;

const schema = `
  CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS sets (key TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (key, member)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS lists (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS lists_by_key ON lists (key, seq);
  CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS claims_by_expiry ON claims (expires);
  CREATE TABLE IF NOT EXISTS counters (key TEXT NOT NULL, field TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, field)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, payload TEXT NOT NULL, at INTEGER NOT NULL, claimed_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS pending_by_time ON pending (at);
`;

/** Values with an expiry (StateStore.setExpiring). */
const expiringSchema = `
  CREATE TABLE IF NOT EXISTS expiring (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS expiring_by_expiry ON expiring (expires);
`;

/** Expired claims are deleted at most this often (they are ignored before that anyway). */
const sweepEveryMs = 60_000;

export class SqliteStore implements StateStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private lastSweep = 0;
  private lastExpirySweep = 0;
  private readonly q: ReturnType<typeof statements>;

  /** Opens (creating if need be) `dir/state.db`; throws a StateStartError naming DATA_DIR when it cannot. */
  constructor(opts: SqliteStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.path = join(opts.dir, databaseFile);
    try {
      mkdirSync(opts.dir, { recursive: true });
      this.db = new Database(this.path, { timeout: opts.busyTimeoutMs ?? 5000 });
    } catch (err) {
      throw new StateStartError('DATA_DIR', `cannot open ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const mode = this.db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`the database refused WAL mode (journal_mode is ${String(mode)})`);
      this.db.pragma('synchronous = NORMAL');
      this.init(opts.dir, opts.log);
    } catch (err) {
      this.db.close();
      if (err instanceof StateStartError) throw err;
      throw new StateStartError('DATA_DIR', `cannot use ${this.path}: ${(err as Error).message} (move the file away to start with an empty state)`, {
        cause: err,
      });
    }
    // Added after schema 1 was released: created in a database of that schema too (older code ignores the table).
    this.db.exec(expiringSchema);
    this.q = statements(this.db);
  }

  /** Creates the schema in a new database, importing the old state file if there is one. */
  private init(dir: string, log: Logger): void {
    const legacy = join(dir, legacyFile);
    const created = this.db
      .transaction((): { imported?: { records: number; badLines: number[] } } | undefined => {
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version > schemaVersion)
          throw new StateStartError(
            'DATA_DIR',
            `${this.path} was written by a newer version of the bot (schema ${version}; this one knows ${schemaVersion})`,
          );
        if (version === schemaVersion) return undefined;
        this.db.exec(schema);
        this.db.pragma(`user_version = ${schemaVersion}`);
        if (!existsSync(legacy)) return {};
        return { imported: this.importLegacy(readFileSync(legacy, 'utf8')) };
      })
      .immediate();
    if (created?.imported) {
      const { records, badLines } = created.imported;
      let renamed: string | undefined = `${legacy}.imported`;
      try {
        renameSync(legacy, renamed);
      } catch (err) {
        log.warn({ err, path: legacy }, 'the imported state file could not be renamed: it is ignored from now on, remove it');
        renamed = undefined;
      }
      log.info(
        { from: legacy, to: this.path, records, ...(renamed ? { renamedTo: renamed } : {}) },
        'imported the old state file into SQLite (once)',
      );
      if (badLines.length)
        log.warn(
          { path: legacy, unreadableLines: badLines.slice(0, 20) },
          `the old state file was damaged: ${badLines.length} record(s) could not be read and were not imported; the rest was`,
        );
    } else if (!created && existsSync(legacy)) {
      log.warn(
        { path: legacy, database: this.path },
        'state.jsonl beside an existing state.db is not imported (only a new database imports it): remove it',
      );
    }
  }

  /** Inside the creating transaction: every readable record of the old file. */
  private importLegacy(text: string): { records: number; badLines: number[] } {
    const { records, badLines } = parseLegacyState(text);
    const now = this.now();
    const kv = this.db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)');
    const member = this.db.prepare('INSERT OR IGNORE INTO sets (key, member) VALUES (?, ?)');
    const item = this.db.prepare('INSERT INTO lists (key, value) VALUES (?, ?)');
    const claim = this.db.prepare('INSERT OR REPLACE INTO claims (key, expires) VALUES (?, ?)');
    for (const r of records) {
      if (r.t === 'kv') kv.run(r.k, r.v);
      else if (r.t === 'set') for (const m of r.v) member.run(r.k, m);
      else if (r.t === 'list') for (const v of r.v) item.run(r.k, v);
      else if (r.exp > now) claim.run(r.k, r.exp);
    }
    return { records: records.length, badLines };
  }

  /** Deletes expired claims, at most every sweepEveryMs. */
  private sweepClaims(t: number): void {
    if (t - this.lastSweep < sweepEveryMs) return;
    this.lastSweep = t;
    this.q.sweep.run(t);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    this.sweepClaims(t);
    return this.q.claim.run(key, t + Math.max(1, Math.ceil(ttlMs)), t).changes === 1;
  }

  async get(key: string): Promise<string | undefined> {
    return (this.q.get.get(key) as string | undefined) ?? (this.q.getExpiring.get(key, this.now()) as string | undefined) ?? undefined;
  }

  async setExpiring(key: string, value: string, ttlMs: number): Promise<void> {
    const t = this.now();
    if (t - this.lastExpirySweep >= sweepEveryMs) {
      this.lastExpirySweep = t;
      this.q.sweepExpiring.run(t);
    }
    this.q.setExpiring.run(key, value, t + Math.max(1, Math.ceil(ttlMs)));
  }

  async set(key: string, value: string): Promise<void> {
    this.q.set.run(key, value);
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    return this.q.setNew.run(key, value).changes === 1;
  }

  async delete(key: string): Promise<void> {
    this.db.transaction(() => {
      for (const s of [this.q.deleteKv, this.q.deleteSet, this.q.deleteList, this.q.deleteClaim, this.q.deleteCounters, this.q.deleteExpiring])
        s.run(key);
    })();
  }

  async setAdd(key: string, member: string): Promise<void> {
    this.q.setAdd.run(key, member);
  }

  async setRemove(key: string, member: string): Promise<void> {
    this.q.setRemove.run(key, member);
  }

  async setMembers(key: string): Promise<string[]> {
    return this.q.setMembers.all(key) as string[];
  }

  async listPush(key: string, value: string, maxLength: number): Promise<void> {
    this.db.transaction(() => {
      if (maxLength < 1) {
        this.q.deleteList.run(key);
        return;
      }
      this.q.push.run(key, value);
      this.q.trim.run(key, key, Math.floor(maxLength));
    })();
  }

  async listAll(key: string): Promise<string[]> {
    return this.q.listAll.all(key) as string[];
  }

  async listRemoveOldest(key: string, oldest: string[]): Promise<number> {
    if (!oldest.length) return 0;
    return this.db.transaction(() => {
      const head = this.q.head.all(key, oldest.length) as { seq: number; value: string }[];
      let i = 0;
      for (const v of oldest) {
        const item = head[i];
        if (item?.value !== v) continue; // gone already (another pruner, the length bound): skip it, remove nothing else
        this.q.deleteItem.run(item.seq);
        i++;
      }
      return i;
    })();
  }

  async hashIncrement(key: string, increments: Readonly<Record<string, number>>): Promise<void> {
    const entries = Object.entries(increments);
    for (const [field, by] of entries) if (!Number.isSafeInteger(by)) throw new Error(`hashIncrement ${key} ${field}: ${by} is not an integer`);
    this.db.transaction(() => {
      for (const [field, by] of entries) this.q.increment.run(key, field, by);
    })();
  }

  async hashGetAll(key: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { field, n } of this.q.counters.all(key) as { field: string; n: number }[]) out[field] = n;
    return out;
  }

  async pendingAdd(id: string, payload: string): Promise<void> {
    this.q.pendingAdd.run(id, payload, this.now());
  }

  async claimPending(key: string, ttlMs: number, id: string, payload: string): Promise<boolean> {
    const t = this.now();
    this.sweepClaims(t);
    return this.db.transaction(() => {
      if (this.q.claim.run(key, t + Math.max(1, Math.ceil(ttlMs)), t).changes !== 1) return false;
      this.q.pendingAdd.run(id, payload, t);
      return true;
    })();
  }

  async pendingDone(id: string): Promise<void> {
    this.q.pendingDone.run(id);
  }

  async pendingList(maxAgeMs: number): Promise<PendingEvent[]> {
    const since = this.now() - maxAgeMs;
    return this.db.transaction(() => {
      this.q.pendingForget.run(since);
      return this.q.pendingList.all(since) as PendingEvent[];
    })();
  }

  async pendingClaim(id: string, ttlMs: number): Promise<string | undefined> {
    const t = this.now();
    return (this.q.pendingClaim.get(t + Math.max(1, Math.ceil(ttlMs)), id, t) as string | undefined) ?? undefined;
  }

  /** How many rows this connection has changed since it opened (a test of "writes nothing" reads it). */
  changes(): number {
    return this.q.changes.get() as number;
  }

  healthy(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Every statement the store runs, prepared once. */
function statements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    claim: p('INSERT INTO claims (key, expires) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ?'),
    sweep: p('DELETE FROM claims WHERE expires <= ?'),
    get: p('SELECT value FROM kv WHERE key = ?').pluck(),
    set: p('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    setNew: p('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    deleteKv: p('DELETE FROM kv WHERE key = ?'),
    getExpiring: p('SELECT value FROM expiring WHERE key = ? AND expires > ?').pluck(),
    setExpiring: p(
      'INSERT INTO expiring (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
    ),
    sweepExpiring: p('DELETE FROM expiring WHERE expires <= ?'),
    deleteExpiring: p('DELETE FROM expiring WHERE key = ?'),
    deleteSet: p('DELETE FROM sets WHERE key = ?'),
    deleteList: p('DELETE FROM lists WHERE key = ?'),
    deleteClaim: p('DELETE FROM claims WHERE key = ?'),
    deleteCounters: p('DELETE FROM counters WHERE key = ?'),
    setAdd: p('INSERT INTO sets (key, member) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    setRemove: p('DELETE FROM sets WHERE key = ? AND member = ?'),
    setMembers: p('SELECT member FROM sets WHERE key = ? ORDER BY member').pluck(),
    push: p('INSERT INTO lists (key, value) VALUES (?, ?)'),
    // Everything older than the newest `maxLength` items of the list.
    trim: p('DELETE FROM lists WHERE key = ? AND seq <= (SELECT seq FROM lists WHERE key = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)'),
    listAll: p('SELECT value FROM lists WHERE key = ? ORDER BY seq').pluck(),
    head: p('SELECT seq, value FROM lists WHERE key = ? ORDER BY seq LIMIT ?'),
    deleteItem: p('DELETE FROM lists WHERE seq = ?'),
    increment: p('INSERT INTO counters (key, field, n) VALUES (?, ?, ?) ON CONFLICT (key, field) DO UPDATE SET n = n + excluded.n'),
    counters: p('SELECT field, n FROM counters WHERE key = ?'),
    pendingAdd: p(
      'INSERT INTO pending (id, payload, at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, at = excluded.at',
    ),
    pendingDone: p('DELETE FROM pending WHERE id = ?'),
    pendingForget: p('DELETE FROM pending WHERE at < ?'),
    pendingList: p('SELECT id, payload, at FROM pending WHERE at >= ? ORDER BY at, id'),
    pendingClaim: p('UPDATE pending SET claimed_until = ? WHERE id = ? AND claimed_until <= ? RETURNING payload').pluck(),
    changes: p('SELECT total_changes()').pluck(),
  };
}
