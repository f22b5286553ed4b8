/**
 * Starting the Slack app: build the deps, register every listener, connect, and shut down cleanly on
 * SIGINT/SIGTERM (stop taking work, finish replies in flight, disconnect, exit 0).
 */
import type { Config } from '../config.js';
import type { Core } from '../core.js';
import type { Logger } from '../logger.js';
import { createApp, gate, Inflight, MemoryEventLedger } from './app.js';
import type { SlackDeps, TipSource } from './deps.js';
import { register as registerActions } from './listeners/actions/index.js';
import { register as registerCommands } from './listeners/commands/index.js';
import { register as registerEvents } from './listeners/events/index.js';

export interface RunningSlack {
  /** Resolves once the app has stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/** A tip source that picks at random; the daily-tip rotation replaces it. */
function randomTips(core: Core): TipSource {
  const pick = () => core.kb.tips[Math.floor(Math.random() * core.kb.tips.length)];
  return { onDemand: pick, today: pick };
}

export async function startSlack(config: Config, core: Core, log: Logger): Promise<RunningSlack> {
  if (!config.slack) throw new Error('startSlack: no Slack tokens');
  const slackLog = log.child({ component: 'slack' });
  const events = new MemoryEventLedger();
  const deps: SlackDeps = { core, log: slackLog, events, tips: randomTips(core), observers: [], feedback: false };
  const app = createApp({ ...config.slack, log: slackLog });
  const inflight = new Inflight();
  app.use(gate(inflight, events, slackLog));
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
  app.error(async (err) => {
    slackLog.error({ err }, 'unhandled error in a listener');
  });

  await app.start();
  slackLog.info({ entries: core.kb.entries.length }, 'connected to Slack (Socket Mode)');

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      inflight.closing = true;
      slackLog.info({ inflight: inflight.size }, 'shutting down: finishing replies in flight');
      await inflight.drain(10_000);
      await app.stop();
      slackLog.info('disconnected');
      resolveStopped();
    })());
  return { stopped, stop };
}
