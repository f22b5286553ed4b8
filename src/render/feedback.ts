/**
 * The feedback surfaces as Block Kit: a card with its 👍/👎 (or "Suggest this topic") replaced by a short note,
 * the same for a card in a modal, and the 👎 "what was missing?" modal. Pure, like the rest of `render/`.
 */
import type { types } from '@slack/bolt';
import { maxReasonLength } from '../feedback/store.js';
import { actions, views } from '../ids.js';
import { context, fit, limits, quoteUser, section, type Block } from './blocks.js';

export const thanksVote = 'Thanks — noted.';
export const thanksSuggest = 'Thanks — noted: the people who keep this guide will see that this topic was asked for.';

const feedbackActionIds: ReadonlySet<string> = new Set([actions.feedbackUp, actions.feedbackDown, actions.suggestTopic]);

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
