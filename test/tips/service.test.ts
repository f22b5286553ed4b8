/**
 * TipService over a real SqliteStore in a temp dir, with a fake post(): which channels get a tip, which tip each
 * gets (its own position, kept across restarts), each slot posted once per channel however often it fires, a
 * failed post not stopping the others, `/aws tips on|off|status`, the tip on demand and today's tip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCore } from '../../src/loadCore.js';
import { capturedLog } from '../support/logs.js';
import type { Message } from '../../src/render/index.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { cycleOrder, tipOfDay } from '../../src/tips/rotation.js';
import { Schedule } from '../../src/tips/schedule.js';
import { dayNumber, keys, TipService } from '../../src/tips/service.js';

const core = loadCore();
const ids = core.kb.tips.map((t) => t.id);
const idByText = new Map(core.kb.tips.map((t) => [`Tip of the day: ${t.text}`, t.id]));

const TZ = 'Europe/Berlin';
/** Weekdays 09:00 Berlin after the October change: 08:00 UTC. */
const slots = ['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-11-02', '2026-11-03'].map(
  (d) => new Date(`${d}T08:00:00Z`),
);
const slot = (i: number): Date => slots[i]!;

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

interface Posted {
  channel: string;
  tip: string;
  message: Message;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tips-service-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Made {
  svc: TipService;
  store: SqliteStore;
  posts: Posted[];
  lines: readonly Line[];
  /** Channels whose post throws (like an archived channel). */
  failing: Set<string>;
  /** The tips each channel got, in order. */
  got(channel: string): string[];
}

/** A TipService as the bot builds it ("a process"); a second call over the same dir is a restart. */
async function make(
  opts: { configured?: string[]; now?: () => number; random?: () => number; dataDir?: string; posts?: Posted[] } = {},
): Promise<Made> {
  const { log, parsed } = capturedLog();
  const lines = parsed as readonly Line[];
  const store = new SqliteStore({ dir: opts.dataDir ?? dir, log, ...(opts.now ? { now: opts.now } : {}) });
  const posts = opts.posts ?? [];
  const failing = new Set<string>();
  const svc = new TipService({
    kb: core.kb,
    render: core.render,
    store,
    log,
    schedule: new Schedule('0 9 * * 1-5', TZ),
    configuredChannels: opts.configured ?? ['C0TIPS001', 'C0TIPS002'],
    post: async (channel, message) => {
      await Promise.resolve();
      if (failing.has(channel)) throw Object.assign(new Error('An API error occurred: is_archived'), { data: { ok: false, error: 'is_archived' } });
      const tip = idByText.get(message.text);
      if (!tip) throw new Error(`not a tip card: ${message.text}`);
      posts.push({ channel, tip, message });
    },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.random ? { random: opts.random } : {}),
  });
  await svc.init();
  return { svc, store, posts, lines, failing, got: (channel) => posts.filter((p) => p.channel === channel).map((p) => p.tip) };
}

/** What the reply shows: the mrkdwn of its one section. */
function shown(m: Message): string {
  expect(m.blocks).toHaveLength(1);
  return (m.blocks[0] as { text: { text: string } }).text.text;
}

async function seedOf(m: Made): Promise<string> {
  const seed = await m.store.get(keys.seed);
  expect(seed).toMatch(/^[0-9a-f]{8}$/);
  return seed!;
}

describe('TipService', () => {
  it('init creates this installation’s seed once and keeps it; two installations get different seeds and different sequences', async () => {
    const a = await make({ random: () => 0.25 });
    const seed = await seedOf(a);
    await a.store.close();
    const again = await make({ random: () => 0.75 });
    expect(await seedOf(again)).toBe(seed);

    const other = mkdtempSync(join(tmpdir(), 'tips-service-'));
    try {
      const b = await make({ random: () => 0.75, dataDir: other });
      expect(await seedOf(b)).not.toBe(seed);
      for (let i = 0; i < 3; i++) {
        await again.svc.fire(slot(i));
        await b.svc.fire(slot(i));
      }
      expect(again.got('C0TIPS001')).not.toEqual(b.got('C0TIPS001'));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('posts a tip card to each tip channel: the tip, and a button to the entry it comes from; no mention anywhere', async () => {
    const m = await make();
    const result = await m.svc.fire(slot(0));
    expect(result).toEqual({ posted: ['C0TIPS001', 'C0TIPS002'], failed: [], skipped: [] });
    expect(m.posts.map((p) => p.channel)).toEqual(['C0TIPS001', 'C0TIPS002']);
    const tip = core.kb.tips.find((t) => t.id === m.posts[0]!.tip)!;
    const card = JSON.stringify(m.posts[0]!.message.blocks);
    expect(card).toContain('Tip of the day');
    expect(card).toContain(`More: ${core.kb.byId.get(tip.entry)!.name}`);
    // every tip, rendered as it is posted, pings nobody
    for (const t of core.kb.tips) {
      const msg = core.render.tip(t);
      expect(JSON.stringify(msg), t.id).not.toMatch(/<[!@#]|@(here|channel|everyone)\b/i);
    }
  });

  it('each channel has its own position: a channel that opts in later starts at the beginning of the order', async () => {
    const m = await make();
    const order = cycleOrder(ids, await seedOf(m), 0);
    await m.svc.fire(slot(0));
    await m.svc.command('on', 'C0OPTIN01');
    await m.svc.fire(slot(1));
    await m.svc.fire(slot(2));
    expect(m.got('C0TIPS001')).toEqual(order.slice(0, 3));
    expect(m.got('C0TIPS002')).toEqual(order.slice(0, 3));
    expect(m.got('C0OPTIN01')).toEqual(order.slice(0, 2));
    expect(JSON.parse((await m.store.get(keys.rotation('C0OPTIN01')))!)).toEqual({ cycle: 0, posted: order.slice(0, 2) });
  });

  it('positions survive a restart: a new store and service over the same DATA_DIR continue where they left off, no repeat', async () => {
    const posts: Posted[] = [];
    const first = await make({ posts });
    const order = cycleOrder(ids, await seedOf(first), 0);
    await first.svc.fire(slot(0));
    await first.svc.command('on', 'C0OPTIN01');
    await first.svc.fire(slot(1));
    await first.store.close();

    const second = await make({ posts }); // the restart
    expect(await second.svc.channels()).toEqual(['C0OPTIN01', 'C0TIPS001', 'C0TIPS002']);
    await second.svc.fire(slot(2));
    await second.store.close();

    const third = await make({ posts });
    await third.svc.fire(slot(3));
    expect(third.got('C0TIPS001')).toEqual(order.slice(0, 4));
    expect(third.got('C0OPTIN01')).toEqual(order.slice(0, 3));
    expect(new Set(third.got('C0TIPS001')).size).toBe(4);
    expect(third.lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('the same slot fired twice posts once per channel: twice in a row, twice at once, and after a restart within the minute', async () => {
    const posts: Posted[] = [];
    const m = await make({ posts });
    expect((await m.svc.fire(slot(0))).posted).toHaveLength(2);
    expect(await m.svc.fire(slot(0))).toEqual({ posted: [], failed: [], skipped: ['C0TIPS001', 'C0TIPS002'] });

    const [x, y] = await Promise.all([m.svc.fire(slot(1)), m.svc.fire(slot(1))]);
    expect([...x.posted, ...y.posted].sort()).toEqual(['C0TIPS001', 'C0TIPS002']);

    await m.svc.fire(slot(2));
    await m.store.close();
    const restarted = await make({ posts }); // seconds after the 09:00 post
    expect(await restarted.svc.fire(slot(2))).toEqual({ posted: [], failed: [], skipped: ['C0TIPS001', 'C0TIPS002'] });

    expect(posts.filter((p) => p.channel === 'C0TIPS001')).toHaveLength(3);
    expect(posts.filter((p) => p.channel === 'C0TIPS002')).toHaveLength(3);
    // and the next slot still comes, with the next tip
    await restarted.svc.fire(slot(3));
    const order = cycleOrder(ids, await seedOf(restarted), 0);
    expect(restarted.got('C0TIPS001')).toEqual(order.slice(0, 4));
  });

  it('a failed post is logged and the other channels still get theirs; that channel gets the same tip next slot', async () => {
    const m = await make({ configured: ['C0TIPS001', 'C0TIPS002', 'C0TIPS003'] });
    const order = cycleOrder(ids, await seedOf(m), 0);
    m.failing.add('C0TIPS002');
    const result = await m.svc.fire(slot(0));
    expect(result).toEqual({ posted: ['C0TIPS001', 'C0TIPS003'], failed: ['C0TIPS002'], skipped: [] });
    const errors = m.lines.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'tip not posted to this channel', channel: 'C0TIPS002', slot: slot(0).toISOString() });
    expect(JSON.stringify(errors[0]!.err)).toContain('is_archived');

    m.failing.clear();
    await m.svc.fire(slot(1));
    expect(m.got('C0TIPS002')).toEqual([order[0]]);
    expect(m.got('C0TIPS001')).toEqual(order.slice(0, 2));
    expect(m.got('C0TIPS003')).toEqual(order.slice(0, 2));
  });

  it('TIP_CHANNEL channels are always on: `off` is refused politely, `status` says so', async () => {
    const m = await make({ now: () => Date.parse('2026-10-23T12:00:00Z') });
    const off = await m.svc.command('off', 'C0TIPS001');
    expect(off.text).toMatch(/configuration names it \(TIP_CHANNEL\)/);
    expect(off.text).toMatch(/ask whoever runs the bot/);
    expect(await m.svc.channels()).toContain('C0TIPS001');
    const status = await m.svc.command('status', 'C0TIPS001');
    expect(status.text).toContain('This channel gets a best-practice tip');
    expect(status.text).not.toContain('/aws tips off');
    const on = await m.svc.command('on', 'C0TIPS001');
    expect(on.text).toContain('will get a best-practice tip');
    expect(await m.store.setMembers(keys.channels)).toEqual([]); // nothing to store: it is on anyway
    await m.svc.fire(slot(0));
    expect(m.got('C0TIPS001')).toHaveLength(1);
  });

  it('`/aws tips on|off|status` in a channel: the replies, and where tips go', async () => {
    const m = await make({ now: () => Date.parse('2026-10-23T12:00:00Z') }); // Fri afternoon in Berlin
    const ch = 'C0OPTIN01';
    const before = await m.svc.command('status', ch);
    expect(shown(before)).toBe(
      'This channel gets no daily tip. `/aws tips on` adds it: a tip on the schedule `0 9 * * 1-5` (Europe/Berlin); the next one Mon 26 Oct, 09:00 CET.',
    );

    const on = await m.svc.command('on', ch);
    expect(shown(on)).toBe(
      ':bulb: This channel will get a best-practice tip on the schedule `0 9 * * 1-5` (Europe/Berlin); the next one Mon 26 Oct, 09:00 CET. `/aws tips off` stops them.',
    );
    expect(await m.svc.channels()).toContain(ch);
    expect(shown(await m.svc.command('status', ch))).toMatch(/^:bulb: This channel gets a best-practice tip .* `\/aws tips off` stops them\.$/);
    await m.svc.fire(slot(0));
    await m.svc.fire(slot(1));
    expect(m.got(ch)).toHaveLength(2);

    const off = await m.svc.command('off', ch);
    expect(shown(off)).toBe('No more tips in this channel. `/aws tips on` brings them back.');
    expect(await m.svc.channels()).not.toContain(ch);
    expect((await m.svc.command('status', ch)).text).toMatch(/^This channel gets no daily tip/);
    await m.svc.fire(slot(2));
    expect(m.got(ch)).toHaveLength(2);

    // back on: it continues where it was, no repeat
    await m.svc.command('on', ch);
    await m.svc.fire(slot(3));
    const order = cycleOrder(ids, await seedOf(m), 0);
    expect(m.got(ch)).toEqual(order.slice(0, 3));

    // opt-ins are stored: a restart keeps them
    await m.svc.command('on', 'C0OPTIN02');
    await m.store.close();
    const restarted = await make();
    expect(await restarted.svc.channels()).toEqual(['C0OPTIN01', 'C0OPTIN02', 'C0TIPS001', 'C0TIPS002']);
  });

  it('the tip on demand moves no channel’s position and writes nothing', async () => {
    let r = 0;
    const m = await make({
      random: () => {
        r = (r * 9301 + 49297) % 233280;
        return r / 233280;
      },
    });
    const order = cycleOrder(ids, await seedOf(m), 0);
    await m.svc.fire(slot(0));
    const before = m.store.changes();
    const shown = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = m.svc.onDemand()!;
      expect(ids).toContain(t.id);
      shown.add(t.id);
    }
    expect(shown.size).toBeGreaterThan(50); // it varies
    expect(m.store.changes()).toBe(before);
    await m.svc.fire(slot(1));
    expect(m.got('C0TIPS001')).toEqual(order.slice(0, 2));
  });

  it('today’s tip: the same all day in TIP_TIMEZONE, another the next day; the same after a restart', async () => {
    let now = Date.parse('2026-10-26T23:30:00Z'); // 00:30 Tuesday in Berlin
    const m = await make({ now: () => now });
    const seed = await seedOf(m);
    const tuesday = m.svc.today()!;
    expect(tuesday.id).toBe(tipOfDay(ids, seed, dayNumber(now, TZ)));
    now = Date.parse('2026-10-27T22:59:00Z'); // 23:59 Tuesday in Berlin
    expect(m.svc.today()!.id).toBe(tuesday.id);
    now = Date.parse('2026-10-27T23:00:00Z'); // Wednesday
    const wednesday = m.svc.today()!;
    expect(wednesday.id).not.toBe(tuesday.id);
    // firing slots does not change it
    await m.svc.fire(slot(2));
    expect(m.svc.today()!.id).toBe(wednesday.id);
    await m.store.close();
    const restarted = await make({ now: () => now });
    expect(restarted.svc.today()!.id).toBe(wednesday.id);
  });

  it('goes through the whole pool in one channel before any repeat, then starts a new cycle without repeating the last tip', async () => {
    let t = Date.parse('2027-01-04T08:00:00Z');
    const m = await make({ configured: ['C0TIPS001'], now: () => t }); // a day a slot: yesterday's claim has expired
    for (let i = 0; i <= ids.length; i++) {
      await m.svc.fire(new Date(t));
      t += 24 * 3600_000;
    }
    const got = m.got('C0TIPS001');
    expect(got).toHaveLength(ids.length + 1);
    expect(new Set(got.slice(0, ids.length)).size).toBe(ids.length);
    expect(got[ids.length]).not.toBe(got[ids.length - 1]);
  }, 60_000);
});
