/**
 * Block Kit building blocks with Slack's limits applied where the block is made, so no card can exceed them:
 * header ≤ 150, section text ≤ 3000, field ≤ 2000, button text ≤ 75, ≤ 25 elements per actions block,
 * ≤ 10 context elements, ≤ 50 blocks per message. Escaping of mrkdwn lives here too.
 */
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type Button = types.Button;

export const limits = {
  blocks: 50,
  homeBlocks: 100,
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  fallbackText: 3000,
} as const;

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)).trimEnd() + '…';
}

/**
 * Escapes text for mrkdwn: `&`, `<` and `>` become entities, so "<!channel>" or "<@U123>" in a user's query is
 * shown, never acted on, and can't break a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A user's text shown back in a reply: one line, escaped, cut to a sane length. */
export function quoteUser(text: string, max = 120): string {
  return escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), max));
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, limits.header), emoji: true } };
}

export function section(mrkdwn: string, accessory?: Button): Block {
  const block: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn || ' ', limits.sectionText) } };
  if (accessory) block.accessory = accessory;
  return block;
}

export function fields(items: string[]): Block {
  return {
    type: 'section',
    fields: items.slice(0, limits.fields).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t || ' ', limits.field) })),
  };
}

export function context(...texts: string[]): Block {
  return {
    type: 'context',
    elements: texts.slice(0, limits.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, limits.sectionText) })),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value?: string, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', text: { type: 'plain_text', text: truncate(text, limits.buttonText), emoji: true }, action_id: actionId };
  if (value !== undefined) b.value = truncate(value, limits.buttonValue);
  if (style) b.style = style;
  return b;
}

export function linkButton(text: string, actionId: string, url: string): Button {
  return { type: 'button', text: { type: 'plain_text', text: truncate(text, limits.buttonText), emoji: true }, action_id: actionId, url };
}

/** Actions blocks for any number of buttons: 25 per block, action_ids made unique within the message. */
export function actions(buttons: Button[], blockId?: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += limits.actionsElements) {
    const block: types.ActionsBlock = { type: 'actions', elements: buttons.slice(i, i + limits.actionsElements) };
    if (blockId) block.block_id = i === 0 ? blockId : `${blockId}-${i / limits.actionsElements}`;
    out.push(block);
  }
  return out;
}

/** A bulleted mrkdwn list. */
export function bullets(items: string[]): string {
  return items.map((i) => `• ${i}`).join('\n');
}

/**
 * The last word on limits for a whole message: at most `max` blocks (the last kept block may be a note that
 * the rest was cut), and action_ids unique across the message (Slack rejects duplicates).
 */
export function fit(blocks: Block[], max: number = limits.blocks): Block[] {
  let out = blocks;
  if (out.length > max) out = [...out.slice(0, max - 1), context('_…more in the full entry._')];
  const seen = new Set<string>();
  return out.map((b) => {
    if (b.type !== 'actions') return b;
    const elements = b.elements.filter((el) => {
      const id = (el as { action_id?: string }).action_id;
      if (!id) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return { ...b, elements };
  }).filter((b) => b.type !== 'actions' || b.elements.length > 0);
}
