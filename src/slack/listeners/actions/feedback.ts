/**
 * 👍 / 👎 on an answer and "Suggest this topic" on a no-answer reply. A click is acknowledged in place: the
 * buttons become "Thanks — noted" and the rest of the card stays (chat.update for a message everyone sees; the
 * response_url for an ephemeral `/aws` card, which Slack doesn't send back, so it is drawn again; views.update
 * for a card in a modal). A vote counts once per person per answer; a second click only says thanks again.
 * 👎 also opens the optional "what was missing?" modal. With FEEDBACK=off (no log) clicks are only acknowledged.
 */
import type { FeedbackLog, Vote } from '../../../feedback/store.js';
import { acknowledged, acknowledgedModal, reasonModal, thanksSuggest, thanksVote, type ReasonMetadata } from '../../../render/feedback.js';
import type { Block } from '../../../render/blocks.js';
import type { Message } from '../../../render/index.js';
import type { Surface } from '../../../reply.js';
import type { SlackDeps } from '../../deps.js';
import { sealReason } from '../views/feedbackReason.js';
import { containerOf, type ButtonArgs } from './args.js';

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

/** Where the card was answered, as far as the click tells. */
export function surfaceOf(body: ButtonArgs['body']): Surface {
  const c = containerOf(body);
  if (c?.type === 'view') return 'home';
  if (c?.is_ephemeral) return 'slash';
  const channel = body.channel?.id ?? c?.channel_id ?? '';
  return channel.startsWith('D') ? 'dm' : 'mention';
}

export function createVoteAction(deps: SlackDeps, vote: Vote) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const log = deps.feedback;
    if (!log) return;
    const value = parseVoteValue(action.value);
    if (!value || !value.ids.every((id) => deps.kb.byId.has(id))) {
      deps.log.warn({ surface: 'button', action: action.action_id }, 'feedback button with an unreadable value: ignored');
      return;
    }
    const surface = surfaceOf(body);
    if (await log.claimVote(body.user.id, value.q, value.ids)) {
      const rec = await log.record({ type: 'vote', vote, query: value.q, ids: value.ids, surface, user: body.user.id });
      deps.log.info({ surface, ids: value.ids, vote }, 'feedback recorded');
      if (vote === 'down') await openReasonModal(deps, log, args, { id: rec.id, q: value.q, ids: value.ids, s: surface });
    } else {
      deps.log.info({ surface, ids: value.ids, vote }, 'feedback already counted for this person and answer');
    }
    await acknowledgeInPlace(args, thanksVote, () => deps.replier.show(value.ids, { surface: 'button', user: body.user.id, render: { share: true } }, value.q)?.message);
  };
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
    await acknowledgeInPlace(args, thanksSuggest, () => deps.replier.ask(query, { surface: 'button', user: body.user.id, render: { share: true } }).message);
  };
}

async function openReasonModal(deps: SlackDeps, log: FeedbackLog, { body, client }: ButtonArgs, meta: ReasonMetadata): Promise<void> {
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
 * Replaces the clicked card's feedback buttons with `note`. `redraw` gives the card again when Slack didn't
 * send it (ephemeral messages).
 */
async function acknowledgeInPlace({ body, respond, client }: ButtonArgs, note: string, redraw: () => Message | undefined): Promise<void> {
  const container = containerOf(body);
  if (container?.type === 'view') {
    const v = body.view;
    if (v?.type !== 'modal') return; // The Home tab carries no feedback buttons.
    const view = acknowledgedModal({ title: v.title.text, close: v.close?.text, blocks: v.blocks as Block[] }, note);
    await client.views.update({ view_id: v.id, ...(v.hash ? { hash: v.hash } : {}), view });
    return;
  }
  const original = body.message as { ts?: string; text?: string; blocks?: Block[] } | undefined;
  if (container?.is_ephemeral) {
    const card = original?.blocks?.length ? { text: original.text ?? note, blocks: original.blocks } : redraw();
    if (card) await respond({ response_type: 'ephemeral', replace_original: true, text: card.text, blocks: acknowledged(card.blocks, note) });
    else await respond({ response_type: 'ephemeral', replace_original: false, text: note });
    return;
  }
  const channel = body.channel?.id ?? container?.channel_id;
  const ts = original?.ts ?? container?.message_ts;
  if (!channel || !ts || !original?.blocks) {
    if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, text: note });
    return;
  }
  await client.chat.update({ channel, ts, text: original.text ?? note, blocks: acknowledged(original.blocks, note) });
}
