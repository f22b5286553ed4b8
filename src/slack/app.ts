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
import { globalFetch, type CuttableFetch } from './fetch.js';
import { guardFrames } from './frames.js';
import type { FrameGate } from './privacy.js';
import { handling } from './listeners/soft.js';
import { boltLogger } from './logger.js';

export interface AppOptions {
  botToken: string;
  appToken: string;
  /** Another Web API base URL (tests, proxies); it also carries Socket Mode's apps.connections.open. */
  apiUrl?: string;
  log: Logger;
  /** Reads every Socket Mode frame first: the ones it refuses are acked and dropped unread (src/slack/privacy.ts). */
  admit?: FrameGate;
  /** The reply client's fetch (`Inflight.fetch`, which a shutdown can cut off). */
  fetch?: typeof globalThis.fetch;
}

/** The app, and its Socket Mode client's events (for the connection watch: Bolt keeps its receiver private). */
export interface SlackApp {
  app: App;
  socket: SocketEvents;
  /** Closes the Socket Mode connection for good (Slack sends new events to the other connections). */
  disconnect(): Promise<void>;
}

/**
 * Replies give up quickly (a failing Web API must not hold a conversation for minutes); the Socket Mode
 * connection keeps retrying for as long as it takes, as Slack's client does by default.
 */
export const replyRetries = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };
/** How long one attempt of a Web API call may take. */
export const replyTimeoutMs = 10_000;
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
    clientOptions: { ...api, retryConfig: replyRetries, timeout: replyTimeoutMs, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  });
  guardFrames(receiver.client, opts.log.child({ component: 'socket' }), opts.admit);
  return { app, socket: receiver.client, disconnect: () => receiver.client.disconnect() };
}

/**
 * Tracks the envelopes being handled, so shutdown can wait for them; and, when it stops waiting (`abandon`), cuts
 * off the reply client: no Slack call (nor a retry) starts after, those under way are aborted, and the events
 * still in flight stay pending, for the next start or another replica, rather than be answered twice.
 */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();
  /** Aborts every Slack call under way at once (`abandon`). */
  private readonly cutOff = new AbortController();
  closing = false;
  abandoned = false;

  /**
   * `base`: how calls are made (src/slack/fetch.ts), cut off by the signal it is given as well as by their own.
   * `tracked`: told of each envelope taken in (the collection after a busy spell, src/slack/heap.ts).
   */
  constructor(
    private readonly base: CuttableFetch = globalFetch,
    private readonly tracked?: () => void,
  ) {}

  /** The reply client's fetch (see AppOptions.fetch). */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    if (this.abandoned) throw new Error('shutting down: Slack calls are cut off, the question stays pending');
    return this.base(input, init, this.cutOff.signal);
  };

  /** Stops waiting: Slack calls are cut off, and what is still in flight stays pending. */
  abandon(): void {
    this.abandoned = true;
    this.cutOff.abort(new Error('shutting down: Slack calls are cut off, the question stays pending'));
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.tracked?.();
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
export function gate(
  inflight: Inflight,
  events: EventLedger,
  render: Renderer,
  log: Logger,
  /** Started beside an event's claim rather than after it: a read its listener needs (the conversation's context). */
  prefetch?: (args: AnyMiddlewareArgs) => void,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, next } = args;
    const ack = (args as { ack?: (msg?: unknown) => Promise<void> }).ack;
    const eventId = (body as { event_id?: string }).event_id;
    // An event is acked by Bolt before any middleware runs: refused here, it would be lost. One that arrives while
    // shutting down (before the socket is closed) is answered like any other; what the drain cannot finish stays pending.
    if (eventId) return inflight.track(answerEvent(eventId, args, inflight, events, log, prefetch));
    if (inflight.closing) {
      if (ack) await ack({ response_type: 'ephemeral', ...render.notice('The AWS Guide is restarting; please ask again in a few seconds.') });
      return;
    }
    try {
      await inflight.track(next());
    } finally {
      if (ack) await ackLeftover(ack, args, log);
    }
  };
}

/**
 * An event: claimed once (a question is recorded as pending in the same write), its listeners run, then done. A
 * pending question answered again (`context.pendingReplay`, see PendingRecovery) was claimed when it first came.
 */
async function answerEvent(
  eventId: string,
  args: Parameters<Middleware<AnyMiddlewareArgs>>[0],
  inflight: Inflight,
  events: EventLedger,
  log: Logger,
  prefetch?: (args: AnyMiddlewareArgs) => void,
): Promise<void> {
  const context = (args as { context?: { retryNum?: number; pendingReplay?: boolean } }).context;
  const claimed = context?.pendingReplay ? true : events.claim(eventId, args.body);
  prefetch?.(args);
  if (!(await claimed)) {
    log.info({ eventId, retry: context?.retryNum }, 'event already answered, skipped');
    return;
  }
  try {
    await args.next();
  } finally {
    // Abandoned by the shutdown, its reply cut off: it stays pending.
    if (!inflight.abandoned) await events.done(eventId);
  }
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
