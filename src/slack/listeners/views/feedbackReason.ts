/**
 * The submission of the 👎 "what was missing?" modal (render/feedback.ts draws it): the reason is added to that
 * vote in the feedback log. Closing the modal (or sending it empty) leaves the vote as it was.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { reasonAction, reasonBlock, type ReasonMetadata } from '../../../render/feedback.js';
import type { SlackDeps } from '../../deps.js';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function parseReasonMetadata(raw: string | undefined): ReasonMetadata | undefined {
  try {
    const m = JSON.parse(raw ?? '') as Partial<ReasonMetadata>;
    if (typeof m?.id !== 'string' || typeof m.q !== 'string' || !Array.isArray(m.ids)) return undefined;
    return { id: m.id, q: m.q, ids: m.ids.filter((x): x is string => typeof x === 'string'), s: typeof m.s === 'string' ? m.s : 'unknown' };
  } catch {
    return undefined;
  }
}

export function createFeedbackReasonSubmission(deps: SlackDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    await ack();
    const log = deps.feedback;
    if (!log) return;
    const meta = parseReasonMetadata(view.private_metadata);
    if (!meta) {
      deps.log.warn({ surface: 'modal' }, 'feedback reason without readable metadata: ignored');
      return;
    }
    const reason = view.state.values[reasonBlock]?.[reasonAction]?.value ?? '';
    if (!reason.trim()) return;
    await log.addReason({ id: meta.id, query: meta.q, ids: meta.ids, surface: meta.s }, body.user.id, reason);
    deps.log.info({ surface: meta.s, ids: meta.ids }, 'feedback reason recorded');
  };
}
