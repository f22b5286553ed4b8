/**
 * The submission of the 👎 "what was missing?" modal (render/feedback.ts draws it): the reason is added to that
 * vote in the feedback log. Closing the modal (or sending it empty) leaves the vote as it was. The modal's
 * private_metadata comes back from the client: it is read only if it has the shape the bot wrote, and trusted only if
 * its seal holds (see `sealReason`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { FeedbackLog } from '../../../feedback/store.js';
import { reasonAction, reasonBlock, type ReasonMetadata } from '../../../render/feedback.js';
import { surfaces } from '../../../reply.js';
import type { SlackDeps } from '../../deps.js';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The bounds of what the modal carries: Slack's own for the whole, the renderer's for the query and the ids. */
const metadataBounds = { raw: 3000, query: 500, ids: 10, id: 64 } as const;
const recordId = /^[A-Za-z0-9-]{1,64}$/;
const entryId = /^[a-z0-9][a-z0-9-]{0,63}$/;
const sealPattern = /^[0-9a-f]{16}$/;

/**
 * The modal's metadata, if it has the shape the bot gives it: the vote's record id, the query, the entry ids, the
 * surface and the seal, each of its kind and within its bounds. Anything else is undefined.
 */
export function parseReasonMetadata(raw: string | undefined): SealedMetadata | undefined {
  if (typeof raw !== 'string' || raw.length > metadataBounds.raw) return undefined;
  let m: Partial<Record<keyof SealedMetadata, unknown>>;
  try {
    m = JSON.parse(raw) as typeof m;
  } catch {
    return undefined;
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return undefined;
  const { id, q, ids, s, k } = m;
  if (typeof id !== 'string' || !recordId.test(id)) return undefined;
  if (typeof q !== 'string' || q.length > metadataBounds.query) return undefined;
  if (!Array.isArray(ids) || ids.length > metadataBounds.ids || !ids.every((x): x is string => typeof x === 'string' && entryId.test(x)))
    return undefined;
  if (typeof s !== 'string' || !(surfaces as readonly string[]).includes(s)) return undefined;
  if (typeof k !== 'string' || !sealPattern.test(k)) return undefined;
  return { id, q, ids, s, k };
}

/** The metadata the bot writes into the reason modal: the vote, and its seal. */
export interface SealedMetadata extends ReasonMetadata {
  k: string;
}

/**
 * The seal of a reason modal's metadata for the person it was opened for: a keyed hash (the feedback log's
 * installation salt, which never leaves the state store) of the vote's record id, query, entry ids, surface and the
 * person's Slack user id. The bot opens the modal only after the vote's record is written, so metadata carrying a
 * good seal names a vote that was recorded, by that person, as it was: checking it is one hash, no read of the
 * log. A forged or edited metadata, or one replayed by someone else, has no good seal.
 */
export function sealReason(log: Pick<FeedbackLog, 'hashUser'>, meta: ReasonMetadata, user: string): Promise<string> {
  return log.hashUser(JSON.stringify(['feedback-reason', meta.id, meta.q, meta.ids, meta.s, user]));
}

async function sealHolds(log: Pick<FeedbackLog, 'hashUser'>, meta: SealedMetadata, user: string): Promise<boolean> {
  const expected = Buffer.from(await sealReason(log, meta, user));
  const given = Buffer.from(meta.k);
  return expected.length === given.length && timingSafeEqual(expected, given);
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
    if (!meta.ids.every((id) => deps.kb.byId.has(id)) || !(await sealHolds(log, meta, body.user.id))) {
      deps.log.warn({ surface: 'modal', id: meta.id }, 'feedback reason for a vote the bot did not record: ignored');
      return;
    }
    await log.addReason({ id: meta.id, query: meta.q, ids: meta.ids, surface: meta.s }, body.user.id, reason);
    deps.log.info({ surface: meta.s, ids: meta.ids }, 'feedback reason recorded');
  };
}
