/**
 * A follow-up without a mention: a person's message in a thread the bot answered in (public or private channel),
 * answered in the thread when it reads as a question the bot can answer (`answersFollowUp`: a confident answer, or
 * a fact about the thread's subject), in the context of that subject ("and the max size?" after the SQS answer).
 * Anything else gets nothing, not even "no confident answer": people talk in threads. Channel messages outside the
 * bot's threads never get here: they are dropped as they arrive (src/slack/privacy.ts); a message in a channel
 * where follow-ups are off, too. A message that mentions the bot is the mention listener's.
 */
import { contextOf } from '../../conversations.js';
import type { SlackDeps } from '../../deps.js';
import { questionFromSlack } from '../../text.js';
import { answeredIn, type Incoming, type MessageArgs } from './message.js';

/** Subtypes of a person's reply in a thread (a reply also sent to the channel is one too). */
const replySubtypes = new Set([undefined, 'thread_broadcast']);

/** A person's reply in a channel thread that does not mention the bot; undefined for every other message. */
export function fromThreadMessage({ event, context }: MessageArgs): (Incoming & { threadTs: string }) | undefined {
  const e = event as unknown as Record<string, unknown>;
  if (e.channel_type === 'im' || typeof e.channel !== 'string' || !e.channel) return undefined;
  if (!replySubtypes.has(e.subtype as string | undefined) || e.bot_id) return undefined;
  if (typeof e.thread_ts !== 'string' || e.thread_ts === e.ts) return undefined;
  if (typeof e.user !== 'string' || !e.user || e.user === context.botUserId) return undefined;
  const text = typeof e.text === 'string' ? e.text : '';
  if (context.botUserId && text.includes(`<@${context.botUserId}>`)) return undefined; // the app_mention event answers it
  return { surface: 'followup', channel: e.channel, threadTs: e.thread_ts, text: questionFromSlack(text, context.botUserId), user: e.user };
}

export function createFollowUpListener(deps: SlackDeps) {
  return async (args: MessageArgs): Promise<void> => {
    const m = fromThreadMessage(args);
    if (!m) return;
    // Checked again here (the gate checked it as the message arrived): a question answered again after a restart
    // comes this way too.
    const thread = await deps.conversations.thread(m.channel, m.threadTs);
    if (!thread || !(await deps.conversations.followUpsOn(m.channel))) return;
    const reply = deps.replier.followUp(
      m.text,
      { surface: 'followup', user: m.user! },
      {
        subject: thread.subject,
        ...(thread.topic ? { topic: thread.topic } : {}),
      },
    );
    if (!reply) return;
    await answeredIn(deps, m, contextOf(reply.answer)); // before the reply: the next message may reach another replica
    await deps.post(args.client, { channel: m.channel, thread_ts: m.threadTs, ...reply.message, unfurl_links: false, unfurl_media: false });
  };
}
