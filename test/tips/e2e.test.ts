/**
 * The daily tip end to end: the real bot (startSlack, as src/main.ts runs it) against the fake Slack, with
 * TIP_SCHEDULE firing every second and two TIP_CHANNEL channels. What the team sees: tips arriving in each tip
 * channel, one per tick per channel, all different, in this installation's order; `/aws tips on|off` changing
 * where they go, kept across a restart of the bot on the same DATA_DIR; `/aws tip` on demand without moving
 * anything; today's tip on App Home. Waits are bounded by ticks, never fixed sleeps.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/render/blocks.js';
import { cycleOrder, tipOfDay } from '../../src/tips/rotation.js';
import { dayNumber } from '../../src/tips/service.js';
import { getCore, startBot, type StartedBot } from '../support/bot.js';
import type { FakeSlack } from '../support/fake-slack.js';

const core = getCore();
const ids = core.kb.tips.map((t) => t.id);
const idByText = new Map(core.kb.tips.map((t) => [`Tip of the day: ${t.text}`, t.id]));

const C1 = 'C0TIPS001';
const C2 = 'C0TIPS002';
const C3 = 'C0TIPS003'; // opts in, then out
const C4 = 'C0TIPS004'; // opts in, and stays in across the restart
const env = { TIP_SCHEDULE: '* * * * * *', TIP_CHANNEL: `${C1},${C2}`, TIP_TIMEZONE: 'UTC' };

let dataDir: string;
let b: StartedBot | undefined;
/** Tips each channel got from the bots before the current one. */
const earlier = new Map<string, string[]>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tips-e2e-'));
  b = await startBot({ env: { ...env, DATA_DIR: dataDir } });
}, 30_000);

afterAll(async () => {
  await b?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

const bot = (): StartedBot => b!;

/** The tips the current bot posted to a channel, in order (chat.postMessage calls Slack accepted). */
function tipsIn(fake: FakeSlack, channel: string): string[] {
  return fake.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.response.ok === true)
    .map((c) => {
      const id = idByText.get(String(c.args.text));
      expect(id, `a tip card in ${channel}: ${String(c.args.text).slice(0, 80)}`).toBeDefined();
      return id!;
    });
}

/** Every tip a channel has had, from every bot so far. */
const allTipsIn = (channel: string): string[] => [...(earlier.get(channel) ?? []), ...tipsIn(bot().fake, channel)];

async function waitForTips(channel: string, count: number, timeoutMs = 8000): Promise<void> {
  await bot().fake.waitFor(() => tipsIn(bot().fake, channel).length >= count, timeoutMs, `${count} tips in ${channel}`);
}

/** This installation's seed, as the bot stored it in DATA_DIR. */
function seed(): string {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true });
  try {
    const value = db.prepare("SELECT value FROM kv WHERE key = 'tips:seed'").pluck().get() as string | undefined;
    expect(value, 'tips:seed in DATA_DIR/state.db').toBeDefined();
    return value!;
  } finally {
    db.close();
  }
}

function sectionTexts(blocks: any[] | undefined): string[] {
  return (blocks ?? []).filter((x) => x.type === 'section' && x.text).map((x) => String(x.text.text));
}

async function slash(text: string, channel: string): Promise<string> {
  const { ack } = await bot().fake.slashCommand({ text, channel });
  expect(ack.response_type).toBe('ephemeral');
  return sectionTexts(ack.blocks).join('\n');
}

/** One 'tip posted' log line per channel and slot. */
function postedLog(): { channel: string; tip: string; slot: string }[] {
  return bot()
    .logs()
    .filter((l) => l.msg === 'tip posted')
    .map((l) => ({ channel: String(l.channel), tip: String(l.tip), slot: String(l.slot) }));
}

describe('the daily tip, end to end', () => {
  it('tips arrive in each tip channel, one per tick per channel, all different, in this installation’s order', async () => {
    await waitForTips(C1, 3);
    await waitForTips(C2, 3);
    const order = cycleOrder(ids, seed(), 0);
    for (const ch of [C1, C2]) {
      const got = tipsIn(bot().fake, ch);
      expect(new Set(got).size, `${ch}: ${got.join(' ')}`).toBe(got.length);
      expect(got).toEqual(order.slice(0, got.length));
    }
    // one per tick per channel: every slot posted once to each channel, slots a second apart
    const bothGot = (): string[] => {
      const l = postedLog();
      const two = new Set(l.filter((x) => x.channel === C2).map((x) => x.slot));
      return l.filter((x) => x.channel === C1 && two.has(x.slot)).map((x) => x.slot);
    };
    await bot().fake.waitFor(() => bothGot().length >= 3, 8000, "three ticks logged as 'tip posted' in both channels");
    const log = postedLog();
    for (const ch of [C1, C2]) {
      const slots = log.filter((l) => l.channel === ch).map((l) => Date.parse(l.slot));
      expect(new Set(slots).size).toBe(slots.length);
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(1000);
      expect(slots.every((s) => s % 1000 === 0)).toBe(true);
    }
    const s1 = log.filter((l) => l.channel === C1).map((l) => l.slot);
    const s2 = log.filter((l) => l.channel === C2).map((l) => l.slot);
    const done = s1.filter((s) => s2.includes(s));
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(s1.slice(0, done.length)).toEqual(done); // the same ticks reached both channels
    // posted as a bot message, with no mention and no unfurl
    for (const c of bot().fake.calls.filter((x) => x.method === 'chat.postMessage')) {
      expect(JSON.stringify(c.args)).not.toMatch(/<[!@#]|@(here|channel|everyone)\b/i);
      expect(String(c.args.unfurl_links)).toBe('false');
    }
    expect(bot().fake.blockViolations).toEqual([]);
  });

  it('`/aws tip` shows a tip card now and does not change what the channels get next', async () => {
    const before = tipsIn(bot().fake, C1).length;
    const shown = await slash('tip', C1);
    expect(shown).toMatch(/^:bulb: \*Tip\*/);
    expect(core.kb.tips.some((t) => shown.includes(escapeMrkdwn(t.text)))).toBe(true);
    await slash('tip', C1);
    await waitForTips(C1, before + 2);
    const order = cycleOrder(ids, seed(), 0);
    const got = tipsIn(bot().fake, C1);
    expect(got).toEqual(order.slice(0, got.length));
  });

  it('`/aws tips on` in a third channel adds it (its tips start arriving, from its own start); `/aws tips off` removes it', async () => {
    expect(await slash('tips', C3)).toMatch(/^This channel gets no daily tip\. `\/aws tips on` adds it/);
    expect(await slash('tips on', C3)).toMatch(/^:bulb: This channel will get a best-practice tip on the schedule `\* \* \* \* \* \*` \(UTC\)/);
    await waitForTips(C3, 2);
    const order = cycleOrder(ids, seed(), 0);
    expect(tipsIn(bot().fake, C3)).toEqual(order.slice(0, tipsIn(bot().fake, C3).length));
    expect(await slash('tips', C3)).toMatch(/^:bulb: This channel gets a best-practice tip/);

    expect(await slash('tips off', C3)).toBe('No more tips in this channel. `/aws tips on` brings them back.');
    // A tick already under way may still reach C3; the one after cannot. Then nothing more comes.
    const c1 = tipsIn(bot().fake, C1).length;
    await waitForTips(C1, c1 + 2);
    const c3 = tipsIn(bot().fake, C3).length;
    await waitForTips(C1, c1 + 3);
    expect(tipsIn(bot().fake, C3)).toHaveLength(c3);
    expect(await slash('tips', C3)).toMatch(/^This channel gets no daily tip/);

    expect(await slash('tips on', C4)).toMatch(/will get a best-practice tip/);
    await waitForTips(C4, 1);
  });

  it('TIP_CHANNEL channels stay on: `/aws tips off` there is refused politely', async () => {
    expect(await slash('tips off', C1)).toMatch(/configuration names it \(TIP_CHANNEL\)/);
    expect(await slash('tips', C1)).toMatch(/^:bulb: This channel gets a best-practice tip/);
    const n = tipsIn(bot().fake, C1).length;
    await waitForTips(C1, n + 1);
  });

  it('App Home shows today’s tip', async () => {
    const user = 'U00000002';
    const day = dayNumber(Date.now(), 'UTC');
    await bot().fake.event({ type: 'app_home_opened', user, channel: 'D00000002', tab: 'home', event_ts: `${Math.floor(Date.now() / 1000)}.000100` });
    const publish = await bot().fake.waitForCall('views.publish', (c) => c.args.user_id === user && c.response.ok === true);
    const text = sectionTexts(publish.args.view.blocks).join('\n');
    expect(text).toMatch(/:bulb: \*Today's tip\*/);
    const todays = [day, dayNumber(Date.now(), 'UTC')].map((d) => core.kb.tips.find((t) => t.id === tipOfDay(ids, seed(), d))!);
    expect(todays.some((t) => text.includes(escapeMrkdwn(t.text)))).toBe(true);
  });

  it('after a restart on the same DATA_DIR: the opt-in is still there, the opt-out too, and positions continue without repeats', async () => {
    const errorsBefore = bot()
      .logs()
      .filter((l) => l.level >= 40);
    expect(errorsBefore).toEqual([]);
    await bot().stop();
    for (const ch of [C1, C2, C3, C4]) earlier.set(ch, tipsIn(bot().fake, ch));
    const s = seed();

    b = await startBot({ env: { ...env, DATA_DIR: dataDir } });
    const had = (ch: string) => earlier.get(ch)!.length;
    await waitForTips(C1, 2);
    await waitForTips(C2, 2);
    await waitForTips(C4, 2);
    expect(seed()).toBe(s);
    const order = cycleOrder(ids, s, 0);
    for (const ch of [C1, C2, C4]) {
      const all = allTipsIn(ch);
      expect(all.length).toBeGreaterThan(had(ch));
      expect(new Set(all).size, `${ch}: no repeat across the restart`).toBe(all.length);
      expect(all, ch).toEqual(order.slice(0, all.length)); // continued exactly where it left off
    }
    expect(tipsIn(bot().fake, C3)).toEqual([]);
    expect(await slash('tips', C4)).toMatch(/^:bulb: This channel gets a best-practice tip .*`\/aws tips off` stops them\.$/);
    expect(await slash('tips', C3)).toMatch(/^This channel gets no daily tip/);
    expect(
      bot()
        .logs()
        .filter((l) => l.level >= 40),
    ).toEqual([]);
    expect(bot().fake.blockViolations).toEqual([]);
  });
});
