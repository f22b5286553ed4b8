/**
 * 👍 / 👎 on an answer and "Suggest this topic" on a no-answer reply. A click is acknowledged in place: the
 * buttons become "Thanks — noted" and the rest of the card stays (chat.update for a message everyone sees; the
 * response_url for an ephemeral `/aws` card, which Slack doesn't send back, so it is rendered again; views.update
 * for a card in a modal). A vote counts once per person per answer; a second click only says thanks again.
 * 👎 also opens the optional "what was missing?" modal. With FEEDBACK=off (no log) clicks are only acknowledged.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import type { Answer } from '../../../answer.js';
import type { FeedbackLog, Vote } from '../../../feedback/store.js';
import { context, fit, limits, type Block } from '../../../render/blocks.js';
import type { Message } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { actions } from '../../ids.js';
import { reasonModal } from '../views/feedbackReason.js';
import { guarded } from './guard.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export const thanksVote = 'Thanks — noted.';
export const thanksSuggest = 'Thanks — noted: the people who keep this guide will see that this topic was asked for.';

const feedbackActionIds: ReadonlySet<string> = new Set([actions.feedbackUp, actions.feedbackDown, actions.suggestTopic]);

export function register(app: App, deps: SlackDeps, log: FeedbackLog | undefined): void {
  app.action<BlockAction<ButtonAction>>(actions.feedbackUp, guarded(deps, createVoteAction(deps, log, 'up')));
  app.action<BlockAction<ButtonAction>>(actions.feedbackDown, guarded(deps, createVoteAction(deps, log, 'down')));
  app.action<BlockAction<ButtonAction>>(actions.suggestTopic, guarded(deps, createSuggestAction(deps, log)));
}

/** The value of a 👍/👎 button: the query and the entry ids of the answer. */
export function parseVoteValue(value: string | undefined): { q: string; ids: string[] } | undefined {
  try {
    const v = JSON.parse(value ?? '') as { q?: unknown; ids?: unknown };
    if (typeof v?.q !== 'string' || !Array.isArray(v.ids) || !v.ids.every((x) => typeof x === 'string')) return undefined;
    return { q: v.q, ids: v.ids as string[] };
  } catch {
    return undefined;
  }
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

/** Where the card was answered, as far as the click tells. */
export function surfaceOf(body: BlockAction<ButtonAction>): string {
  const c = body.container as { type?: string; is_ephemeral?: boolean; channel_id?: string } | undefined;
  if (c?.type === 'view') return 'home';
  if (c?.is_ephemeral) return 'slash';
  const channel = body.channel?.id ?? c?.channel_id ?? '';
  return channel.startsWith('D') ? 'dm' : 'mention';
}

function createVoteAction(deps: SlackDeps, log: FeedbackLog | undefined, vote: Vote) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    if (!log) return;
    const value = parseVoteValue(action.value);
    if (!value) {
      deps.log.warn({ surface: 'button', action: action.action_id }, 'feedback button with an unreadable value: ignored');
      return;
    }
    const surface = surfaceOf(body);
    const first = await log.claimVote(body.user.id, value.q, value.ids);
    if (first) {
      const rec = await log.record({ type: 'vote', vote, query: value.q, ids: value.ids, surface, user: body.user.id });
      deps.log.info({ surface, ids: value.ids, vote }, 'feedback recorded');
      if (vote === 'down') {
        const name = value.ids.map((id) => deps.core.kb.byId.get(id)?.name ?? id).join(' vs ');
        const modal = reasonModal({ id: rec.id, q: value.q, ids: value.ids, s: surface }, name);
        try {
          if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view: modal });
          else await client.views.open({ trigger_id: body.trigger_id, view: modal });
        } catch (err) {
          // The vote is recorded; only the optional reason is lost.
          deps.log.warn({ err, surface }, 'could not open the feedback reason modal');
        }
      }
    } else {
      deps.log.info({ surface, ids: value.ids, vote }, 'feedback already counted for this person and answer');
    }
    await acknowledgeInPlace(deps, args, thanksVote, () => cardOf(deps, value.q, value.ids));
  };
}

function createSuggestAction(deps: SlackDeps, log: FeedbackLog | undefined) {
  return async (args: Args): Promise<void> => {
    const { ack, body, action } = args;
    await ack();
    if (!log) return;
    const query = (action.value ?? '').trim();
    if (!query) return;
    const surface = surfaceOf(body);
    if (await log.claimSuggestion(body.user.id, query)) {
      await log.record({ type: 'suggest', query, ids: [], surface, user: body.user.id });
      deps.log.info({ surface }, 'topic suggestion recorded');
    }
    await acknowledgeInPlace(deps, args, thanksSuggest, () =>
      deps.core.render.answer(deps.core.answer(query), { share: true, feedback: true }),
    );
  };
}

/**
 * Replaces the clicked card's feedback buttons with `note`. `rerender` gives the card again when Slack didn't
 * send it (ephemeral messages).
 */
async function acknowledgeInPlace(deps: SlackDeps, { body, respond, client }: Args, note: string, rerender: () => Message | undefined): Promise<void> {
  const container = body.container as { type?: string; is_ephemeral?: boolean; channel_id?: string; message_ts?: string } | undefined;
  if (container?.type === 'view') {
    const v = body.view;
    if (v?.type !== 'modal') return; // The Home tab carries no feedback buttons.
    const view: types.ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: v.title.text },
      ...(v.close ? { close: { type: 'plain_text', text: v.close.text } } : {}),
      blocks: acknowledged(v.blocks as Block[], note).slice(0, limits.homeBlocks),
    };
    await client.views.update({ view_id: v.id, ...(v.hash ? { hash: v.hash } : {}), view });
    return;
  }
  const original = body.message as { ts?: string; text?: string; blocks?: Block[] } | undefined;
  if (container?.is_ephemeral) {
    const card = original?.blocks?.length ? { text: original.text ?? note, blocks: original.blocks } : rerender();
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

/** The card of an answer, from its entry ids (one entry, or a comparison of two), as an ephemeral reply shows it. */
function cardOf(deps: SlackDeps, q: string, ids: string[]): Message | undefined {
  const entries = ids.map((id) => deps.core.kb.byId.get(id));
  const [a, b] = entries;
  if (!a || entries.some((e) => !e) || entries.length > 2) return undefined;
  const answer: Answer = b
    ? { kind: 'compare', query: q, results: [{ entry: a, score: 0 }, { entry: b, score: 0 }], suggestions: [] }
    : { kind: 'entry', query: q, results: [{ entry: a, score: 0 }], suggestions: [] };
  return deps.core.render.answer(answer, { share: true, feedback: true });
}
