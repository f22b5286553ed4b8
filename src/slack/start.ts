/**
 * Starting the Slack app, the composition root of everything Slack: the store, the deps (built whole), every
 * listener registered, the connection and its health; connect, answer the questions a stopped process left
 * pending, and shut down cleanly on SIGINT/SIGTERM (close the Socket Mode connection first, so Slack sends new
 * events elsewhere; finish replies in flight; close the store).
 */
import type { Config } from '../config.js';
import type { Core } from '../core.js';
import type { Logger } from '../logger.js';
import { botChecks, startHttpServer, type HttpServer } from '../http.js';
import type { Metrics } from '../metrics.js';
import { createStore } from '../state/index.js';
import type { StateStore } from '../state/store.js';
import { Schedule, Scheduler } from '../tips/schedule.js';
import { TipService } from '../tips/service.js';
import { createFeedback } from '../feedback/index.js';
import { createReplier, type AnswerObserver } from '../reply.js';
import { PendingRecovery, storeEventLedger } from '../state/events.js';
import { createApp, gate, Inflight, replyRetries, replyTimeoutMs } from './app.js';
import { createLeanFetch } from './fetch.js';
import { createPoster } from './post.js';
import { ConnectionWatch } from './connection.js';
import { Conversations } from './conversations.js';
import type { SlackDeps } from './deps.js';
import { threadGate } from './privacy.js';
import { registerListeners } from './listeners/index.js';
import { prefetchContext } from './listeners/events/message.js';
import { QuietCollector } from './heap.js';
import { createPrompts } from './listeners/assistant/prompts.js';

/** How long an assistant thread is remembered as titled (a question after that titles it again). */
const assistantTitleMs = 30 * 24 * 60 * 60 * 1000;

export interface RunningSlack {
  /** Resolves once the app has stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
  /** The port of /healthz and /metrics, when HTTP_PORT is set (HTTP_PORT=0 picks a free one). */
  httpPort?: number | undefined;
}

/** How long a shutdown waits for the replies in flight; what is still unanswered then stays pending. */
export const drainTimeoutMs = 10_000;
/** How long a shutdown waits for Slack to close the socket (the close handshake) before it goes on. */
const disconnectTimeoutMs = 3000;
/** A busy spell (this many envelopes) followed by a quiet second: one full collection gives its memory back. */
const quietCollection = { minEvents: 200, quietMs: 1000 };

/** Resolves with the promise, or after `ms`, whichever is first (false then). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One tip slot, counted; skipped while the store is unreachable (no claim is possible, so no post either). */
export function tipSlot(tips: TipService, store: StateStore, metrics: Metrics | undefined, log: Logger): (slot: Date) => Promise<void> {
  const skip = (slot: Date): void => {
    metrics?.tipSlotsSkipped.inc();
    log.debug({ slot: slot.toISOString() }, 'tip slot skipped: the state store is unreachable');
  };
  return async (slot) => {
    if (!store.healthy()) return skip(slot);
    try {
      const result = await tips.fire(slot);
      metrics?.tipSlot(result);
    } catch (err) {
      if (store.healthy()) throw err;
      skip(slot);
    }
  };
}

/** For tests: the clock the conversations' expiries are read with (a DM's subject holds 10 minutes). */
export interface StartSlackOptions {
  now?: () => number;
}

export async function startSlack(config: Config, core: Core, log: Logger, opts: StartSlackOptions = {}): Promise<RunningSlack> {
  if (!config.slack) throw new Error('startSlack: no Slack tokens');
  const slackLog = log.child({ component: 'slack' });
  const store: StateStore = await createStore(config, log.child({ component: 'state' }));
  // Metrics exist to be scraped: without HTTP_PORT there is no /metrics, and prom-client is not even loaded.
  const metrics = config.httpPort === undefined ? undefined : new (await import('../metrics.js')).Metrics(() => store.healthy());
  const events = storeEventLedger(store, slackLog);
  // The Web API's HTTP: kept-alive sockets under fetch's contract (src/slack/fetch.ts).
  const slackHttp = createLeanFetch();
  // After a burst, the heap it grew is given back once the bot is quiet (src/slack/heap.ts).
  const quiet = new QuietCollector(quietCollection);
  const inflight = new Inflight(slackHttp.fetch, () => quiet.note());
  // Threads the bot answered in and their subjects; channel messages outside them are dropped as they arrive.
  const conversations = new Conversations({ store, ...(opts.now ? { now: opts.now } : {}) });
  const { app, socket, disconnect } = createApp({ ...config.slack, log, fetch: inflight.fetch, admit: threadGate(conversations) });
  // The replies' chat.postMessage, as one JSON POST with the client's retries and errors (src/slack/post.ts).
  const post = createPoster({
    token: config.slack.botToken,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    fetch: inflight.fetch,
    retries: replyRetries,
    timeoutMs: replyTimeoutMs,
    log: slackLog,
    stopped: () => inflight.abandoned,
  });
  const schedule = new Schedule(config.tips.schedule, config.tips.timezone);
  const tips = new TipService({
    kb: core.kb,
    render: core.render,
    store,
    log: log.child({ component: 'tips' }),
    schedule,
    configuredChannels: config.tips.channels,
    post: async (channel, message) => {
      await post({ channel, ...message, unfurl_links: false, unfurl_media: false });
    },
  });
  await tips.init();
  const feedback = createFeedback({ config, store, kb: core.kb, log: log.child({ component: 'feedback' }) });
  const observers: AnswerObserver[] = [...(feedback.enabled ? [feedback.observer] : []), ...(metrics ? [metrics.observer] : [])];
  const deps: SlackDeps = {
    post: (_client, args) => post(args),
    replier: createReplier({
      answer: core.answer,
      render: core.render,
      log: slackLog,
      observers,
      feedback: feedback.enabled,
      named: (text) => core.searcher.servicesNamedIn(text),
      // The ack (or the post) first; the `answered` line and the observers after it.
      defer: (work) => void setImmediate(work),
    }),
    render: core.render,
    kb: core.kb,
    log: slackLog,
    tips,
    stats: (user) => feedback.stats(user),
    feedback: feedback.enabled ? feedback.log : undefined,
    conversations,
    admins: config.adminUsers,
    servicesNamedIn: (text) => core.searcher.servicesNamedIn(text),
    assistant: {
      prompts: createPrompts(core.kb, core.answer),
      // The first question of an assistant thread titles it: one claim per thread, whichever replica answers it.
      firstQuestion: (channel, threadTs) => store.claim(`assistant:titled:${channel}:${threadTs}`, assistantTitleMs).catch(() => true),
    },
  };
  app.use(gate(inflight, events, core.render, slackLog, prefetchContext(deps)));
  const recovery = new PendingRecovery({
    store,
    ledger: events,
    log: slackLog,
    // SQLite: one bot per DATA_DIR, so what it finds pending at start is a previous run's. Redis: replicas share it.
    exclusive: config.stateUrl === undefined,
    // The path of a live event (the gate, the listeners, the one reply), only without the ack, sent long ago.
    replay: async (body, eventId) => {
      await inflight.track(app.processEvent({ body, ack: async () => undefined, customProperties: { pendingReplay: true } }));
      // The gate has marked it done; unless Bolt dropped it before the gate (then there is no reply to wait for).
      if (!inflight.abandoned) await events.done(eventId);
    },
  });
  registerListeners(app, deps);
  app.error(async (err) => {
    slackLog.error({ err }, 'unhandled error in a listener');
  });

  const connection = new ConnectionWatch(socket, metrics, slackLog);
  const checks = botChecks({ connection, store, redis: config.stateUrl !== undefined, closing: () => inflight.closing });
  let httpServer: HttpServer | undefined;
  try {
    httpServer =
      config.httpPort === undefined || !metrics
        ? undefined
        : await startHttpServer({ port: config.httpPort, metrics, checks, log: log.child({ component: 'http' }) });
  } catch (err) {
    await store.close();
    throw err;
  }
  // Alive before the first event is recorded: another replica takes the pending events of an owner with no heartbeat.
  await recovery.beat();
  await app.start();
  slackLog.info({ entries: core.kb.entries.length, instance: events.owner }, 'connected to Slack (Socket Mode)');
  recovery.start();
  const scheduler = new Scheduler(schedule, tipSlot(tips, store, metrics, log.child({ component: 'tips' })), undefined, (err) =>
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
      slackLog.info({ inflight: inflight.size }, 'shutting down: closing the Socket Mode connection, then finishing replies in flight');
      recovery.pause();
      // Stop receiving first: Slack sends new events to the other open connections (the other replicas').
      // An event that came meanwhile was acked and claimed: it is answered below, or stays pending.
      const closed = await within(disconnect(), disconnectTimeoutMs);
      slackLog.info({ inflight: inflight.size, ...(closed ? {} : { handshake: 'timed out' }) }, 'disconnected from Slack: no new events come here');
      await scheduler.stop();
      quiet.stop();
      await inflight.drain(drainTimeoutMs);
      if (inflight.size) {
        // Given up on: their Slack calls are cut off (none may land after this and be answered again later).
        slackLog.warn(
          { left: inflight.size, afterMs: drainTimeoutMs },
          'replies still unsent: their questions stay pending, for the next start or another replica',
        );
        inflight.abandon();
      }
      await recovery.stop();
      await feedback.observer.settled();
      await store.close();
      await httpServer?.close();
      slackHttp.close();
      slackLog.info('stopped');
      resolveStopped();
    })());
  return { stopped, stop, httpPort: httpServer?.port };
}
