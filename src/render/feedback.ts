/**
 * The feedback surfaces as Block Kit: the value each 👍/👎 carries, the card in a modal with its 👍/👎 as plain
 * buttons and, once clicked, replaced by a short note, and the 👎 "what was missing?" modal. Pure, like the rest of
 * `render/`.
 */
import type { types } from '@slack/bolt';
import { maxReasonLength } from '../feedback/store.js';
import { actions, views } from '../ids.js';
import { actions as actionsBlocks, button, context, fit, limits, quoteUser, section, type Block, type Button } from './blocks.js';

export const thanksVote = 'Thanks — noted.';
export const thanksVoteAgain = 'You already voted on this answer: it counts once. Thanks!';
export const thanksSuggest = 'Thanks — noted: the people who keep this guide will see that this topic was asked for.';

const feedbackActionIds: ReadonlySet<string> = new Set([actions.feedback, actions.feedbackUp, actions.feedbackDown, actions.suggestTopic]);

/** The value of a 👍 or 👎: which it is, the question asked (≤ 500 characters) and the entries the answer showed. */
export function voteValue(vote: 'up' | 'down', q: string, ids: string[]): string {
  return JSON.stringify({ v: vote, q, ids });
}

/**
 * A card's blocks with Slack's feedback buttons (a `context_actions` block) turned into the plain 👍/👎 buttons,
 * for a surface that is not a message (a modal). Every other block stays.
 */
export function feedbackAsButtons(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b.type !== 'context_actions') return [b];
    const buttons: Button[] = [];
    for (const el of b.elements) {
      if (el.type !== 'feedback_buttons') continue;
      const legacy = (v: string): string => {
        try {
          const { q, ids } = JSON.parse(v) as { q?: unknown; ids?: unknown };
          return JSON.stringify({ q, ids });
        } catch {
          return v;
        }
      };
      buttons.push(
        button('👍', actions.feedbackUp, legacy(el.positive_button.value)),
        button('👎', actions.feedbackDown, legacy(el.negative_button.value)),
      );
    }
    return actionsBlocks(buttons, b.block_id);
  });
}

/** The card's blocks with the feedback buttons replaced by `note` (other buttons in their row stay). */
export function acknowledged(blocks: readonly Block[], note: string): Block[] {
  const out: Block[] = [];
  let noted = false;
  const isNote = (b: Block): boolean => b.type === 'context' && b.elements.some((e) => 'text' in e && e.text === note);
  for (const b of blocks) {
    if (isNote(b)) {
      if (!noted) out.push(b);
      noted = true;
      continue;
    }
    if (b.type === 'context_actions') {
      const rest = b.elements.filter((e) => !feedbackActionIds.has(e.action_id ?? ''));
      if (rest.length) out.push({ ...b, elements: rest });
      else if (!noted) {
        out.push(context(note));
        noted = true;
      }
      continue;
    }
    if (b.type !== 'actions' || !b.elements.some((e) => feedbackActionIds.has((e as { action_id?: string }).action_id ?? ''))) {
      out.push(b);
      continue;
    }
    const rest = b.elements.filter((e) => !feedbackActionIds.has((e as { action_id?: string }).action_id ?? ''));
    if (rest.length) out.push({ ...b, elements: rest });
    if (!noted) out.push(context(note));
    noted = true;
  }
  if (!noted) out.push(context(note));
  return fit(out);
}

/** A modal as Slack sent it back with a click: its title, close button and blocks. */
export interface ShownModal {
  title: string;
  close?: string | undefined;
  blocks: readonly Block[];
}

/** The same modal with its card's feedback buttons replaced by `note`. */
export function acknowledgedModal(shown: ShownModal, note: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: shown.title },
    ...(shown.close ? { close: { type: 'plain_text', text: shown.close } } : {}),
    blocks: acknowledged(shown.blocks, note).slice(0, limits.homeBlocks),
  };
}

/** What the reason modal carries to its submission (private_metadata, ≤ 3,000 characters). */
export interface ReasonMetadata {
  /** The vote's record id. */
  id: string;
  q: string;
  ids: string[];
  s: string;
  /** The seal the Slack side adds (src/slack/listeners/views/feedbackReason.ts), so a forged metadata is told apart. */
  k?: string;
}

export const reasonBlock = 'reason';
export const reasonAction = 'reason';

/** The 👎 "what was missing?" modal: one optional line. */
export function reasonModal(meta: ReasonMetadata, answerName: string): types.ModalView {
  const m: ReasonMetadata = { ...meta, q: meta.q.slice(0, 500), ids: meta.ids.slice(0, 10) };
  return {
    type: 'modal',
    callback_id: views.feedbackReason,
    private_metadata: JSON.stringify(m),
    title: { type: 'plain_text', text: 'What was missing?' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Skip' },
    blocks: [
      section(`Thanks for the 👎 on *${quoteUser(answerName, 150)}*. In one line, what were you looking for? (optional)`),
      {
        type: 'input',
        block_id: reasonBlock,
        optional: true,
        label: { type: 'plain_text', text: 'What was missing?' },
        element: {
          type: 'plain_text_input',
          action_id: reasonAction,
          max_length: maxReasonLength,
          placeholder: { type: 'plain_text', text: 'e.g. the limits of FIFO queues' },
        },
      },
      context('Kept with your vote for the people who maintain this guide, without your name.'),
    ],
  };
}
