/**
 * The Bolt App in Socket Mode, and the middleware every envelope passes through: redelivered events answered
 * once, work in flight tracked for a clean shutdown, and no new work taken once shutting down.
 */
import { App, SocketModeReceiver, type Middleware, type AnyMiddlewareArgs } from '@slack/bolt';
import { boltLogger, type Logger } from '../logger.js';
import type { EventLedger } from './deps.js';

export interface AppOptions {
  botToken: string;
  appToken: string;
  /** Another Web API base URL (tests, proxies); it also carries Socket Mode's apps.connections.open. */
  apiUrl?: string;
  log: Logger;
}

/**
 * Replies give up quickly (a failing Web API must not hold a conversation for minutes); the Socket Mode
 * connection keeps retrying for as long as it takes, as Slack's client does by default.
 */
const replyRetries = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
const connectionRetries = { retries: 100, factor: 1.3 };

export function createApp(opts: AppOptions): App {
  const logger = boltLogger(opts.log);
  const api = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  // A receiver of our own, so that the socket's client and the reply client can retry differently.
  const receiver = new SocketModeReceiver({
    appToken: opts.appToken,
    logger,
    installerOptions: { clientOptions: { ...api, retryConfig: connectionRetries } },
  });
  return new App({
    token: opts.botToken,
    receiver,
    socketMode: true,
    // The bot keeps no per-conversation state in Bolt; its conversation store would only cost every event time.
    convoStore: false,
    logger,
    clientOptions: { ...api, retryConfig: replyRetries, timeout: 10_000 },
  });
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
export function gate(inflight: Inflight, events: EventLedger, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, next } = args;
    const ack = (args as { ack?: (msg?: unknown) => Promise<void> }).ack;
    if (inflight.closing) {
      if (ack) await ack({ response_type: 'ephemeral', text: 'The AWS Guide is restarting; please ask again in a few seconds.' });
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
