/**
 * A message in words to the bot: an @mention in a channel (the answer goes into the thread of the mention, or the
 * thread it was made in) or a direct message (the answer in the DM). One reply, one Slack call.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Surface } from '../../../reply.js';
import type { SlackDeps } from '../../deps.js';
import { questionFromSlack } from '../../text.js';

/** The plain values of a message the bot should answer. */
export interface Incoming {
  surface: Extract<Surface, 'mention' | 'dm'>;
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
    const { message } = deps.replier.ask(m.text, { surface: m.surface, ...(m.user ? { user: m.user } : {}) });
    await args.client.chat.postMessage({ channel: m.channel, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...message, unfurl_links: false, unfurl_media: false });
  };
}
