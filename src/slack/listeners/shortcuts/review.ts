/**
 * "Review AWS usage", a message shortcut: reads that message's thread (only now, because someone asked; nothing of
 * it is kept or logged), finds the AWS services it mentions (by the search's names: ARNs, endpoints, aliases) and
 * replies to the person who asked, privately, with what a senior engineer would check for each: its focus points,
 * top limits and pitfalls, and "Post in thread" to share it. The reply is an ephemeral message in the channel, or a
 * DM when the bot can't post there. A thread that names no service gets "No AWS service mentioned here".
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Message } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';

export type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** How much of a thread is read at most: pages of replies, and characters of text searched. */
export const threadBounds = { pages: 5, perPage: 200, chars: 100_000 } as const;

interface ThreadMessage {
  text?: string;
  user?: string;
  bot_id?: string;
  attachments?: { text?: string; fallback?: string; title?: string; pretext?: string }[];
}

/** A message's words as people read them: its text and its attachments' (alerts and integrations post those). */
function wordsOf(m: ThreadMessage): string {
  const parts = [m.text ?? ''];
  for (const a of m.attachments ?? []) parts.push(a.pretext ?? '', a.title ?? '', a.text ?? a.fallback ?? '');
  return parts.filter(Boolean).join('\n');
}

/**
 * The text of a thread, the bot's own messages left out (its answers name related services nobody asked about);
 * undefined when the bot can't read it (not in the channel, a private conversation, a missing scope).
 */
async function readThread(args: ShortcutArgs, channel: string, root: string): Promise<{ text: string; messages: number } | undefined> {
  const { client, context } = args;
  const own = (m: ThreadMessage): boolean => (!!context.botUserId && m.user === context.botUserId) || (!!context.botId && m.bot_id === context.botId);
  let text = '';
  let messages = 0;
  let cursor: string | undefined;
  try {
    for (let page = 0; page < threadBounds.pages; page++) {
      const res = await client.conversations.replies({ channel, ts: root, limit: threadBounds.perPage, ...(cursor ? { cursor } : {}) });
      for (const m of (res.messages ?? []) as ThreadMessage[]) {
        if (own(m)) continue;
        messages += 1;
        text += `${wordsOf(m)}\n`;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor || text.length >= threadBounds.chars) break;
    }
  } catch {
    return undefined;
  }
  return { text: text.slice(0, threadBounds.chars), messages };
}

export function createReviewShortcut(deps: SlackDeps) {
  return async (args: ShortcutArgs): Promise<void> => {
    const { ack, shortcut } = args;
    await ack();
    const channel = shortcut.channel.id;
    const user = shortcut.user.id;
    const message = shortcut.message as ThreadMessage & { ts: string; thread_ts?: string };
    const root = message.thread_ts ?? message.ts;
    const thread = await readThread(args, channel, root);
    const text = thread?.text ?? wordsOf(message).slice(0, threadBounds.chars);
    const ids = deps.servicesNamedIn(text);
    const review = deps.render.review({ ids, partial: thread === undefined, ...(ids.length ? { post: { channel, threadTs: root } } : {}) });
    // What was found, never what was read.
    deps.log.info({ surface: 'shortcut', ids, messages: thread?.messages ?? 1, partial: thread === undefined }, 'thread reviewed');
    await tellPrivately(deps, args, channel, user, message.thread_ts, review);
  };
}

/** An ephemeral message to `user` where they asked (in the thread), or a DM when the bot can't post there. */
async function tellPrivately(
  deps: SlackDeps,
  { client }: ShortcutArgs,
  channel: string,
  user: string,
  threadTs: string | undefined,
  m: Message,
): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel, user, ...(threadTs ? { thread_ts: threadTs } : {}), ...m });
  } catch (err) {
    deps.log.debug({ err, surface: 'shortcut' }, 'the review could not be posted in the channel: sent as a DM');
    await deps.post(client, { channel: user, ...m, unfurl_links: false, unfurl_media: false });
  }
}
