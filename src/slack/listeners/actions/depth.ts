/**
 * A service card's depth: Limits, How-to, Pitfalls, "Compare with…", and "Back to the overview". Where the view goes
 * depends on where the card is: a card only the clicker sees (an ephemeral `/aws` card, a DM, a modal) is drawn
 * again in place, with "Back to the overview" one click away; a card posted in a channel gets the view in its
 * thread, as a related service's card does, so the card stays as it is for everyone else. Every view is a reply of
 * the replier (surface `button`; `home` in a modal), so it is logged and counted.
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import { parseCompareValue, type DepthView } from '../../../render/depth.js';
import type { Message } from '../../../render/index.js';
import type { Asker, Reply } from '../../../reply.js';
import type { SlackDeps } from '../../deps.js';
import { containerOf, type ButtonArgs } from './args.js';

export type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;
type ClickArgs = ButtonArgs | SelectArgs;

/** Where a clicked card is: whether it can be drawn again in place, and how. */
export type Place = 'modal' | 'ephemeral' | 'dm' | 'channel';

export function placeOf(body: ClickArgs['body']): Place {
  const c = containerOf(body as ButtonArgs['body']);
  if (c?.type === 'view') return 'modal';
  if (c?.is_ephemeral) return 'ephemeral';
  const channel = body.channel?.id ?? c?.channel_id ?? '';
  return channel.startsWith('D') ? 'dm' : 'channel';
}

const entryId = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Draws a reply where the clicked card is: in its place, or in its thread in a channel. */
async function draw(deps: SlackDeps, args: ClickArgs, place: Place, message: Message): Promise<void> {
  const { body, respond, client } = args;
  switch (place) {
    case 'modal': {
      const view = body.view;
      if (!view) return;
      // A card in a modal is drawn again in it; a button on the Home tab itself opens one.
      if (view.type === 'modal') await client.views.update({ view_id: view.id, view: deps.render.modal(message) });
      else await client.views.open({ trigger_id: body.trigger_id, view: deps.render.modal(message) });
      return;
    }
    case 'ephemeral':
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
      return;
    case 'dm':
    case 'channel': {
      const channel = body.channel?.id ?? containerOf(body as ButtonArgs['body'])?.channel_id;
      if (!channel) return;
      const posted = body.message as { ts?: string; thread_ts?: string } | undefined;
      const ts = posted?.ts ?? containerOf(body as ButtonArgs['body'])?.message_ts;
      if (place === 'dm' && ts) {
        await client.chat.update({ channel, ts, ...message });
        return;
      }
      const thread_ts = posted?.thread_ts ?? (place === 'dm' ? undefined : ts);
      await deps.post(client, { channel, ...(thread_ts ? { thread_ts } : {}), ...message, unfurl_links: false, unfurl_media: false });
    }
  }
}

/** Who clicked, where, and what the reply carries: "Back to the overview" when it replaces the card. */
function askerFor(args: ClickArgs, place: Place, back: string | undefined, share = false): Asker {
  const inPlace = place !== 'channel';
  return {
    surface: place === 'modal' ? 'home' : 'button',
    user: args.body.user.id,
    render: { ...(inPlace && back ? { back } : {}), ...(share && place === 'ephemeral' ? { share: true } : {}) },
  };
}

async function reply(deps: SlackDeps, args: ClickArgs, place: Place, made: Reply | undefined, what: Record<string, unknown>): Promise<void> {
  if (!made) {
    deps.log.warn(what, 'depth button for an unknown entry');
    if (args.body.response_url)
      await args.respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...deps.render.notice('That entry is no longer in the knowledge base.'),
      });
    return;
  }
  await draw(deps, args, place, made.message);
}

/** Limits, How-to or Pitfalls of the service on the card (the button's value is its id). */
export function createDepthAction(deps: SlackDeps, view: DepthView) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const id = args.action.value ?? '';
    const place = placeOf(args.body);
    const made = entryId.test(id) ? deps.replier.depth(id, view, askerFor(args, place, id)) : undefined;
    await reply(deps, args, place, made, { id: id.slice(0, 64), view });
  };
}

/** "Back to the overview": the service's card again, in place of the view. */
export function createOverviewAction(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const id = args.action.value ?? '';
    const place = placeOf(args.body);
    const made = entryId.test(id) ? deps.replier.show([id], askerFor(args, place, undefined, true)) : undefined;
    await reply(deps, args, place, made, { id: id.slice(0, 64), view: 'overview' });
  };
}

/** "Compare with…": the service and the one picked, side by side. */
export function createCompareAction(deps: SlackDeps) {
  return async (args: SelectArgs): Promise<void> => {
    await args.ack();
    const pair = parseCompareValue(args.action.selected_option?.value);
    const place = placeOf(args.body);
    const made = pair ? deps.replier.show(pair, askerFor(args, place, pair[0])) : undefined;
    await reply(deps, args, place, made, { pair: pair ?? 'unreadable', view: 'compare' });
  };
}
