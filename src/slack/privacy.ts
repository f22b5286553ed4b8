/**
 * Channel messages, dropped where they arrive. `message.channels` and `message.groups` send the bot every message
 * of every channel it is in, and it needs only the few in the threads it answered in (follow-ups). This gate reads
 * each Socket Mode frame before anything else does (the Socket Mode client logs whole frames at debug level, Bolt
 * logs bodies, the event ledger stores questions): a channel message outside a thread the bot answered in, or in a
 * channel where follow-ups are off, is acked (so Slack does not send it again) and dropped. Nothing of it is logged,
 * stored or searched; the only store access is one read of the thread's key. DMs, mentions, commands and clicks
 * pass untouched.
 */
import type { Conversations } from './conversations.js';

/** A frame of the Socket Mode connection, as parsed JSON. */
type Frame = { type?: unknown; payload?: { event?: Record<string, unknown> } };

/** Subtypes a person's thread reply can have; every other message subtype (edits, deletions, joins, bots) is not a question. */
const replySubtypes = new Set([undefined, 'thread_broadcast']);

/**
 * The thread a channel message was posted in, when it is a person's reply in a thread; `false` for a channel
 * message that is not; undefined for a frame that is not a channel message (the gate lets it pass).
 */
export function channelThreadOf(frame: unknown): { channel: string; threadTs: string } | false | undefined {
  const f = frame as Frame | null;
  if (f?.type !== 'events_api') return undefined;
  const e = f.payload?.event;
  if (e?.type !== 'message' || e.channel_type === 'im') return undefined;
  if (!replySubtypes.has(e.subtype as string | undefined) || e.bot_id !== undefined) return false;
  if (typeof e.channel !== 'string' || typeof e.thread_ts !== 'string' || e.thread_ts === e.ts) return false;
  return { channel: e.channel, threadTs: e.thread_ts };
}

/**
 * Whether a frame may be read: every frame but a channel message the bot has no business with. A store that cannot
 * be read keeps the message out too (it cannot be told apart).
 */
export function threadGate(conversations: Pick<Conversations, 'thread' | 'followUpsOn'>): FrameGate {
  return (frame) => {
    const at = channelThreadOf(frame);
    if (at === undefined) return true;
    if (at === false) return false;
    return (async () => (await conversations.thread(at.channel, at.threadTs)) !== undefined && (await conversations.followUpsOn(at.channel)))().catch(
      () => false,
    );
  };
}

/** Whether a frame may be read (synchronously, for every frame that needs no look-up). */
export type FrameGate = (frame: unknown) => boolean | Promise<boolean>;
