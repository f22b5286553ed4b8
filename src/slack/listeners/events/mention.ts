/** @mention in a channel: the answer goes into the thread of the mention (or the thread it was made in). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { replyToMessage, type SlackDeps } from '../../deps.js';
import { queryFromMention } from '../../text.js';

export function createMentionListener(deps: SlackDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    if (event.bot_id || (event.user && event.user === context.botUserId)) return;
    const thread_ts = event.thread_ts ?? event.ts;
    const query = queryFromMention(event.text ?? '', context.botUserId);
    const message = replyToMessage(deps, query, 'mention', event.user);
    await client.chat.postMessage({ channel: event.channel, thread_ts, ...message, unfurl_links: false, unfurl_media: false });
  };
}
