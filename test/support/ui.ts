/**
 * What a person sees and does in Slack, for the end-to-end tests: the header and buttons of a card, a click on an
 * ephemeral card or on a posted message, the bot's next post in a channel or thread.
 */
import type { Core } from '../../src/core.js';
import type { StartedBot } from './bot.js';
import type { ApiCall } from './fake-slack.js';

export type Blocks = any[];

export function headerOf(blocks: Blocks | undefined): string | undefined {
  return blocks?.find((x) => x.type === 'header')?.text?.text;
}

export interface FoundButton {
  action_id: string;
  value?: string;
  url?: string;
  text: string;
  blockId?: string;
}

export function buttons(blocks: Blocks | undefined): FoundButton[] {
  const out: FoundButton[] = [];
  for (const bl of blocks ?? []) {
    const els = bl.type === 'actions' ? bl.elements : bl.accessory ? [bl.accessory] : [];
    for (const el of els ?? []) {
      if (el.type === 'button') out.push({ action_id: el.action_id, value: el.value, url: el.url, text: el.text?.text, blockId: bl.block_id });
    }
  }
  return out;
}

export const actionIds = (blocks: Blocks | undefined): string[] => buttons(blocks).map((x) => x.action_id);

export function buttonIn(blocks: Blocks | undefined, actionId: string): FoundButton {
  const found = buttons(blocks).find((x) => x.action_id === actionId);
  if (!found) throw new Error(`no button ${actionId} in [${actionIds(blocks).join(', ')}]`);
  return found;
}

let tsSeq = 0;
/** A message ts of our own (for messages the tests invent: thread parents, ephemeral cards). */
export function newTs(): string {
  tsSeq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(900000 + tsSeq).padStart(6, '0')}`;
}

/** A button pressed on an ephemeral card (a slash command's ack): Slack sends no `message`, only the container. */
export function clickEphemeral(b: StartedBot, card: { blocks?: Blocks }, actionId: string, channel = 'C00000001', user?: string) {
  const el = buttonIn(card.blocks, actionId);
  return b.fake.blockAction({
    actionId,
    ...(user ? { user } : {}),
    ...(el.value !== undefined ? { value: el.value } : {}),
    ...(el.blockId ? { blockId: el.blockId } : {}),
    channel,
    container: { type: 'message', is_ephemeral: true, channel_id: channel, message_ts: newTs() },
  });
}

/** A button pressed on a message the bot posted, as it was posted (a stale copy for a second click). */
export function clickPosted(b: StartedBot, post: ApiCall, actionId: string, user?: string) {
  const message = post.response.message as { blocks: Blocks; ts: string };
  const channel = post.response.channel as string;
  const el = buttonIn(message.blocks, actionId);
  return b.fake.blockAction({
    actionId,
    ...(user ? { user } : {}),
    ...(el.value !== undefined ? { value: el.value } : {}),
    ...(el.blockId ? { blockId: el.blockId } : {}),
    channel,
    message,
    container: { type: 'message', is_ephemeral: false, channel_id: channel, message_ts: message.ts },
  });
}

/** The bot's next successful post in a channel: in `threadTs`, or outside any thread when it is not given. */
export function waitForPost(b: StartedBot, channel: string, threadTs?: string, timeoutMs = 5000): Promise<ApiCall> {
  return b.fake.waitForCall(
    'chat.postMessage',
    (c) =>
      c.response.ok === true &&
      c.args.channel === channel &&
      (threadTs === undefined ? c.args.thread_ts === undefined : c.args.thread_ts === threadTs),
    timeoutMs,
  );
}

/** A query the bot has no confident answer for, with (or without) "did you mean" suggestions. */
export function noAnswerQuery(core: Core, withSuggestions = false): string {
  const candidates = withSuggestions
    ? ['what is the best pizza topping', 'the best pizza topping in naples', 'recipe for banana bread', 'ten pro tips for bakers']
    : ['purple elephant banjo recital', 'zebra accordion marmalade', 'qwxz plmk vvbn', 'recipe for banana bread'];
  const q = candidates.find((c) => {
    const a = core.answer.ask(c);
    return a.kind === 'none' && a.suggestions.length > 0 === withSuggestions;
  });
  if (!q) throw new Error(`no candidate query gives a no-answer reply ${withSuggestions ? 'with' : 'without'} suggestions`);
  return q;
}

/** Slack's feedback buttons (👍/👎) on a message: its `feedback_buttons` element, if it has one. */
export function feedbackIn(blocks: Blocks | undefined): { action_id: string; up: string; down: string; blockId?: string } | undefined {
  for (const bl of blocks ?? []) {
    if (bl.type !== 'context_actions') continue;
    const el = (bl.elements ?? []).find((e: any) => e.type === 'feedback_buttons');
    if (el) return { action_id: el.action_id, up: el.positive_button.value, down: el.negative_button.value, blockId: bl.block_id };
  }
  return undefined;
}

/**
 * 👍 or 👎 clicked on a message: an ephemeral card (`{blocks}`, e.g. a slash command's ack) or one the bot posted
 * (its chat.postMessage call), as Slack sends it (the clicked button's value, the message for a posted one).
 */
export function clickFeedback(b: StartedBot, on: ApiCall | { blocks?: Blocks }, vote: 'up' | 'down', o: { user?: string; channel?: string } = {}) {
  const posted = 'method' in on ? (on.response.message as { blocks: Blocks; ts: string; thread_ts?: string }) : undefined;
  const blocks = posted ? posted.blocks : (on as { blocks?: Blocks }).blocks;
  const fb = feedbackIn(blocks);
  if (!fb) throw new Error('no feedback buttons on this message');
  const channel = posted ? ((on as ApiCall).response.channel as string) : (o.channel ?? 'C00000001');
  return b.fake.blockAction({
    actionId: fb.action_id,
    feedback: vote === 'up' ? 'positive' : 'negative',
    value: vote === 'up' ? fb.up : fb.down,
    ...(o.user ? { user: o.user } : {}),
    ...(fb.blockId ? { blockId: fb.blockId } : {}),
    channel,
    ...(posted
      ? { message: posted, container: { type: 'message', is_ephemeral: false, channel_id: channel, message_ts: posted.ts } }
      : { container: { type: 'message', is_ephemeral: true, channel_id: channel, message_ts: newTs() } }),
  });
}

/** A static select's options on a message (e.g. "Compare with…"): their labels and values. */
export function selectOptions(blocks: Blocks | undefined, actionId: string): { text: string; value: string }[] {
  for (const bl of blocks ?? []) {
    const el = (bl.type === 'actions' ? bl.elements : bl.accessory ? [bl.accessory] : []).find((e: any) => e?.action_id === actionId);
    if (el?.type === 'static_select') return el.options.map((o: any) => ({ text: o.text.text, value: o.value }));
  }
  throw new Error(`no select ${actionId}`);
}
