/**
 * The 👎 "what was missing?" modal: one optional line. Opened by the 👎 button; its submission adds the reason to
 * that vote in the feedback log. Closing it (or sending it empty) leaves the vote as it was.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction, types } from '@slack/bolt';
import { maxReasonLength, type FeedbackLog } from '../../../feedback/store.js';
import { context, quoteUser, section } from '../../../render/blocks.js';
import type { SlackDeps } from '../../deps.js';
import { views } from '../../ids.js';

/** What the modal carries to its submission (private_metadata, ≤ 3,000 characters). */
export interface ReasonMetadata {
  /** The vote's record id. */
  id: string;
  q: string;
  ids: string[];
  s: string;
}

export const reasonBlock = 'reason';
export const reasonAction = 'reason';

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

export function parseReasonMetadata(raw: string | undefined): ReasonMetadata | undefined {
  try {
    const m = JSON.parse(raw ?? '') as Partial<ReasonMetadata>;
    if (typeof m?.id !== 'string' || typeof m.q !== 'string' || !Array.isArray(m.ids)) return undefined;
    return { id: m.id, q: m.q, ids: m.ids.filter((x): x is string => typeof x === 'string'), s: typeof m.s === 'string' ? m.s : 'unknown' };
  } catch {
    return undefined;
  }
}

export function createFeedbackReasonSubmission(deps: SlackDeps, log: FeedbackLog | undefined) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    if (!log) return;
    try {
      const meta = parseReasonMetadata(view.private_metadata);
      if (!meta) {
        deps.log.warn({ surface: 'modal' }, 'feedback reason without readable metadata: ignored');
        return;
      }
      const reason = view.state.values[reasonBlock]?.[reasonAction]?.value ?? '';
      if (!reason.trim()) return;
      await log.addReason({ id: meta.id, query: meta.q, ids: meta.ids, surface: meta.s }, body.user.id, reason);
      deps.log.info({ surface: meta.s, ids: meta.ids }, 'feedback reason recorded');
    } catch (err) {
      deps.log.error({ err, surface: 'modal' }, 'recording a feedback reason failed');
    }
  };
}
