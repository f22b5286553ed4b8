/**
 * The SQLite store beyond the contract: `DATA_DIR/state.db` in WAL mode; the one-time import of the old
 * `state.jsonl` (then renamed, logged once); a DATA_DIR it cannot use is one error naming DATA_DIR; a write touches
 * only its own rows; two processes on one DATA_DIR agree on claims and counts.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackLog } from '../../src/feedback/store.js';
import { createLogger } from '../../src/logger.js';
import { StateStartError } from '../../src/state/errors.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { capturedLog } from '../support/logs.js';
import { root, runToEnd, tsx } from '../support/run.js';

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

function capture() {
  const { log, parsed } = capturedLog();
  const lines = parsed as readonly Line[];
  return { log, lines, warnings: () => lines.filter((l) => l.level >= 40) };
}

let dir: string;
const open: SqliteStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-sqlite-'));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const store = (opts: { now?: () => number; dir?: string } = {}) => {
  const c = capture();
  const s = new SqliteStore({ dir: opts.dir ?? dir, log: c.log, ...(opts.now ? { now: opts.now } : {}) });
  open.push(s);
  return { store: s, ...c };
};

/** A state file as the store before SQLite wrote it: one record per key and line. */
const oldStateFile = [
  '{"k":"tips:seed","t":"kv","v":"0badc0de"}',
  '{"k":"tips:rotation:C0AAA0001","t":"kv","v":"{\\"cycle\\":0,\\"posted\\":[\\"a\\"]}"}',
  '{"k":"feedback:salt","t":"kv","v":"5a17"}',
  '{"k":"feedback:asked:2026-11-30","t":"kv","v":"{\\"slash\\":[4,3]}"}',
  '{"k":"tips:channels","t":"set","v":["C0AAA0001","C0AAA0003"]}',
  '{"k":"feedback:days","t":"set","v":["2026-11-30"]}',
  '{"k":"feedback:log","t":"list","v":["{\\"id\\":\\"r1\\"}","{\\"id\\":\\"r2\\"}"]}',
  `{"k":"tips:slot:C0AAA0001:2026-12-01T09:00:00.000Z","t":"claim","exp":${Date.now() + 3_600_000}}`,
  `{"k":"event:EvExpired","t":"claim","exp":${Date.now() - 1000}}`,
].join('\n');

describe('SqliteStore', () => {
  it('keeps the state in DATA_DIR/state.db (DATA_DIR created), in WAL mode', async () => {
    const nested = join(dir, 'a', 'b');
    const { store: s, warnings } = store({ dir: nested });
    expect(s.path).toBe(join(nested, 'state.db'));
    await s.set('tips:seed', 'x');
    expect(warnings()).toEqual([]);
    const raw = new Database(s.path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare("SELECT value FROM kv WHERE key = 'tips:seed'").pluck().get()).toBe('x');
    } finally {
      raw.close();
    }
    expect(readdirSync(nested)).toContain('state.db');
  });

  it('imports an old state.jsonl once when the database is new, renames it, says so once', async () => {
    writeFileSync(join(dir, 'state.jsonl'), oldStateFile + '\n');
    const first = store();
    const s = first.store;
    expect(await s.get('tips:seed')).toBe('0badc0de');
    expect(JSON.parse((await s.get('tips:rotation:C0AAA0001'))!)).toEqual({ cycle: 0, posted: ['a'] });
    expect(await s.setMembers('tips:channels')).toEqual(['C0AAA0001', 'C0AAA0003']);
    expect(await s.listAll('feedback:log')).toEqual(['{"id":"r1"}', '{"id":"r2"}']);
    expect(await s.claim('tips:slot:C0AAA0001:2026-12-01T09:00:00.000Z', 60_000)).toBe(false); // a live claim still holds
    expect(await s.claim('event:EvExpired', 60_000)).toBe(true); // an expired one does not
    expect(existsSync(join(dir, 'state.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'state.jsonl.imported'))).toBe(true);
    const imported = first.lines.filter((l) => /imported the old state file/.test(l.msg));
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ level: 30, records: 9, from: join(dir, 'state.jsonl'), to: join(dir, 'state.db') });
    expect(first.warnings()).toEqual([]);

    // The old day counter is read with the new ones: the answer rate keeps its history.
    const log = new FeedbackLog({ store: s, retentionDays: 3650, now: () => Date.parse('2026-12-01T10:00:00Z') });
    await log.countQuestions(new Map([['slash', [2, 2]]]), Date.parse('2026-11-30T12:00:00Z'));
    expect(await log.dayCounts()).toEqual(new Map([['2026-11-30', { slash: [6, 5] }]]));
    expect(await log.hashUser('U1')).toBe(await new FeedbackLog({ store: s, retentionDays: 90 }).hashUser('U1')); // the salt came along

    await s.close();
    const again = store();
    expect(again.lines.filter((l) => /imported/.test(l.msg))).toEqual([]);
    expect(await again.store.get('tips:seed')).toBe('0badc0de');
  });

  it('a damaged old file: the readable records are imported, one warning counts the rest', async () => {
    writeFileSync(
      join(dir, 'state.jsonl'),
      [
        '{"k":"tips:seed","t":"kv","v":"0badc0de"}',
        'not json',
        '{"k":"x","t":"kv","v":42}',
        '{"k":"tips:channels","t":"set","v":["C1"]}',
        '{"k":"y","t":"se',
      ].join('\n'),
    );
    const { store: s, warnings } = store();
    expect(await s.get('tips:seed')).toBe('0badc0de');
    expect(await s.setMembers('tips:channels')).toEqual(['C1']);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ unreadableLines: [2, 3, 5] });
    expect(warnings()[0]!.msg).toMatch(/3 record\(s\) could not be read/);
  });

  it('a state.jsonl beside an existing database is not imported again: one warning says to remove it', async () => {
    const a = store();
    await a.store.set('tips:seed', 'from-sqlite');
    await a.store.close();
    writeFileSync(join(dir, 'state.jsonl'), oldStateFile);
    const b = store();
    expect(await b.store.get('tips:seed')).toBe('from-sqlite');
    expect(await b.store.setMembers('tips:channels')).toEqual([]);
    expect(b.warnings()).toHaveLength(1);
    expect(b.warnings()[0]!.msg).toMatch(/not imported/);
    expect(existsSync(join(dir, 'state.jsonl'))).toBe(true);
  });

  it('a DATA_DIR it cannot use is one StateStartError naming DATA_DIR and the file', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const errOf = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const quiet = createLogger({ level: 'silent' });
    const notADir = errOf(() => new SqliteStore({ dir: file, log: quiet }));
    expect(notADir).toBeInstanceOf(StateStartError);
    expect((notADir as Error).message).toMatch(/^DATA_DIR: cannot open .*not-a-dir/);

    const garbage = join(dir, 'garbage');
    mkdirSync(garbage);
    writeFileSync(join(garbage, 'state.db'), 'this is not a database, only text long enough to be read as a header '.repeat(20));
    const notADb = errOf(() => new SqliteStore({ dir: garbage, log: quiet }));
    expect(notADb).toBeInstanceOf(StateStartError);
    expect((notADb as StateStartError).variable).toBe('DATA_DIR');
    expect((notADb as Error).message).toMatch(/^DATA_DIR: cannot use .*state\.db: file is not a database/);
    expect((notADb as Error).message).not.toContain('\n');
  });

  it('a write changes only its own rows, however large the state (no rewrite of the whole)', async () => {
    const { store: s } = store();
    for (let i = 0; i < 2000; i++) await s.listPush('feedback:log', `record ${i}`, 10_000);
    for (let i = 0; i < 200; i++) await s.setAdd('tips:channels', `C${i}`);
    const before = s.changes();
    expect(await s.claim('event:Ev1', 60_000)).toBe(true);
    await s.hashIncrement('feedback:counts:2026-12-01', { 'asked:slash': 1 });
    await s.listPush('feedback:log', 'one more', 10_000);
    expect(s.changes() - before).toBe(3);
  });

  it('after close it is not healthy, and a new store on the same DATA_DIR reads everything', async () => {
    const { store: s } = store();
    await s.set('k', 'v');
    expect(s.healthy()).toBe(true);
    await s.close();
    expect(s.healthy()).toBe(false);
    expect(await store().store.get('k')).toBe('v');
  });

  it('two processes on one DATA_DIR: each claim is won once, and every increment counts', { timeout: 60_000 }, async () => {
    store(); // the database exists before both start
    const script = join(dir, 'writer.mts');
    writeFileSync(
      script,
      `
      import { SqliteStore } from ${JSON.stringify(pathToFileURL(join(root, 'src/state/sqlite.ts')).href)};
      import { createLogger } from ${JSON.stringify(pathToFileURL(join(root, 'src/logger.ts')).href)};
      const s = new SqliteStore({ dir: process.env.DIR, log: createLogger({ level: 'silent' }) });
      let won = 0;
      for (let i = 0; i < 300; i++) {
        if (await s.claim('event:Ev' + i, 60000)) won++;
        await s.hashIncrement('counts', { asked: 1 });
      }
      await s.close();
      console.log(won);
    `,
    );
    const run = () => runToEnd(tsx, [script], { env: { ...process.env, DIR: dir } });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.stderr + b.stderr).toBe('');
    expect(Number(a.stdout) + Number(b.stdout)).toBe(300);
    expect(await store().store.hashGetAll('counts')).toEqual({ asked: 600 });
  });
});
