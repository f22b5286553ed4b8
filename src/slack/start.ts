/**
 * Starting the Slack app: build the deps, register every listener, connect, and shut down cleanly on
 * SIGINT/SIGTERM (stop taking work, finish replies in flight, disconnect, exit 0).
 */
import type { Config } from '../config.js';
import type { Core } from '../core.js';
import type { Logger } from '../logger.js';
import { FileStore } from '../state/file.js';
import type { StateStore } from '../state/store.js';
import { Schedule, Scheduler } from '../tips/schedule.js';
import { TipService } from '../tips/service.js';
import { createApp, gate, Inflight } from './app.js';
import type { EventLedger, SlackDeps } from './deps.js';
import { register as registerActions } from './listeners/actions/index.js';
import { register as registerCommands } from './listeners/commands/index.js';
import { register as registerEvents } from './listeners/events/index.js';

export interface RunningSlack {
  /** Resolves once the app has stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/** Events remembered for an hour in the state store: a redelivery is answered once, by one replica. */
export function storeEventLedger(store: StateStore): EventLedger {
  return { claim: (eventId) => store.claim(`event:${eventId}`, 60 * 60 * 1000) };
}

export async function startSlack(config: Config, core: Core, log: Logger): Promise<RunningSlack> {
  if (!config.slack) throw new Error('startSlack: no Slack tokens');
  const slackLog = log.child({ component: 'slack' });
  const store: StateStore = new FileStore({ dir: config.dataDir, log: log.child({ component: 'state' }) });
  const events = storeEventLedger(store);
  const app = createApp({ ...config.slack, log: slackLog });
  const schedule = new Schedule(config.tips.schedule, config.tips.timezone);
  const tips = new TipService({
    kb: core.kb,
    render: core.render,
    store,
    log: log.child({ component: 'tips' }),
    schedule,
    configuredChannels: config.tips.channels,
    post: async (channel, message) => {
      await app.client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
    },
  });
  await tips.init();
  const deps: SlackDeps = { core, log: slackLog, events, tips, observers: [], feedback: false };
  const inflight = new Inflight();
  app.use(gate(inflight, events, slackLog));
  registerCommands(app, deps, { tips: (action, channel) => tips.command(action, channel) });
  registerEvents(app, deps);
  registerActions(app, deps);
  app.error(async (err) => {
    slackLog.error({ err }, 'unhandled error in a listener');
  });

  await app.start();
  slackLog.info({ entries: core.kb.entries.length }, 'connected to Slack (Socket Mode)');
  const scheduler = new Scheduler(schedule, async (slot) => void (await tips.fire(slot)), undefined, (err) =>
    log.error({ err }, 'tip slot failed'),
  );
  scheduler.start();
  log.info({ schedule: schedule.pattern, timezone: schedule.timezone, channels: await tips.channels() }, 'tip schedule started');

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      inflight.closing = true;
      slackLog.info({ inflight: inflight.size }, 'shutting down: finishing replies in flight');
      await scheduler.stop();
      await inflight.drain(10_000);
      await app.stop();
      await store.close();
      slackLog.info('disconnected');
      resolveStopped();
    })());
  return { stopped, stop };
}
