/**
 * 👍 / 👎 on an answer (Slack's feedback buttons; plain buttons on a card in a modal or on an older message) and
 * "Suggest this topic" on a no-answer reply. A click is acknowledged to the clicker alone (an ephemeral message;
 * on an ephemeral `/aws` card, through its response_url without replacing it): the card stays as it is for
 * everyone else, who can still vote. In a modal, which only its viewer sees, the buttons become "Thanks — noted".
 * A vote counts once per person per answer; a second click says it was counted. 👎 also opens the optional "what
 * was missing?" modal. With FEEDBACK=off (no log) clicks are only acknowledged.
 */
import type { AllMiddlewareArgs, BlockAction, FeedbackButtonsAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { FeedbackLog, Vote } from '../../../feedback/store.js';
import { acknowledgedModal, reasonModal, thanksSuggest, thanksVote, thanksVoteAgain, type ReasonMetadata } from '../../../render/feedback.js';
import type { Block } from '../../../render/blocks.js';
import type { Surface } from '../../../reply.js';
import type { SlackDeps } from '../../deps.js';
import { sealReason } from '../views/feedbackReason.js';
import { containerOf, type ButtonArgs } from './args.js';

export type FeedbackArgs = SlackActionMiddlewareArgs<BlockAction<FeedbackButtonsAction>> & AllMiddlewareArgs;
/** What every feedback click has, whichever element it came from. */
type ClickArgs = ButtonArgs | FeedbackArgs;

/** What a 👍/👎 value holds at most: the renderer cuts the query to 500 characters and a reply shows ≤ 10 entries. */
const voteBounds = { raw: 2000, query: 500, ids: 10 } as const;
const entryId = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The value of a 👍/👎 button: the query and the entry ids of the answer, of their kinds and within bounds. */
export function parseVoteValue(value: string | undefined): { q: string; ids: string[] } | undefined {
  if (typeof value !== 'string' || value.length > voteBounds.raw) return undefined;
  try {
    const v = JSON.parse(value) as { q?: unknown; ids?: unknown };
    if (typeof v?.q !== 'string' || v.q.length > voteBounds.query) return undefined;
    if (!Array.isArray(v.ids) || v.ids.length < 1 || v.ids.length > voteBounds.ids) return undefined;
    if (!v.ids.every((x): x is string => typeof x === 'string' && entryId.test(x))) return undefined;
    return { q: v.q, ids: v.ids };
  } catch {
    return undefined;
  }
}

/** The value of one of Slack's feedback buttons: the vote it is, and the answer's query and entry ids. */
export function parseFeedbackValue(value: string | undefined): { vote: Vote; q: string; ids: string[] } | undefined {
  if (typeof value !== 'string' || value.length > voteBounds.raw) return undefined;
  let v: unknown;
  try {
    v = (JSON.parse(value) as { v?: unknown }).v;
  } catch {
    return undefined;
  }
  const rest = parseVoteValue(value);
  return rest && (v === 'up' || v === 'down') ? { vote: v, ...rest } : undefined;
}

/** Where the card was answered, as far as the click tells. */
export function surfaceOf(body: ClickArgs['body']): Surface {
  const c = containerOf(body as ButtonArgs['body']);
  if (c?.type === 'view') return 'home';
  if (c?.is_ephemeral) return 'slash';
  const channel = body.channel?.id ?? c?.channel_id ?? '';
  return channel.startsWith('D') ? 'dm' : 'mention';
}

/** A vote of a plain 👍 or 👎 button (a card in a modal, an older message). */
export function createVoteAction(deps: SlackDeps, vote: Vote) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const value = parseVoteValue(args.action.value);
    await castVote(deps, args, value && { vote, ...value }, args.action.action_id);
  };
}

/** A vote of Slack's feedback buttons: the value of the button clicked says which. */
export function createFeedbackAction(deps: SlackDeps) {
  return async (args: FeedbackArgs): Promise<void> => {
    await args.ack();
    await castVote(deps, args, parseFeedbackValue(args.action.value), args.action.action_id);
  };
}

async function castVote(
  deps: SlackDeps,
  args: ClickArgs,
  value: { vote: Vote; q: string; ids: string[] } | undefined,
  action: string,
): Promise<void> {
  const log = deps.feedback;
  if (!log) return;
  const { body } = args;
  if (!value?.ids.every((id) => deps.kb.byId.has(id))) {
    deps.log.warn({ surface: 'button', action }, 'feedback button with an unreadable value: ignored');
    return;
  }
  const { vote, q, ids } = value;
  const surface = surfaceOf(body);
  const first = await log.claimVote(body.user.id, q, ids);
  if (first) {
    const rec = await log.record({ type: 'vote', vote, query: q, ids, surface, user: body.user.id });
    deps.log.info({ surface, ids, vote }, 'feedback recorded');
    if (vote === 'down') await openReasonModal(deps, log, args, { id: rec.id, q, ids, s: surface });
  } else {
    deps.log.info({ surface, ids, vote }, 'feedback already counted for this person and answer');
  }
  await acknowledgePrivately(deps, args, first ? thanksVote : thanksVoteAgain);
}

export function createSuggestAction(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, action } = args;
    await ack();
    const log = deps.feedback;
    if (!log) return;
    const query = (action.value ?? '').trim();
    if (!query) return;
    const surface = surfaceOf(body);
    if (await log.claimSuggestion(body.user.id, query)) {
      await log.record({ type: 'suggest', query, ids: [], surface, user: body.user.id });
      deps.log.info({ surface }, 'topic suggestion recorded');
    }
    await acknowledgePrivately(deps, args, thanksSuggest);
  };
}

async function openReasonModal(deps: SlackDeps, log: FeedbackLog, { body, client }: ClickArgs, meta: ReasonMetadata): Promise<void> {
  const name = meta.ids.map((id) => deps.kb.byId.get(id)?.name ?? id).join(' vs ');
  try {
    const modal = reasonModal({ ...meta, k: await sealReason(log, meta, body.user.id) }, name);
    if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view: modal });
    else await client.views.open({ trigger_id: body.trigger_id, view: modal });
  } catch (err) {
    // The vote is recorded; only the optional reason is lost.
    deps.log.warn({ err, surface: meta.s }, 'could not open the feedback reason modal');
  }
}

/**
 * Says `note` to the clicker alone and leaves the card as it is: an ephemeral message where the card is (in its
 * thread), through the response_url for an ephemeral card or where the bot may not post (a card shared to a
 * channel the bot is not in); in a modal, which only its viewer sees, the buttons become the note.
 */
async function acknowledgePrivately(deps: SlackDeps, { body, respond, client }: ClickArgs, note: string): Promise<void> {
  const container = containerOf(body as ButtonArgs['body']);
  if (container?.type === 'view') {
    const v = body.view;
    if (v?.type !== 'modal') return; // The Home tab carries no feedback buttons.
    const view = acknowledgedModal({ title: v.title.text, close: v.close?.text, blocks: v.blocks as Block[] }, note);
    await client.views.update({ view_id: v.id, ...(v.hash ? { hash: v.hash } : {}), view });
    return;
  }
  const privately = async (): Promise<void> => {
    if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, text: note });
  };
  const channel = body.channel?.id ?? container?.channel_id;
  if (container?.is_ephemeral || !channel) return privately();
  const posted = body.message as { thread_ts?: string } | undefined;
  const thread_ts = posted?.thread_ts ?? (container as { thread_ts?: string } | undefined)?.thread_ts;
  try {
    await client.chat.postEphemeral({ channel, user: body.user.id, text: note, ...(thread_ts ? { thread_ts } : {}) });
  } catch (err) {
    deps.log.debug({ err, surface: 'button' }, 'the thanks could not be posted as an ephemeral message: sent through the response_url');
    await privately();
  }
}
