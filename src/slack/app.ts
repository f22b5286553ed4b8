/**
 * The Bolt App in Socket Mode, and the middleware every envelope passes through: redelivered events answered
 * once, work in flight tracked for a clean shutdown, no new work taken once shutting down, and every interactive
 * envelope acked, even one no listener matches.
 */
import { App, SocketModeReceiver, type AnyMiddlewareArgs, type Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Renderer } from '../render/index.js';
import type { EventLedger } from '../state/events.js';
import type { SocketEvents } from './connection.js';
import { guardFrames } from './frames.js';
import { handling } from './listeners/soft.js';
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
  guardFrames(receiver.client, opts.log.child({ component: 'socket' }));
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

/**
 * The global middleware: shutdown gate, once-only events, in-flight tracking, and the last ack. Bolt acks an event
 * itself, but an action, a modal submission or a command is acked only by a listener, and Bolt does not ack what
 * no listener matches (a button of an old card, a modal of an older version): Slack would show the person an
 * error. Whatever is left unacked once the listeners are done is acked here, and one warning says what it was.
 */
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
    try {
      await inflight.track(next());
    } finally {
      if (ack) await ackLeftover(ack, args, log);
    }
  };
}

async function ackLeftover(ack: (msg?: unknown) => Promise<void>, args: AnyMiddlewareArgs, log: Logger): Promise<void> {
  const { handled, acked } = handling((args as { context?: Record<string, unknown> }).context);
  if (acked) return;
  await ack();
  // A listener that failed before its ack has logged its error; only an envelope nobody took is news.
  if (!handled) log.warn(describeInteraction(args.body), 'nothing handles this interactive payload: acked and ignored');
}

/** What an interactive payload was, for one log line: its type and the ids that route it. */
export function describeInteraction(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as {
    type?: unknown;
    command?: unknown;
    callback_id?: unknown;
    action_id?: unknown;
    actions?: { action_id?: unknown; block_id?: unknown }[];
    view?: { callback_id?: unknown };
  };
  const out: Record<string, unknown> = { type: typeof b.type === 'string' ? b.type : typeof b.command === 'string' ? 'slash_commands' : 'unknown' };
  const action = Array.isArray(b.actions) ? b.actions[0] : undefined;
  if (action?.action_id !== undefined) out.action = action.action_id;
  if (action?.block_id !== undefined) out.block = action.block_id;
  if (b.action_id !== undefined) out.action = b.action_id;
  if (b.view?.callback_id !== undefined) out.callbackId = b.view.callback_id;
  if (b.callback_id !== undefined) out.callbackId = b.callback_id;
  if (b.command !== undefined) out.command = b.command;
  return out;
}
