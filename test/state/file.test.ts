/**
 * The file store (DATA_DIR/state.jsonl): values survive a reopen; a corrupt or half-written file is detected at
 * start with ONE clear warning and the readable records (the opted-in channels) are kept; writes are atomic (a
 * new file renamed over the old, nothing left behind, a failed write leaves the old file whole) and writes made
 * while one runs coalesce without losing any change.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { FileStore } from '../../src/state/file.js';

// A seam in the file system calls the store makes: count renames, fail one, or run code right after one.
const fsHooks: { renames: number; failRename: number; afterRename?: () => void } = { renames: 0, failRename: 0 };
vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...orig,
    rename: async (from: string, to: string) => {
      if (fsHooks.failRename > 0) {
        fsHooks.failRename--;
        throw Object.assign(new Error(`ENOSPC: no space left on device, rename '${from}'`), { code: 'ENOSPC' });
      }
      await orig.rename(from, to);
      fsHooks.renames++;
      fsHooks.afterRename?.();
    },
  };
});

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

function capture() {
  const lines: Line[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void s.split('\n').filter((l) => l.trim()).forEach((l) => lines.push(JSON.parse(l) as Line)) },
  });
  return { log, lines, warnings: () => lines.filter((l) => l.level >= 40) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-test-'));
  fsHooks.renames = 0;
  fsHooks.failRename = 0;
  fsHooks.afterRename = undefined;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (opts: { now?: () => number } = {}) => {
  const c = capture();
  return { store: new FileStore({ dir, log: c.log, ...opts }), ...c };
};
const stateFile = () => join(dir, 'state.jsonl');
const leftovers = () => readdirSync(dir).filter((f) => f !== 'state.jsonl');

async function fill(store: FileStore): Promise<void> {
  await store.set('tips:seed', '0badc0de');
  await store.setAdd('tips:channels', 'C0AAA0001');
  await store.setAdd('tips:channels', 'C0AAA0002');
  await store.setAdd('tips:channels', 'C0AAA0003');
  await store.setRemove('tips:channels', 'C0AAA0002');
  await store.set('tips:rotation:C0AAA0001', JSON.stringify({ cycle: 0, posted: ['a', 'b'] }));
  await store.listPush('feedback', 'one', 2);
  await store.listPush('feedback', 'two', 2);
  await store.listPush('feedback', 'three', 2);
}

describe('FileStore', () => {
  it('starts empty without a file and without a warning; creates DATA_DIR', () => {
    const nested = join(dir, 'a', 'b');
    const c = capture();
    const store = new FileStore({ dir: nested, log: c.log });
    expect(store.path).toBe(join(nested, 'state.jsonl'));
    expect(c.warnings()).toEqual([]);
    expect(readdirSync(nested)).toEqual([]);
  });

  it('values survive a reopen: strings, sets, lists (newest kept), live claims', async () => {
    const a = open();
    await fill(a.store);
    expect(await a.store.claim('tips:slot:C1:2026-10-26T08:00:00.000Z', 60_000)).toBe(true);
    await a.store.close();

    const b = open();
    expect(b.warnings()).toEqual([]);
    expect(await b.store.get('tips:seed')).toBe('0badc0de');
    expect((await b.store.setMembers('tips:channels')).sort()).toEqual(['C0AAA0001', 'C0AAA0003']);
    expect(JSON.parse((await b.store.get('tips:rotation:C0AAA0001'))!)).toEqual({ cycle: 0, posted: ['a', 'b'] });
    expect(await b.store.listAll('feedback')).toEqual(['two', 'three']);
    expect(await b.store.claim('tips:slot:C1:2026-10-26T08:00:00.000Z', 60_000)).toBe(false);
    expect(await b.store.get('nothing')).toBeUndefined();
    expect(await b.store.setMembers('nothing')).toEqual([]);
  });

  it('delete and listReplace are persisted too', async () => {
    const a = open();
    await fill(a.store);
    await a.store.delete('tips:seed');
    await a.store.listReplace('feedback', ['x']);
    const b = open();
    expect(await b.store.get('tips:seed')).toBeUndefined();
    expect(await b.store.listAll('feedback')).toEqual(['x']);
  });

  it('a claim is won once while it lasts, and again after it expires; expired claims are not kept in the file', async () => {
    let now = 1_000_000;
    const a = open({ now: () => now });
    expect(await a.store.claim('k', 1000)).toBe(true);
    expect(await a.store.claim('k', 1000)).toBe(false);
    now += 999;
    expect(await a.store.claim('k', 1000)).toBe(false);
    now += 1;
    expect(await a.store.claim('k', 1000)).toBe(true);
    // concurrent claimers: exactly one wins
    const results = await Promise.all(Array.from({ length: 10 }, () => a.store.claim('race', 1000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    now += 5000;
    await a.store.set('x', 'y');
    expect(readFileSync(stateFile(), 'utf8')).not.toContain('"claim"');
  });

  it('a corrupt file (a garbage line in the middle) is detected at start: ONE warning; the readable records are kept', async () => {
    const a = open();
    await fill(a.store);
    const lines = readFileSync(stateFile(), 'utf8').trimEnd().split('\n');
    lines.splice(2, 0, '\u0000\u0000garbage{{{ not json');
    writeFileSync(stateFile(), lines.join('\n') + '\n');

    const b = open();
    const warnings = b.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe(40);
    expect(warnings[0]!.msg).toMatch(/state file is damaged: 1 record\(s\) could not be read/);
    expect(warnings[0]).toMatchObject({ path: stateFile(), unreadableLines: [3] });
    // the bot starts anyway, with every channel it could still read
    expect((await b.store.setMembers('tips:channels')).sort()).toEqual(['C0AAA0001', 'C0AAA0003']);
    expect(await b.store.get('tips:seed')).toBe('0badc0de');
    expect(await b.store.listAll('feedback')).toEqual(['two', 'three']);
  });

  it('a half-written file (the last line cut mid-JSON) is detected at start: ONE warning; the channels before it are kept', async () => {
    const a = open();
    await a.store.set('tips:seed', '0badc0de');
    await a.store.setAdd('tips:channels', 'C0AAA0001');
    await a.store.setAdd('tips:channels', 'C0AAA0003');
    await a.store.set('tips:rotation:C0AAA0001', JSON.stringify({ cycle: 2, posted: ['a', 'b', 'c'] }));
    const text = readFileSync(stateFile(), 'utf8');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^\{"k":"tips:channels","t":"set"/); // sets are written after strings
    writeFileSync(stateFile(), text.slice(0, text.length - 12)); // cut inside the last record, no newline

    const b = open();
    expect(b.warnings()).toHaveLength(1);
    expect(b.warnings()[0]!.msg).toMatch(/damaged: 1 record/);
    expect(await b.store.get('tips:seed')).toBe('0badc0de');
    expect(JSON.parse((await b.store.get('tips:rotation:C0AAA0001'))!)).toEqual({ cycle: 2, posted: ['a', 'b', 'c'] });
    expect(await b.store.setMembers('tips:channels')).toEqual([]); // the cut record is the one lost
  });

  it('several damaged records still give ONE warning, counting them; records of the wrong shape count as damaged', async () => {
    writeFileSync(
      stateFile(),
      [
        '{"k":"tips:seed","t":"kv","v":"0badc0de"}',
        'not json',
        '{"k":"tips:channels","t":"set","v":["C0AAA0001","C0AAA0003"]}',
        '{"t":"kv","v":"no key"}',
        '{"k":"x","t":"kv","v":42}',
        '{"k":"y","t":"mystery","v":"?"}',
        'null',
        '',
        '{"k":"tips:rotation:C0AAA0001","t":"kv","v":"{\\"cycle\\":0,\\"posted\\":[\\"a\\"]}"}',
        '{"k":"tips:rotation:C0AAA0003","t":"kv","v":"{\\"cyc',
      ].join('\n'),
    );
    const b = open();
    expect(b.warnings()).toHaveLength(1);
    expect(b.warnings()[0]).toMatchObject({ unreadableLines: [2, 4, 5, 6, 7, 10], kept: 3 });
    expect(b.warnings()[0]!.msg).toMatch(/6 record\(s\)/);
    expect((await b.store.setMembers('tips:channels')).sort()).toEqual(['C0AAA0001', 'C0AAA0003']);
    expect(await b.store.get('tips:rotation:C0AAA0001')).toBe('{"cycle":0,"posted":["a"]}');
  });

  it('the next write repairs the file: the reopen after it is clean', async () => {
    writeFileSync(stateFile(), '{"k":"tips:channels","t":"set","v":["C0AAA0001"]}\n{"k":"tips:se');
    const b = open();
    expect(b.warnings()).toHaveLength(1);
    await b.store.setAdd('tips:channels', 'C0AAA0002');
    const c = open();
    expect(c.warnings()).toEqual([]);
    expect((await c.store.setMembers('tips:channels')).sort()).toEqual(['C0AAA0001', 'C0AAA0002']);
  });

  it('writes are atomic: a temporary file renamed over the state file, nothing left behind', async () => {
    const a = open();
    await fill(a.store);
    expect(fsHooks.renames).toBeGreaterThan(0);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['state.jsonl']);
  });

  it('a write that fails before the rename (a full disk) leaves the previous file whole and no temporary file', async () => {
    const a = open();
    await fill(a.store);
    const before = readFileSync(stateFile(), 'utf8');
    fsHooks.failRename = 1;
    await expect(a.store.set('tips:seed', 'changed')).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(stateFile(), 'utf8')).toBe(before);
    expect(leftovers()).toEqual([]);
    // the next write succeeds and carries the change that failed
    await a.store.set('other', '1');
    const b = open();
    expect(await b.store.get('tips:seed')).toBe('changed');
    expect(b.warnings()).toEqual([]);
  });

  it('a crash in the middle of a write (a stray temporary file) loses nothing: the state file is read, whole', async () => {
    const a = open();
    await fill(a.store);
    writeFileSync(join(dir, 'state.jsonl.99999.tmp'), '{"k":"tips:seed","t":"kv","v":"half-wr');
    const b = open();
    expect(b.warnings()).toEqual([]);
    expect(await b.store.get('tips:seed')).toBe('0badc0de');
    expect((await b.store.setMembers('tips:channels')).sort()).toEqual(['C0AAA0001', 'C0AAA0003']);
  });

  it('concurrent writes coalesce (far fewer file writes than changes) and the final file has every change', async () => {
    const a = open();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      writes.push(a.store.set(`k${i}`, String(i)));
      writes.push(a.store.setAdd('channels', `C${String(i).padStart(8, '0')}`));
    }
    await Promise.all(writes);
    expect(fsHooks.renames).toBeLessThanOrEqual(3);
    expect(leftovers()).toEqual([]);
    const b = open();
    for (let i = 0; i < 200; i++) expect(await b.store.get(`k${i}`)).toBe(String(i));
    expect(await b.store.setMembers('channels')).toHaveLength(200);
  });

  it('a change made at any moment while a write finishes is on disk once its promise resolves', async () => {
    // Run the second change k microtask turns after the rename of the first write, for k around the moment
    // the write loop ends: whichever turn it lands in, awaiting it must mean it is in the file.
    for (let k = 0; k <= 12; k++) {
      rmSync(stateFile(), { force: true });
      const a = open();
      await a.store.set('first', '0');
      let second: Promise<void> | undefined;
      fsHooks.afterRename = () => {
        fsHooks.afterRename = undefined;
        let p: Promise<void> = Promise.resolve();
        for (let i = 0; i < k; i++) p = p.then(() => undefined);
        void p.then(() => {
          second = a.store.set('second', `k=${k}`);
        });
      };
      await a.store.set('first', '1');
      await vi.waitFor(() => expect(second).toBeDefined());
      await second;
      const onDisk = readFileSync(stateFile(), 'utf8');
      expect(onDisk, `k=${k}`).toContain(`"v":"k=${k}"`);
      await a.store.close();
    }
  });

  it('close() writes what is pending', async () => {
    const a = open();
    void a.store.set('late', 'yes');
    await a.store.close();
    const b = open();
    expect(await b.store.get('late')).toBe('yes');
    expect(a.store.healthy()).toBe(true);
  });

  it('an unreadable state file (a directory in its place) gives one warning and an empty start', async () => {
    mkdirSync(stateFile());
    const c = capture();
    const store = new FileStore({ dir, log: c.log });
    expect(c.warnings()).toHaveLength(1);
    expect(c.warnings()[0]!.msg).toMatch(/state file unreadable/);
    expect(await store.setMembers('tips:channels')).toEqual([]);
  });
});
