/**
 * The burst section of `npm run bench` (issue 12, "Performance aims"): 2,000 mixed events (mentions, DMs, `/aws`
 * commands, "open card" clicks) sent through the fake Slack (test/support/fake-slack.ts) with at most 50 unacked
 * at a time, to the compiled bot as production starts it (bench/slack.ts `botCommand`), once with the embedded
 * store (SQLite in DATA_DIR) and once with Redis (a redis-server of the system's, on 127.0.0.1, started as
 * test/support/redis.ts does; skipped with a note when none is installed).
 *
 * Measured: each event's envelope → ack; for mentions, DMs and clicks, envelope → the reply's chat.postMessage at
 * the fake Slack (every mention and DM must get exactly one); the bot's RSS `settleMs` after it connected, before
 * the burst, and `settleMs` after the last reply. Aims: mention reply p99 ≤ 250 ms with each store, RSS after the
 * burst within 1.3× of before.
 *
 * `npx tsx bench/burst.ts` runs this section alone. It builds dist/ first when it is stale.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEntryActionId } from '../src/ids.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { redisAvailable, startRedis } from '../test/support/redis.js';
import { percentiles, runIfMain, type Aim, type Percentiles, type SectionResult } from './run.js';
import { botCommand, ensureBuilt, launch, rssOf, shutdown, sleep, texts } from './slack.js';

/** Events in one burst, and how many may be unacked at once. */
const events = 2000;
const window = 50;
/** The mix: shares of the burst. */
const mix = { mention: 0.4, dm: 0.2, slash: 0.25, click: 0.15 } as const;
type Kind = keyof typeof mix;
/** How long after connecting, and after the last reply, the RSS is read. */
const settleMs = 2000;
/** The RSS aim (after / before), and how long after the last reply the RSS is watched for its return. */
const rssAim = 1.3;
const returnMs = 45_000;
/** How long the replies may take to arrive after the last ack before the run counts them missing. */
const replyTimeoutMs = 60_000;
/** The entries "open card" clicks open. */
const clickIds = ['sqs', 'lambda', 's3', 'dynamodb', 'sns', 'ecs', 'eks', 'iam', 'kinesis', 'step-functions'];
const channel = 'C00000001';

/** A small deterministic PRNG (mulberry32), so every run sends the same events in the same order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kinds of the burst's events, in the order sent: the mix, shuffled. */
function plan(): Kind[] {
  const kinds = (Object.keys(mix) as Kind[]).flatMap((k) => Array.from({ length: Math.round(mix[k] * events) }, () => k));
  const rnd = random(12);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

export interface BurstFigures {
  store: string;
  /** Envelope → ack, per kind (ms). */
  acks: Record<Kind, Percentiles>;
  /** Envelope → the reply at the fake Slack, for the kinds answered by a post (ms). */
  replies: Partial<Record<Kind, Percentiles>>;
  /** Replies missing and replies beyond the first, over mentions, DMs and clicks. */
  missing: number;
  extra: number;
  /** Wall time from the first envelope to the last reply (ms). */
  wallMs: number;
  /** The bot's CPU time (user + system, every thread) from the first envelope to the last reply (ms). */
  cpuMs: number;
  rssBefore: number;
  rssAtEnd: number;
  rssAfter: number;
  /** The RSS once back within the aim (or at `returnMs`), and how long after the last reply that was. */
  rssReturned: number;
  backMs?: number;
}

/** One burst against one bot; `fake` is the bot's own fake Slack. */
async function sendBurst(
  fake: FakeSlack,
): Promise<Omit<BurstFigures, 'store' | 'rssBefore' | 'rssAtEnd' | 'rssAfter' | 'rssReturned' | 'backMs' | 'cpuMs'>> {
  const kinds = plan();
  const acks: Record<Kind, number[]> = { mention: [], dm: [], slash: [], click: [] };
  /** Where each reply is awaited: `<channel> <thread ts or ''>` → when its event was sent (Date.now, as the fake's `at`). */
  const awaited = new Map<string, { kind: Kind; sentAt: number }>();
  const started = Date.now();
  let next = 0;
  const one = async (i: number): Promise<void> => {
    const kind = kinds[i]!;
    const text = texts[i % texts.length]!;
    const sentAt = Date.now();
    const t0 = performance.now();
    switch (kind) {
      case 'mention': {
        const { ts } = await fake.mention({ text, channel });
        awaited.set(`${channel} ${ts}`, { kind, sentAt });
        break;
      }
      case 'dm': {
        // One person per DM, so each DM channel holds one question and its reply.
        const { channel: dm } = await fake.dm({ text, user: `U9${String(i).padStart(8, '0')}` });
        awaited.set(`${dm} `, { kind, sentAt });
        break;
      }
      case 'slash': {
        const { ack } = await fake.slashCommand({ text });
        if (!ack?.blocks) throw new Error(`burst: /aws ${text} was acked without a card`);
        break;
      }
      case 'click': {
        // A card the bot posted in the channel, with an "open card" button: the card it opens goes in its thread.
        const id = clickIds[i % clickIds.length]!;
        const ts = `${1_700_000_000 + i}.000100`;
        const button = { type: 'button', action_id: openEntryActionId(id), value: id, text: { type: 'plain_text', text: id } };
        const message = {
          type: 'message',
          ts,
          text: 'a card',
          bot_id: 'BBOT0001',
          user: 'UBOT0001',
          blocks: [{ type: 'actions', block_id: 'b', elements: [button] }],
        };
        awaited.set(`${channel} ${ts}`, { kind, sentAt });
        await fake.blockAction({ actionId: openEntryActionId(id), channel, message });
        break;
      }
    }
    acks[kind].push(performance.now() - t0);
  };
  // `window` senders, each with one envelope unacked at a time.
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < kinds.length) await one(next++);
    }),
  );
  const postsFor = (): Map<string, number[]> => {
    const posts = new Map<string, number[]>();
    for (const c of fake.calls) {
      if (c.method !== 'chat.postMessage' || c.status !== 200) continue;
      const key = `${String(c.args.channel)} ${typeof c.args.thread_ts === 'string' ? c.args.thread_ts : ''}`;
      if (awaited.has(key)) posts.set(key, [...(posts.get(key) ?? []), c.at]);
    }
    return posts;
  };
  const deadline = Date.now() + replyTimeoutMs;
  let posts = postsFor();
  while (posts.size < awaited.size && Date.now() < deadline) {
    await sleep(20);
    posts = postsFor();
  }
  const wallMs = Math.max(...[...posts.values()].map((at) => at[0]!)) - started;
  const replies: Partial<Record<Kind, number[]>> = {};
  let missing = 0;
  let extra = 0;
  for (const [key, { kind, sentAt }] of awaited) {
    const at = posts.get(key);
    if (!at) {
      missing++;
      continue;
    }
    extra += at.length - 1;
    (replies[kind] ??= []).push(at[0]! - sentAt);
  }
  return {
    acks: { mention: percentiles(acks.mention), dm: percentiles(acks.dm), slash: percentiles(acks.slash), click: percentiles(acks.click) },
    replies: Object.fromEntries(Object.entries(replies).map(([k, v]) => [k, percentiles(v)])),
    missing,
    extra,
    wallMs,
  };
}

/**
 * A process's CPU time so far (user + system, every thread), in ms: /proc/<pid>/stat's utime and stime, in clock
 * ticks (100 a second on Linux); NaN elsewhere. The burst's CPU says what a change costs even when the machine is
 * shared and the latencies are noisy.
 */
function cpuOf(pid: number): number {
  if (process.platform !== 'linux') return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The compiled bot, connected, with `env` (a store), through one burst. */
async function burstOn(store: string, dataDir: string, env: Record<string, string>): Promise<BurstFigures> {
  const bot = await launch('bot', botCommand, dataDir, env);
  try {
    await sleep(settleMs);
    const rssBefore = rssOf(bot.child.pid!);
    const cpuBefore = cpuOf(bot.child.pid!);
    const figures = await sendBurst(bot.fake);
    const cpuMs = cpuOf(bot.child.pid!) - cpuBefore;
    const rssAtEnd = rssOf(bot.child.pid!);
    await sleep(settleMs);
    const rssAfter = rssOf(bot.child.pid!);
    // V8 keeps the heap it grew for the burst until its memory reducer runs, some seconds into idleness: how long
    // until the RSS is back within the aim (at most `returnMs`), which says the burst left nothing behind.
    let back: number | undefined;
    for (let waited = settleMs; waited <= returnMs; waited += 1000) {
      const rss = rssOf(bot.child.pid!);
      if (rss <= rssBefore * rssAim) {
        back = waited;
        break;
      }
      await sleep(1000);
    }
    const rssReturned = rssOf(bot.child.pid!);
    if (bot.child.exitCode !== null) throw new Error(`the bot exited during the burst: ${bot.output()}`);
    return { store, ...figures, cpuMs, rssBefore, rssAtEnd, rssAfter, rssReturned, ...(back === undefined ? {} : { backMs: back }) };
  } finally {
    await shutdown(bot);
  }
}

const fmt = (v: number): string => (Number.isNaN(v) ? '   —  ' : `${v.toFixed(1).padStart(6)}`);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function lines(f: BurstFigures): string[] {
  const row = (what: string, p: Percentiles | undefined): string =>
    `    ${what.padEnd(16)} n ${String(p?.n ?? 0).padStart(4)}  p50 ${fmt(p?.p50 ?? NaN)} ms  p90 ${fmt(p?.p90 ?? NaN)} ms  p99 ${fmt(p?.p99 ?? NaN)} ms  max ${fmt(p?.max ?? NaN)} ms`;
  const rssRatio = f.rssAfter / f.rssBefore;
  return [
    `  ${f.store}: ${events} events in ${(f.wallMs / 1000).toFixed(1)} s (first envelope → last reply); ${f.missing} replies missing, ${f.extra} extra`,
    `    the bot's CPU over the burst ${(f.cpuMs / 1000).toFixed(2)} s (${(f.cpuMs / events).toFixed(2)} ms an event, every thread)`,
    row('mention → reply', f.replies.mention),
    row('DM → reply', f.replies.dm),
    row('click → reply', f.replies.click),
    row('/aws → ack', f.acks.slash),
    row('mention → ack', f.acks.mention),
    `    RSS before ${mb(f.rssBefore)}, at the last reply ${mb(f.rssAtEnd)}, ${settleMs / 1000} s later ${mb(f.rssAfter)}: ${rssRatio.toFixed(2)}× (aim ≤ ${rssAim}×: ${rssRatio <= rssAim ? 'met' : 'NOT MET'})`,
    f.backMs === undefined
      ? `    RSS not back within ${rssAim}× of before ${returnMs / 1000} s after the last reply: ${mb(f.rssReturned)}`
      : `    RSS back within ${rssAim}× of before ${(f.backMs / 1000).toFixed(0)} s after the last reply (V8's memory reducer): ${mb(f.rssReturned)}, ${(f.rssReturned / f.rssBefore).toFixed(2)}×`,
    `    mention reply p99 ${(f.replies.mention?.p99 ?? NaN).toFixed(1)} ms (aim ≤ 250 ms: ${(f.replies.mention?.p99 ?? Infinity) <= 250 ? 'met' : 'NOT MET'})`,
  ];
}

function aims(f: BurstFigures): Aim[] {
  return [
    // A missing reply is a failed burst: its p99 counts as infinite.
    {
      name: `burst (${f.store}) mention reply p99`,
      value: f.missing || f.extra ? Infinity : (f.replies.mention?.p99 ?? Infinity),
      max: 250,
      unit: 'ms',
    },
    { name: `burst (${f.store}) RSS ${settleMs / 1000} s after / before`, value: f.rssAfter / f.rssBefore, max: rssAim, unit: '×' },
  ];
}

export async function burstBench(): Promise<SectionResult> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-guide-burst-'));
  const out: SectionResult = {
    lines: [
      `bot = node ${botCommand.join(' ')}; ${events} events (${(Object.keys(mix) as Kind[]).map((k) => `${Math.round(mix[k] * 100)}% ${k}s`).join(', ')}), at most ${window} unacked, through the fake Slack`,
    ],
    aims: [],
  };
  try {
    const sqlite = await burstOn('SQLite', join(dataDir, 'sqlite'), {});
    out.lines.push(...lines(sqlite));
    out.aims!.push(...aims(sqlite));
    if (!redisAvailable) {
      out.lines.push('  Redis: skipped, no redis-server on the PATH and no REDIS_URL (Debian: apt-get install redis-server)');
      return out;
    }
    const redis = await startRedis({ own: true });
    try {
      const figures = await burstOn('Redis', join(dataDir, 'redis'), { STATE_URL: redis.url });
      out.lines.push(...lines(figures));
      out.aims!.push(...aims(figures));
    } finally {
      await redis.close();
    }
    return out;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, burstBench);
