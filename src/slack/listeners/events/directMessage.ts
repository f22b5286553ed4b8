/**
 * A direct message to the bot: the answer in the DM. Only plain messages from people: edits, deletions, joins,
 * bot messages and the bot's own messages all arrive as `message` events too, and are ignored.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { replyToMessage, type SlackDeps } from '../../deps.js';
import { queryFromMention } from '../../text.js';

export function createDirectMessageListener(deps: SlackDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    if (event.channel_type !== 'im') return;
    if (event.subtype !== undefined) return; // message_changed, message_deleted, bot_message, channel_join, …
    if ('bot_id' in event && event.bot_id) return;
    if (!('user' in event) || !event.user || event.user === context.botUserId) return;
    const query = queryFromMention(event.text ?? '', context.botUserId);
    const message = replyToMessage(deps, query, 'dm', event.user);
    const thread_ts = 'thread_ts' in event ? event.thread_ts : undefined;
    await client.chat.postMessage({ channel: event.channel, ...(thread_ts ? { thread_ts } : {}), ...message, unfurl_links: false, unfurl_media: false });
  };
}
