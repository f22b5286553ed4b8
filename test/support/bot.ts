/**
 * The REAL bot, in-process, against a fake Slack: `loadConfig` → `createLogger` (lines captured) → `startSlack`,
 * exactly as `src/main.ts` wires them, with `SLACK_API_URL` pointing at the fake.
 *
 *   const b = await startBot();
 *   const { ack } = await b.fake.slashCommand({ text: 'sqs' });
 *   ...
 *   await b.stop();   // stops the bot first, then closes the fake
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import type { Core } from '../../src/core.js';
import { getCore } from './deps.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startSlack, type RunningSlack } from '../../src/slack/start.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from './fake-slack.js';
import { captureStream, parseLine, type LogLine } from './logs.js';

export { levels, type LogLine } from './logs.js';
export { getCore } from './deps.js';

export const botToken = 'xoxb-test-token';
export const appToken = 'xapp-test-token';

export interface BotOptions {
  /** Extra environment for loadConfig (overrides the defaults below). */
  env?: Record<string, string | undefined>;
  /** Options for the fake Slack. */
  fake?: FakeSlackOptions;
  /** The knowledge core; default: one loadCore() shared by every bot of the test file. */
  core?: Core;
  /** The clock of the conversations' expiries (a DM's subject, a thread's); default Date.now. */
  now?: () => number;
}

export interface StartedBot {
  fake: FakeSlack;
  bot: RunningSlack;
  config: Config;
  /** The root logger the bot was given (tests may log through it). */
  log: Logger;
  /** Every log line so far, parsed. */
  logs(): LogLine[];
  /** Every log line so far, as written. */
  rawLogs(): string[];
  /** Stops the bot (finishing replies in flight), then closes the fake and removes the data dir. */
  stop(): Promise<void>;
}

export async function startBot(opts: BotOptions = {}): Promise<StartedBot> {
  const fake = await startFakeSlack(opts.fake);
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-guide-e2e-'));
  const stream = captureStream();
  let bot: RunningSlack | undefined;
  try {
    const config = loadConfig({
      SLACK_BOT_TOKEN: botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ...opts.env,
    });
    const log = createLogger({ level: config.logLevel, destination: stream });
    bot = await startSlack(config, opts.core ?? getCore(), log, opts.now ? { now: opts.now } : {});
    const running = bot;
    let stopping: Promise<void> | undefined;
    return {
      fake,
      bot: running,
      config,
      log,
      rawLogs: () => [...stream.lines],
      logs: () => stream.lines.map(parseLine),
      stop: () =>
        (stopping ??= (async () => {
          try {
            await running.stop();
          } finally {
            await fake.close();
            rmSync(dataDir, { recursive: true, force: true });
          }
        })()),
    };
  } catch (err) {
    if (bot) await bot.stop().catch(() => undefined);
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
