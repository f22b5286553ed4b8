/**
 * A message in words to the bot: an @mention in a channel (the answer goes into the thread of the mention, or the
 * thread it was made in) or a direct message (the answer in the DM). One reply, one Slack call. Each is read in the
 * context of its conversation (the subject of the bot's last answer in that thread, or in that DM within the last
 * few minutes), and its answer becomes that conversation's subject.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Surface } from '../../../reply.js';
import type { AskContext } from '../../../answer/index.js';
import { contextOf } from '../../conversations.js';
import type { SlackDeps } from '../../deps.js';
import { questionFromSlack } from '../../text.js';

/** The plain values of a message the bot should answer. */
export interface Incoming {
  surface: Extract<Surface, 'mention' | 'dm' | 'followup'>;
  channel: string;
  /** The thread to answer in; none for a DM outside a thread. */
  threadTs: string | undefined;
  text: string;
  user: string | undefined;
}

export type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;
export type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** An @mention, unless the bot itself (or another bot) sent it. */
export function fromMention({ event, context }: MentionArgs): Incoming | undefined {
  if (!hasChannel(event)) return undefined;
  if (event.bot_id || (event.user && event.user === context.botUserId)) return undefined;
  return {
    surface: 'mention',
    channel: event.channel,
    threadTs: event.thread_ts ?? event.ts,
    text: questionFromSlack(event.text ?? '', context.botUserId),
    user: event.user,
  };
}

/**
 * A direct message from a person. Edits, deletions, joins, bot messages and the bot's own messages all arrive as
 * `message` events too, and are ignored; so is every message outside a DM.
 */
export function fromDirectMessage({ event, context }: MessageArgs): Incoming | undefined {
  if (!hasChannel(event)) return undefined;
  if (event.channel_type !== 'im') return undefined;
  if (event.subtype !== undefined) return undefined; // message_changed, message_deleted, bot_message, channel_join, …
  if ('bot_id' in event && event.bot_id) return undefined;
  if (!('user' in event) || !event.user || event.user === context.botUserId) return undefined;
  return {
    surface: 'dm',
    channel: event.channel,
    threadTs: 'thread_ts' in event ? event.thread_ts : undefined,
    text: questionFromSlack(event.text ?? '', context.botUserId),
    user: event.user,
  };
}

/** Whether an event says where it happened: one without a channel has no place a reply could go. */
function hasChannel(event: { channel?: unknown }): boolean {
  return typeof event.channel === 'string' && event.channel !== '';
}

/** Answers what `read` extracts from an event (nothing when it returns undefined). */
export function createMessageListener<A extends MentionArgs | MessageArgs>(deps: SlackDeps, read: (args: A) => Incoming | undefined) {
  return async (args: A): Promise<void> => {
    if (!hasChannel(args.event)) {
      deps.log.debug({ type: args.event.type, eventId: (args.body as { event_id?: unknown }).event_id }, 'an event without a channel: ignored');
      return;
    }
    const m = read(args);
    if (!m) return;
    // Read by the gate while it claimed the event (with Redis, the two in one round trip), else here.
    const prefetched = (args.context as Record<string, unknown>)[contextKey] as Promise<AskContext> | undefined;
    const context = await (prefetched ?? contextFor(deps, m));
    const { answer, message } = deps.replier.ask(m.text, { surface: m.surface, ...(m.user ? { user: m.user } : {}) }, context);
    // Kept as the reply is sent, not after it: the write is on its way to the store (with SQLite, done) before the
    // post is, and the person's next message, which may reach another replica, comes after the reply. The reply
    // does not wait for the store's answer (answeredIn never throws: it logs a failure itself).
    const kept = answeredIn(deps, m, contextOf(answer));
    try {
      await deps.post(args.client, {
        channel: m.channel,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
    } finally {
      await kept;
    }
  };
}

/** Where `prefetchContext` leaves the conversation's read on Bolt's per-envelope context, for the listener. */
const contextKey = 'awsGuideConversation';

/**
 * For the gate (src/slack/app.ts): starts reading the context of the conversation of a mention or a DM while the
 * event is being claimed, instead of after the claim, so that with Redis the claim and the read share one round
 * trip. The listener awaits the read (which never fails: an unreachable store means no context); any other event
 * is left alone.
 */
export function prefetchContext(deps: SlackDeps): (args: AnyMiddlewareArgs) => void {
  return (args) => {
    const event = (args as { event?: { type?: unknown; channel?: unknown } }).event;
    const context = (args as { context?: Record<string, unknown> }).context;
    if (!event || !context || !hasChannel(event)) return;
    const m =
      event.type === 'app_mention'
        ? fromMention(args as unknown as MentionArgs)
        : event.type === 'message'
          ? fromDirectMessage(args as unknown as MessageArgs)
          : undefined;
    if (m) context[contextKey] = contextFor(deps, m);
  };
}

/**
 * The context of the conversation a message is in (its subject and topic): its thread's (a mention in a thread the
 * bot answered in), or its DM's.
 */
async function contextFor(deps: SlackDeps, m: Incoming): Promise<AskContext> {
  try {
    if (m.surface === 'dm') return await deps.conversations.dmContext(m.channel);
    const thread = m.threadTs ? await deps.conversations.thread(m.channel, m.threadTs) : undefined;
    return thread ? { subject: thread.subject, ...(thread.topic ? { topic: thread.topic } : {}) } : {};
  } catch (err) {
    // The store is unreachable (it says so itself): the question is answered on its own.
    deps.log.debug({ err, surface: m.surface }, 'the conversation could not be read: answered without its context');
    return {};
  }
}

/** Remembers the bot's answer in its conversation: a thread it answered in (follow-ups, its subject), or the DM's subject. */
export async function answeredIn(deps: SlackDeps, m: Incoming, { subject, topic }: AskContext): Promise<void> {
  try {
    if (m.surface === 'dm') await deps.conversations.answeredInDm(m.channel, subject, topic);
    else if (m.threadTs) await deps.conversations.answeredInThread(m.channel, m.threadTs, subject, topic);
  } catch (err) {
    deps.log.warn({ err, surface: m.surface }, 'the conversation could not be kept: follow-ups there will not be answered');
  }
}
