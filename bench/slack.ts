/**
 * The Slack section of `npm run bench` (issue 3, "Performance"): from a slash-command envelope sent by the fake
 * Slack to its ack frame, p50 and p99 over 1,000 commands, for the real bot (startSlack, in-process) and, in the
 * same run, for a minimal Bolt app that acks /aws with a fixed message, each against its own fake Slack on
 * 127.0.0.1; the ratio is the bot's own cost over Bolt's. Then the memory of each after start, each in its own
 * process (bench/slack-child.ts).
 *
 * Aims: p50 within 1.5× of the minimal app's, p99 under 50 ms, memory (RSS) within 1.3× of the minimal app's.
 *
 * `npx tsx bench/slack.ts` runs this section alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, LogLevel } from '@slack/bolt';
import { loadConfig } from '../src/config.js';
import { loadCore } from '../src/core.js';
import { createLogger } from '../src/logger.js';
import { startSlack } from '../src/slack/start.js';
import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack.js';
import { percentiles, type Aim, type Percentiles, type SectionResult } from './run.js';

/** Commands measured per app, after `warmup` unmeasured ones. */
const commands = 1000;
const warmup = 100;
/** Measured in rounds that alternate between the two apps, so that drift (GC, CPU frequency) hits both alike. */
const rounds = 10;

/** What the bot is asked: every kind of reply (cards, comparison, help, tip, no answer). Not the eval set. */
const texts = [
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

interface Side {
  name: string;
  fake: FakeSlack;
  times: number[];
  stop(): Promise<void>;
}

async function startBotSide(dataDir: string): Promise<Side> {
  const fake = await startFakeSlack();
  const config = loadConfig({ SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_API_URL: fake.apiUrl, DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  // Production's log level and formatting; the lines go nowhere.
  const log = createLogger({ level: config.logLevel, destination: { write: () => undefined } });
  const slack = await startSlack(config, loadCore(), log);
  return { name: 'bot', fake, times: [], stop: async () => (await slack.stop(), await fake.close()) };
}

async function startMinimalSide(): Promise<Side> {
  const fake = await startFakeSlack();
  const app = new App({ token: botToken, appToken, socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
  app.command('/aws', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'fixed' }));
  await app.start();
  return { name: 'minimal', fake, times: [], stop: async () => (await app.stop(), await fake.close()) };
}

/**
 * For reading the figures, not an aim: the minimal app acking with the bot's own answer and card for the text
 * (search, render and a card-sized payload), without the bot's middleware, listeners, logging and observers.
 */
async function startAnswerSide(): Promise<Side> {
  const fake = await startFakeSlack();
  const core = loadCore();
  const app = new App({ token: botToken, appToken, socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
  app.command('/aws', async ({ ack, command }) => ack({ response_type: 'ephemeral', ...core.render.answer(core.answer.ask(command.text), { share: true }) }));
  await app.start();
  return { name: 'minimal+answer', fake, times: [], stop: async () => (await app.stop(), await fake.close()) };
}

/** Sends `n` commands one after another; returns each envelope → ack time in ms. */
async function run(side: Side, n: number, offset: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const text = texts[(offset + i) % texts.length]!;
    const t0 = performance.now();
    const { ack } = await side.fake.slashCommand({ text });
    out.push(performance.now() - t0);
    if (!ack || (ack.text === undefined && ack.blocks === undefined)) throw new Error(`${side.name}: empty ack for ${text}`);
  }
  return out;
}

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gc: boolean;
}

/** Starts one side in its own process, waits for `MEMORY …`, stops it. */
async function childMemory(mode: 'bot' | 'minimal', dataDir: string): Promise<Memory> {
  const fake = await startFakeSlack();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/slack-child.ts', mode], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      SLACK_BOT_TOKEN: botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!/^MEMORY /m.test(out)) {
      if (child.exitCode !== null) throw new Error(`${mode} child exited (${child.exitCode}): ${err.slice(0, 500)}`);
      if (Date.now() > deadline) throw new Error(`${mode} child reported no memory within 60 s: ${err.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (fake.connections < 1) throw new Error(`${mode} child reported memory before connecting`);
    const line = out.split('\n').find((l) => l.startsWith('MEMORY '))!;
    return JSON.parse(line.slice('MEMORY '.length)) as Memory;
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    await fake.close();
  }
}

const fmt = (v: number): string => `${v.toFixed(2)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT MET');

export async function slackBench(): Promise<SectionResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-guide-bench-'));
  const lines: string[] = [];
  try {
    // (a) Latency: both apps connected at once, each to its own fake Slack.
    const bot = await startBotSide(join(dataDir, 'latency'));
    const minimal = await startMinimalSide();
    const answerSide = await startAnswerSide();
    let bl: Percentiles;
    let ml: Percentiles;
    let al: Percentiles;
    try {
      for (const side of [bot, minimal, answerSide]) await run(side, warmup, 0);
      const per = commands / rounds;
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [bot, minimal, answerSide] : [answerSide, minimal, bot];
        for (const side of order) side.times.push(...(await run(side, per, r * per)));
      }
      bl = percentiles(bot.times);
      ml = percentiles(minimal.times);
      al = percentiles(answerSide.times);
    } finally {
      await bot.stop();
      await minimal.stop();
      await answerSide.stop();
    }

    // (b) Memory after start, each app in its own process.
    const botMem = await childMemory('bot', join(dataDir, 'memory'));
    const minMem = await childMemory('minimal', join(dataDir, 'memory-minimal'));

    const p50Ratio = bl.p50 / ml.p50;
    const rssRatio = botMem.rss / minMem.rss;
    const line = (name: string, l: Percentiles): string =>
      `${name.padEnd(14)} p50 ${fmt(l.p50)}  p90 ${fmt(l.p90)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)}  mean ${fmt(l.mean)}`;
    lines.push(
      `slash command envelope → ack frame through the fake Slack (127.0.0.1), ${commands} commands each after ${warmup} warm-up, ${rounds} alternating rounds`,
      `bot = startSlack (listeners, middleware, answer + render, logging at info); minimal = Bolt App acking /aws with a fixed message`,
      line('bot', bl),
      line('minimal', ml),
      line('minimal+answer', al),
      `  (minimal+answer: the minimal app acking with the bot's own answer and card; how much of the gap is the answer itself)`,
      `ratio    p50 ${x(bl.p50, ml.p50)}  p99 ${x(bl.p99, ml.p99)}  (bot's own cost at p50: ${fmt(bl.p50 - ml.p50)})`,
      `memory after start (own process, after GC${botMem.gc && minMem.gc ? '' : ' — gc unavailable'}):`,
      `  bot      rss ${mb(botMem.rss)}  heap used ${mb(botMem.heapUsed)}  external ${mb(botMem.external)}`,
      `  minimal  rss ${mb(minMem.rss)}  heap used ${mb(minMem.heapUsed)}  external ${mb(minMem.external)}`,
      `  ratio    rss ${x(botMem.rss, minMem.rss)}  heap used ${x(botMem.heapUsed, minMem.heapUsed)}`,
      `aims: p50 within 1.5× of minimal: ${verdict(p50Ratio <= 1.5)}; p99 < 50 ms: ${verdict(bl.p99 < 50)}; memory within 1.3×: ${verdict(rssRatio <= 1.3)}`,
    );
    const aims: Aim[] = [
      { name: 'slack ack p50, bot / minimal Bolt', value: p50Ratio, max: 1.5, unit: '×' },
      { name: 'slack ack p99 (bot)', value: bl.p99, max: 50, unit: 'ms' },
      { name: 'slack memory (RSS), bot / minimal Bolt', value: rssRatio, max: 1.3, unit: '×' },
    ];
    return { lines, aims };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  slackBench().then(
    (r) => {
      for (const l of r.lines) console.log(l);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
