/**
 * Block Kit building blocks with Slack's limits applied where the block is made, so no card can exceed them:
 * header ≤ 150, section text ≤ 3000, field ≤ 2000, button text ≤ 75, ≤ 25 elements per actions block,
 * ≤ 10 context elements, ≤ 50 blocks per message. Escaping of mrkdwn lives here too.
 */
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type Button = types.Button;
export type Select = types.StaticSelect;

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
  optionText: 75,
  optionValue: 150,
  options: 100,
  placeholder: 150,
  contextActionsElements: 5,
  accessibilityLabel: 75,
} as const;

/** Grapheme boundaries, made on the first cut (most text never needs one). */
let graphemes: Intl.Segmenter | undefined;

/**
 * Cuts text to at most `max` UTF-16 code units (what Slack's limits count), ending with an ellipsis when cut. The
 * cut falls between graphemes, so an emoji is never split into lone surrogates and a family, a flag, a skin tone or
 * a letter with its accent stays whole (or goes whole); and never inside an `&amp;`-style entity.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - 1);
  // Grapheme boundaries depend on what comes before, and on one character after: a little beyond `room` is enough.
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let end = 0;
  for (const { segment } of graphemes.segment(text.slice(0, room + 32))) {
    if (end + segment.length > room) break;
    end += segment.length;
  }
  // Nor inside an entity of escaped text: "&am…" would show as it is.
  return (
    text
      .slice(0, end)
      .replace(/&[#a-z0-9]{0,7}$/i, '')
      .trimEnd() + '…'
  );
}

/**
 * Escapes text for mrkdwn: `&`, `<` and `>` become entities, so "<!channel>" or "<@U123>" in a user's query is
 * shown, never acted on, and can't break a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's formatting marks in a person's words, and the look-alike each is shown as. mrkdwn has no escape
 * character (a backslash is shown as it is), so `*bold*`, `_x_`, `~x~` or ``` in a query would format the bot's own
 * sentence around it. Look-alikes rather than an invisible zero-width character beside each mark: whether a
 * zero-width character stops a mark depends on how each Slack client's (unpublished) parser classifies it, while
 * a character that is not a mark can never be read as one; and an invisible character would also travel silently
 * into anything copied from the reply. The look-alikes read the same.
 */
const formattingMarks: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\u02CD', // ˍ MODIFIER LETTER LOW MACRON
  '~': '\u223C', // ∼ TILDE OPERATOR
  '`': '\u02CB', // ˋ MODIFIER LETTER GRAVE ACCENT
};

/** A person's text with Slack's formatting marks (* _ ~ `) replaced by look-alikes, so it shows as typed. */
export function unformat(text: string): string {
  return text.replace(/[*_~`]/g, (m) => formattingMarks[m] ?? m);
}

/** A user's text shown back in a reply: one line, cut to a sane length, escaped, its formatting marks defused. */
export function quoteUser(text: string, max = 120): string {
  return unformat(escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), max)));
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

/** A static select menu: its placeholder and options cut to Slack's limits (75/150 characters, 100 options). */
export function select(placeholder: string, actionId: string, options: { text: string; value: string }[]): Select {
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: truncate(placeholder, limits.placeholder), emoji: true },
    options: options.slice(0, limits.options).map((o) => ({
      text: { type: 'plain_text' as const, text: truncate(o.text, limits.optionText), emoji: true },
      value: o.value.slice(0, limits.optionValue),
    })),
  };
}

/**
 * Slack's own feedback buttons: a `context_actions` block holding one `feedback_buttons` element, whose clicked
 * button's value comes back in the action (`action.value`). Values are cut to 2,000 characters, labels to 75.
 */
export function feedbackButtons(
  actionId: string,
  up: { value: string; label: string },
  down: { value: string; label: string },
  blockId?: string,
): Block {
  const side = (text: string, b: { value: string; label: string }) => ({
    text: { type: 'plain_text' as const, text: truncate(text, limits.buttonText), emoji: true },
    accessibility_label: truncate(b.label, limits.accessibilityLabel),
    value: truncate(b.value, limits.buttonValue),
  });
  const block: types.ContextActionsBlock = {
    type: 'context_actions',
    elements: [{ type: 'feedback_buttons', action_id: actionId, positive_button: side('👍', up), negative_button: side('👎', down) }],
  };
  if (blockId) block.block_id = blockId;
  return block;
}

/** Actions blocks for any number of buttons: 25 per block, action_ids made unique within the message. */
export function actions(buttons: (Button | Select)[], blockId?: string): Block[] {
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
  return out
    .map((b) => {
      if (b.type !== 'actions') return b;
      const elements = b.elements.filter((el) => {
        const id = (el as { action_id?: string }).action_id;
        if (!id) return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      return { ...b, elements };
    })
    .filter((b) => b.type !== 'actions' || b.elements.length > 0);
}
