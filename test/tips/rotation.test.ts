/**
 * The tip order over the real knowledge: every tip once before any repeats, a new shuffle each cycle that never
 * starts with the tip that ended the last, a different sequence for each installation's seed; the pool itself
 * (a year of weekdays, ids unique, every tip tied to an entry, no mention); and the tip of the day.
 */
import { describe, expect, it } from 'vitest';
import { loadCore } from '../../src/loadCore.js';
import { cycleOrder, freshRotation, nextTip, tipOfDay, type ChannelRotation } from '../../src/tips/rotation.js';
import { dayNumber } from '../../src/tips/service.js';

const { kb } = loadCore();
const ids = kb.tips.map((t) => t.id);
const n = ids.length;

/** `count` consecutive nextTip calls from `state`. */
function run(
  tipIds: readonly string[],
  seed: string,
  count: number,
  state: ChannelRotation = freshRotation(),
): { got: string[]; state: ChannelRotation } {
  const got: string[] = [];
  for (let i = 0; i < count; i++) {
    const next = nextTip(tipIds, seed, state)!;
    got.push(next.id);
    state = next.state;
  }
  return { got, state };
}

describe('the pool of tips (knowledge/tips)', () => {
  it('holds at least a year of weekdays (261 tips)', () => {
    expect(n).toBeGreaterThanOrEqual(261);
  });

  it('tip ids are unique and every tip is tied to an entry that exists (its card links there)', () => {
    expect(new Set(ids).size).toBe(n);
    const missing = kb.tips.filter((t) => !kb.byId.has(t.entry)).map((t) => `${t.id} -> ${t.entry}`);
    expect(missing).toEqual([]);
  });

  it('no tip pings anyone: no <!channel>, <!here>, <@U…>, <#C…>, @here, @channel, @everyone', () => {
    const pinging = kb.tips.filter((t) => /<[!@#]|@(here|channel|everyone)\b/i.test(t.text)).map((t) => t.id);
    expect(pinging).toEqual([]);
  });

  it('each tip is a short sentence', () => {
    for (const t of kb.tips) {
      expect(t.text.trim().length, t.id).toBeGreaterThan(20);
      expect(t.text.length, t.id).toBeLessThanOrEqual(600);
    }
  });
});

describe('nextTip: the rotation of one channel', () => {
  it('no repeat until the pool is used up: n consecutive tips are n distinct ids, the whole pool', () => {
    const { got, state } = run(ids, 'install-a', n);
    expect(new Set(got).size).toBe(n);
    expect([...got].sort()).toEqual([...ids].sort());
    expect(state.cycle).toBe(0);
    expect(state.posted).toHaveLength(n);
  });

  it('the next cycle starts again, a new shuffle, never with the tip that ended the last, and again covers the pool', () => {
    const first = run(ids, 'install-a', n);
    const second = run(ids, 'install-a', n, first.state);
    expect(second.got[0]).not.toBe(first.got[n - 1]);
    expect(second.state.cycle).toBe(1);
    expect([...second.got].sort()).toEqual([...ids].sort());
    expect(second.got).not.toEqual(first.got);
    // across the boundary, no tip comes twice in a row
    const all = [...first.got, ...second.got];
    for (let i = 1; i < all.length; i++) expect(all[i]).not.toBe(all[i - 1]);
  });

  it('at the boundary, even when the new shuffle happens to start with the last tip, it is not repeated', () => {
    // With three tips, many seeds put the last tip of cycle 0 first in cycle 1.
    const small = ['a', 'b', 'c'];
    const colliding = Array.from({ length: 200 }, (_, i) => `s${i}`).filter(
      (seed) => cycleOrder(small, seed, 0).at(-1) === cycleOrder(small, seed, 1)[0],
    );
    expect(colliding.length).toBeGreaterThan(10);
    for (const seed of colliding) {
      const { got } = run(small, seed, 12);
      for (let i = 1; i < got.length; i++) expect(got[i], `${seed}: ${got.join(' ')}`).not.toBe(got[i - 1]);
      for (let c = 0; c < 4; c++) expect([...got.slice(3 * c, 3 * c + 3)].sort(), `${seed} cycle ${c}`).toEqual(small);
    }
  });

  it('two seeds (two installations) give different sequences; the same seed gives the same one', () => {
    const a = run(ids, 'install-a', 20).got;
    const b = run(ids, 'install-b', 20).got;
    expect(a).not.toEqual(b);
    expect(run(ids, 'install-a', 20).got).toEqual(a);
    expect(cycleOrder(ids, 'install-a', 0)).not.toEqual(cycleOrder(ids, 'install-b', 0));
  });

  it('the order does not depend on the order the tips were loaded in', () => {
    expect(cycleOrder([...ids].reverse(), 'install-a', 0)).toEqual(cycleOrder(ids, 'install-a', 0));
  });

  it('the state goes in and out: continuing from a saved state (a restart) gives the same tips as never stopping', () => {
    const straight = run(ids, 'install-a', 30).got;
    const before = run(ids, 'install-a', 12);
    const saved = JSON.parse(JSON.stringify(before.state)) as ChannelRotation;
    const after = run(ids, 'install-a', 18, saved);
    expect([...before.got, ...after.got]).toEqual(straight);
  });

  it('a tip removed from the knowledge is skipped; a tip added joins the current cycle', () => {
    const { got, state } = run(ids, 'install-a', 5);
    const removed = cycleOrder(ids, 'install-a', 0)[5]!;
    const fewer = ids.filter((id) => id !== removed);
    const rest = run([...fewer, 'new-tip'], 'install-a', n - 5, state).got;
    expect(rest).not.toContain(removed);
    expect(rest).toContain('new-tip');
    expect(new Set([...got, ...rest]).size).toBe(n);
  });

  it('an empty pool gives nothing; a pool of one tip keeps giving it', () => {
    expect(nextTip([], 'x', freshRotation())).toBeUndefined();
    expect(run(['only'], 'x', 3).got).toEqual(['only', 'only', 'only']);
  });
});

describe('tipOfDay: the App Home tip', () => {
  const seed = 'install-a';
  const at = (isoTime: string, tz: string): string => tipOfDay(ids, seed, dayNumber(Date.parse(isoTime), tz))!;

  it('is the same all day in the time zone and changes the next day', () => {
    // Europe/Berlin, Tue 27 Oct 2026 (CET, UTC+1): 00:00 local is 26 Oct 23:00 UTC
    const tz = 'Europe/Berlin';
    const morning = at('2026-10-26T23:00:00Z', tz);
    expect(at('2026-10-27T08:00:00Z', tz)).toBe(morning);
    expect(at('2026-10-27T22:59:59Z', tz)).toBe(morning);
    expect(at('2026-10-27T23:00:00Z', tz)).not.toBe(morning); // midnight in Berlin: Wednesday
    expect(at('2026-10-26T22:59:59Z', tz)).not.toBe(morning); // still Monday in Berlin
  });

  it('a UTC day (counted without time-zone data) is the day of a zone that is UTC all year', () => {
    for (const t of ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59Z', '2026-12-02T12:34:56Z'])
      expect(dayNumber(Date.parse(t), 'UTC')).toBe(dayNumber(Date.parse(t), 'Africa/Abidjan'));
  });

  it('follows the time zone, not UTC: in New York the day turns at 05:00 UTC in winter', () => {
    const tz = 'America/New_York';
    expect(dayNumber(Date.parse('2026-01-15T04:59:59Z'), tz)).toBe(dayNumber(Date.parse('2026-01-14T12:00:00Z'), 'UTC'));
    expect(dayNumber(Date.parse('2026-01-15T05:00:00Z'), tz)).toBe(dayNumber(Date.parse('2026-01-15T12:00:00Z'), 'UTC'));
    // the short day of the spring change is still one day
    expect(dayNumber(Date.parse('2026-03-08T05:00:00Z'), tz)).toBe(dayNumber(Date.parse('2026-03-09T03:59:59Z'), tz));
  });

  it('no tip two days running, across cycle boundaries too, and every tip once per cycle of days', () => {
    const start = dayNumber(Date.parse('2026-01-01T12:00:00Z'), 'UTC');
    const days = Array.from({ length: 3 * n }, (_, i) => tipOfDay(ids, seed, start + i)!);
    for (let i = 1; i < days.length; i++) expect(days[i], `day ${start + i}`).not.toBe(days[i - 1]);
    const cycleStart = Math.ceil(start / n) * n;
    const cycle = Array.from({ length: n }, (_, i) => tipOfDay(ids, seed, cycleStart + i));
    expect(new Set(cycle).size).toBe(n);
  });

  it('a seed whose next shuffle starts with the last tip of the previous one still changes the tip at the boundary', () => {
    const small = ['a', 'b', 'c'];
    const colliding = Array.from({ length: 200 }, (_, i) => `s${i}`).filter((s) => cycleOrder(small, s, 6).at(-1) === cycleOrder(small, s, 7)[0]);
    expect(colliding.length).toBeGreaterThan(5);
    for (const s of colliding) {
      const seq = Array.from({ length: 9 }, (_, i) => tipOfDay(small, s, 18 + i)!); // days 18..26: cycles 6, 7, 8
      for (let i = 1; i < seq.length; i++) expect(seq[i], `${s}: ${seq.join(' ')}`).not.toBe(seq[i - 1]);
      expect([...seq.slice(3, 6)].sort()).toEqual(small);
    }
  });
});
