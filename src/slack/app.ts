/**
 * The Bolt App in Socket Mode, and the middleware every envelope passes through: redelivered events answered
 * once, work in flight tracked for a clean shutdown, and no new work taken once shutting down.
 */
import { App, SocketModeReceiver, type AnyMiddlewareArgs, type Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Renderer } from '../render/index.js';
import type { EventLedger } from '../state/events.js';
import type { SocketEvents } from './connection.js';
import { boltLogger } from './logger.js';

export interface AppOptions {
  botToken: string;
  appToken: string;
  /** Another Web API base URL (tests, proxies); it also carries Socket Mode's apps.connections.open. */
  apiUrl?: string;
  log: Logger;
}

/** The app, and its Socket Mode client's events (for the connection watch: Bolt keeps its receiver private). */
export interface SlackApp {
  app: App;
  socket: SocketEvents;
}

/**
 * Replies give up quickly (a failing Web API must not hold a conversation for minutes); the Socket Mode
 * connection keeps retrying for as long as it takes, as Slack's client does by default.
 */
const replyRetries = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
const connectionRetries = { retries: 100, factor: 1.3 };

export function createApp(opts: AppOptions): SlackApp {
  const logger = boltLogger(opts.log);
  const api = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  // A receiver of our own, so that the socket's client and the reply client can retry differently.
  const receiver = new SocketModeReceiver({
    appToken: opts.appToken,
    logger,
    installerOptions: { clientOptions: { ...api, retryConfig: connectionRetries } },
  });
  const app = new App({
    token: opts.botToken,
    receiver,
    socketMode: true,
    // The bot keeps no per-conversation state in Bolt; its conversation store would only cost every event time.
    convoStore: false,
    logger,
    clientOptions: { ...api, retryConfig: replyRetries, timeout: 10_000 },
  });
  return { app, socket: receiver.client };
}

/** Tracks the envelopes being handled, so shutdown can wait for them. */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();
  closing = false;

  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = (): void => void this.running.delete(p);
    p.then(done, done);
    return p;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything in flight has finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((r) => (timer = setTimeout(r, Math.max(1, deadline - Date.now()))));
      try {
        await Promise.race([Promise.allSettled([...this.running]), timeout]);
      } finally {
        // A pending timer would keep the process alive for the rest of the timeout after a clean shutdown.
        clearTimeout(timer);
      }
    }
  }
}

/** The global middleware: shutdown gate, once-only events, in-flight tracking. */
export function gate(inflight: Inflight, events: EventLedger, render: Renderer, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, next } = args;
    const ack = (args as { ack?: (msg?: unknown) => Promise<void> }).ack;
    if (inflight.closing) {
      if (ack) await ack({ response_type: 'ephemeral', ...render.notice('The AWS Guide is restarting; please ask again in a few seconds.') });
      return;
    }
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await events.claim(eventId))) {
      log.info({ eventId, retry: (args as { context?: { retryNum?: number } }).context?.retryNum }, 'event already answered, skipped');
      return;
    }
    await inflight.track(next());
  };
}
