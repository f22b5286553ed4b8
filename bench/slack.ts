/**
 * The Slack section of `npm run bench`: the bot as production runs it (compiled, `node dist/main.js` with the start
 * command's two heap flags, `botCommand`; logging JSON at info to a pipe) beside a bare Bolt app in Socket Mode acking `/aws` with the same card (bench/bare-bolt.mjs,
 * plain `node`), each its own process against its own fake Slack on 127.0.0.1, in one run:
 *
 * - spawn → connected: from spawn() to the Socket Mode connection being open at the fake Slack (median of `starts`
 *   starts of each, alternating);
 * - RSS after start: the process's resident memory (/proc/<pid>/status) `settleMs` after it connected, before any
 *   traffic (median of the same starts);
 * - settled: the RSS of one more start of each, `settledMs` after it connected, left alone until V8's memory
 *   reducer has had its turn (it gives back the young generation and the pages a start-up left empty): printed
 *   beside the aim's figure, not an aim of its own;
 * - ack: slash-command envelope → ack frame, `commands` of each after `warmup`, in alternating rounds.
 *
 * The bare app acks with the bot's own card for each text (recorded from the bot's acks), so the two acks are the
 * same size. Aims (issue 12): RSS within 1.25× of the bare app's, spawn → connected within 2×, ack p50 within 1.3×;
 * and (issue 3) the bot's ack p99 under 50 ms. Then where the bot's start-up goes, phase by phase
 * (bench/startup-phases.mjs).
 *
 * `npx tsx bench/slack.ts` runs this section alone. It builds dist/ first when it is stale (scripts/build.mjs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack.js';
import { median, percentiles, runIfMain, type Aim, type Percentiles, type SectionResult } from './run.js';

/** Starts of each app for the start-up figures (medians). */
const starts = 5;
/** How long after connecting the RSS is read. */
const settleMs = 2000;
/**
 * How long after connecting the settled RSS is read: V8's memory reducer runs about 8 s after a full collection
 * (measured: 10–12 s after connecting on a quiet machine, up to 20 s on a busy one).
 */
const settledMs = 20_000;
/** Commands measured per app, after `warmup` unmeasured ones, in `rounds` alternating rounds. */
const commands = 1000;
const warmup = 100;
const rounds = 10;

/** What is asked: every kind of reply (cards, comparison, help, tip, no answer). Not the eval set. */
export const texts = [
  'sqs',
  'help',
  'tip',
  'ecs vs eks',
  'how do I cache DB queries?',
  'lamda',
  'databases',
  'serverless api',
  'security best practices',
  'purple elephant banjo',
  'difference between sns and sqs',
  's3',
  'where do I keep secrets',
  'dynamo',
];

const botToken = 'xoxb-bench-token';
const appToken = 'xapp-bench-token';
const root = fileURLToPath(new URL('..', import.meta.url));

/** How production starts the bot (README, "Running in production"), and how the bare app is started. */
export const botCommand = ['--max-semi-space-size=8', '--heap-growing-percent=20', 'dist/main.js'];
const bareCommand = (cardsFile: string) => ['bench/bare-bolt.mjs', cardsFile];

export interface Running {
  name: string;
  fake: FakeSlack;
  child: ChildProcess;
  /** spawn() → the connection open at the fake Slack, ms. */
  connectMs: number;
  exited: Promise<number | null>;
  output(): string;
}

export function rssOf(pid: number): number {
  if (process.platform === 'linux') {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) * 1024;
  }
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(r.stdout.trim()) * 1024;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns one app against a fake Slack of its own and waits until its Socket Mode connection is open; `env` adds
 * to (or overrides) its environment.
 */
export async function launch(name: string, args: string[], dataDir: string, env: Record<string, string> = {}): Promise<Running> {
  // Keep-alive as Node's HTTP servers default to: with the fake's own 1 s, every reply would open a new connection.
  const fake = await startFakeSlack({ keepAliveMs: 5000 });
  let out = '';
  const t0 = performance.now();
  // BENCH_BOT_FLAGS: node flags for the bot only, to measure one before it goes into the start command
  // (`BENCH_BOT_FLAGS=--max-semi-space-size=4 npm run bench`).
  // They go after the start command's own flags (the last of a V8 flag given twice is the one that holds).
  const flags = name === 'bot' ? (process.env.BENCH_BOT_FLAGS ?? '').split(' ').filter(Boolean) : [];
  const script = args.findIndex((a) => !a.startsWith('--'));
  const child = spawn(process.execPath, [...args.slice(0, script), ...flags, ...args.slice(script)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      SLACK_BOT_TOKEN: botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      DOTENV_CONFIG_PATH: join(dataDir, 'no-such.env'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The bot's JSON lines go to a pipe, as under a process manager; only the tail is kept, for errors.
  const keep = (d: Buffer): void => void (out = (out + d.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = t0 + 60_000;
  while (fake.connections === 0) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before connecting: ${out}`);
    if (performance.now() > deadline) throw new Error(`${name} did not connect within 60 s: ${out}`);
    await sleep(1);
  }
  return { name, fake, child, connectMs: performance.now() - t0, exited, output: () => out };
}

export async function shutdown(r: Running): Promise<void> {
  r.child.kill('SIGTERM');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
  await r.exited;
  clearTimeout(timer);
  await r.fake.close();
}

/** Sends `n` commands one after another; returns each envelope → ack time in ms. */
async function acks(r: Running, n: number, offset: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const text = texts[(offset + i) % texts.length]!;
    const t0 = performance.now();
    const { ack } = await r.fake.slashCommand({ text });
    out.push(performance.now() - t0);
    if (!ack || (ack.text === undefined && ack.blocks === undefined)) throw new Error(`${r.name}: empty ack for ${text}`);
  }
  return out;
}

/** The bot's own ack for every text, for the bare app to ack with. */
async function recordCards(bot: Running): Promise<Record<string, unknown>> {
  const cards: Record<string, unknown> = {};
  for (const text of texts) cards[text] = (await bot.fake.slashCommand({ text })).ack;
  cards[''] = cards.help;
  return cards;
}

interface StartFigures {
  connectMs: number;
  rss: number;
}

async function measureStart(name: string, args: string[], dataDir: string): Promise<StartFigures & { running: Running }> {
  const running = await launch(name, args, dataDir);
  await sleep(settleMs);
  return { connectMs: running.connectMs, rss: rssOf(running.child.pid!), running };
}

export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed: the compiled bot cannot be measured');
}

interface Phase {
  phase: string;
  ms: number;
  rss: number;
}

function startupPhases(): Phase[] {
  const r = spawnSync(process.execPath, ['bench/startup-phases.mjs'], { cwd: root, encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('PHASES '));
  if (!line) throw new Error(`bench/startup-phases.mjs failed: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(line.slice('PHASES '.length)) as Phase[];
}

const fmt = (v: number): string => `${v.toFixed(2)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const verdict = (v: number, max: number): string => `${v.toFixed(2)}× (aim ≤ ${max}×: ${v <= max ? 'met' : 'NOT MET'})`;

export async function slackBench(): Promise<SectionResult> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-guide-bench-'));
  const lines: string[] = [];
  const running: Running[] = [];
  try {
    // (a) Start-up, alternating. The first bot start also records the cards the bare app acks with.
    const cardsFile = join(dataDir, 'cards.json');
    const bot: StartFigures[] = [];
    const bare: StartFigures[] = [];
    for (let i = 0; i < starts; i++) {
      const b = await measureStart('bot', botCommand, join(dataDir, `bot-${i}`));
      bot.push(b);
      if (i === 0) writeFileSync(cardsFile, JSON.stringify(await recordCards(b.running)));
      if (i < starts - 1) await shutdown(b.running);
      else running.push(b.running);
      const m = await measureStart('bare', bareCommand(cardsFile), join(dataDir, `bare-${i}`));
      bare.push(m);
      if (i < starts - 1) await shutdown(m.running);
      else running.push(m.running);
    }
    const [botRun, bareRun] = running as [Running, Running];
    const botStart = { connectMs: median(bot.map((s) => s.connectMs)), rss: median(bot.map((s) => s.rss)) };
    const bareStart = { connectMs: median(bare.map((s) => s.connectMs)), rss: median(bare.map((s) => s.rss)) };

    // (b) Ack latency: the last bot and bare app, both still running, in alternating rounds.
    for (const r of [botRun, bareRun]) await acks(r, warmup, 0);
    const times: Record<string, number[]> = { bot: [], bare: [] };
    const per = commands / rounds;
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? [botRun, bareRun] : [bareRun, botRun]) times[side.name]!.push(...(await acks(side, per, r * per)));
    }
    const bl: Percentiles = percentiles(times.bot!);
    const ml: Percentiles = percentiles(times.bare!);

    // (c) Where the bot's start-up goes.
    const phases = startupPhases();

    // (d) Settled: one more start of each, side by side, left alone for `settledMs` (information beside the aim's
    // figure; the processes measured above are not kept waiting, so their figures are taken as before).
    const settling = [
      await launch('bot', botCommand, join(dataDir, 'bot-settled')),
      await launch('bare', bareCommand(cardsFile), join(dataDir, 'bare-settled')),
    ] as const;
    running.push(...settling);
    await sleep(settledMs);
    const settled = { bot: rssOf(settling[0].child.pid!), bare: rssOf(settling[1].child.pid!) };

    const connectRatio = botStart.connectMs / bareStart.connectMs;
    const rssRatio = botStart.rss / bareStart.rss;
    const p50Ratio = bl.p50 / ml.p50;
    const latency = (name: string, l: Percentiles): string =>
      `  ${name.padEnd(5)} p50 ${fmt(l.p50)}  p90 ${fmt(l.p90)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)}`;
    lines.push(
      `bot = ${['node', ...botCommand].join(' ')} (compiled; JSON logs at info to a pipe); bare = node bench/bare-bolt.mjs, a Bolt app acking /aws with the bot's own card`,
      `start-up, median of ${starts} starts each (alternating), RSS ${settleMs / 1000} s after connecting, before any traffic:`,
      `  bot   spawn → connected ${botStart.connectMs.toFixed(0).padStart(5)} ms   RSS ${mb(botStart.rss)}   (starts: ${bot.map((s) => s.connectMs.toFixed(0)).join(', ')} ms; ${bot.map((s) => mb(s.rss)).join(', ')})`,
      `  bare  spawn → connected ${bareStart.connectMs.toFixed(0).padStart(5)} ms   RSS ${mb(bareStart.rss)}   (starts: ${bare.map((s) => s.connectMs.toFixed(0)).join(', ')} ms; ${bare.map((s) => mb(s.rss)).join(', ')})`,
      `  ratio spawn → connected ${verdict(connectRatio, 2)}   RSS ${verdict(rssRatio, 1.25)}`,
      `  settled, ${settledMs / 1000} s after connecting (V8's memory reducer has had its turn; not an aim): bot ${mb(settled.bot)}, bare ${mb(settled.bare)}, ${x(settled.bot, settled.bare)}`,
      `slash command envelope → ack frame, ${commands} commands each after ${warmup} warm-up, ${rounds} alternating rounds:`,
      latency('bot', bl),
      latency('bare', ml),
      `  ratio p50 ${verdict(p50Ratio, 1.3)}   p99 ${x(bl.p99, ml.p99)}   (the bot's own cost at p50: ${fmt(bl.p50 - ml.p50)})`,
      `where the bot's start-up goes (one node process over dist/, the steps of src/main.ts and src/slack/start.ts before connecting):`,
      ...phases.map((p, i) => {
        const prev = phases[i - 1];
        const d = prev
          ? `+${(p.ms - prev.ms).toFixed(0).padStart(4)} ms  +${mb(p.rss - prev.rss).padStart(8)}`
          : `${p.ms.toFixed(0).padStart(5)} ms  ${mb(p.rss).padStart(9)}`;
        return `  ${p.phase.padEnd(54)} ${d}   (at ${p.ms.toFixed(0)} ms, ${mb(p.rss)})`;
      }),
    );
    const aims: Aim[] = [
      { name: 'slack RSS after start, bot / bare Bolt', value: rssRatio, max: 1.25, unit: '×' },
      { name: 'slack spawn → connected, bot / bare Bolt', value: connectRatio, max: 2, unit: '×' },
      { name: 'slack ack p50, bot / bare Bolt (same card)', value: p50Ratio, max: 1.3, unit: '×' },
      { name: 'slack ack p99 (bot)', value: bl.p99, max: 50, unit: 'ms' },
    ];
    return { lines, aims };
  } finally {
    for (const r of running) await shutdown(r).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, slackBench);
