import type { App, BlockAction, ButtonAction, FeedbackButtonsAction, StaticSelectAction } from '@slack/bolt';
import { actions, openEntryPattern } from '../../../ids.js';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft } from '../soft.js';
import type { ButtonArgs } from './args.js';
import { createCompareAction, createDepthAction, createOverviewAction, type SelectArgs } from './depth.js';
import { createFeedbackAction, createSuggestAction, createVoteAction, type FeedbackArgs } from './feedback.js';
import { createPostReviewAction } from './review.js';
import { createFollowUpsEverywhereAction } from './followUps.js';
import { createHelpAction } from './help.js';
import { createOpenEntryAction } from './openEntry.js';
import { createShareAction } from './share.js';

type AnyActionArgs = ButtonArgs | SelectArgs | FeedbackArgs;
type Handler = (args: AnyActionArgs) => Promise<void>;

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every action the bot answers, registered on Bolt as one listener. Bolt runs every envelope through the middleware
 * chain of every listener registered (a copy of the arguments per listener and step), so seventeen action listeners
 * cost each event, command and click the bot gets seventeen chains that only say "not mine". One listener whose
 * matcher is exactly the union of the ids (a click on anything else is still no listener's, and the gate acks it
 * with a warning) routes each click to its handler by its action_id.
 */
export function register(app: App, deps: SlackDeps): void {
  // A click that fails gets the apology where the person clicked (when Slack gave a response_url).
  const soft = <A extends AnyActionArgs>(handler: (args: A) => Promise<void>): Handler =>
    failSoft<A>(deps.log, 'button', handler, async ({ body, respond }) => {
      if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...renderError() });
    }) as Handler;
  const byId = new Map<string, Handler>();
  const button = (id: string, handler: (args: ButtonArgs) => Promise<void>): void => void byId.set(id, soft(handler));
  const openEntry = soft(createOpenEntryAction(deps));
  button(actions.share, createShareAction(deps));
  // A link button opens its URL in the browser; Slack still sends an action, which only needs acknowledging.
  button(actions.docsLink, async ({ ack }) => ack());
  button(actions.help, createHelpAction(deps));
  button(actions.feedbackUp, createVoteAction(deps, 'up'));
  button(actions.feedbackDown, createVoteAction(deps, 'down'));
  button(actions.suggestTopic, createSuggestAction(deps));
  byId.set(actions.feedback, soft<FeedbackArgs>(createFeedbackAction(deps)));
  button(actions.depthLimits, createDepthAction(deps, 'limits'));
  button(actions.depthHowto, createDepthAction(deps, 'howto'));
  button(actions.depthPitfalls, createDepthAction(deps, 'pitfalls'));
  button(actions.overview, createOverviewAction(deps));
  byId.set(actions.compareWith, soft<SelectArgs>(createCompareAction(deps)));
  button(actions.postReview, createPostReviewAction(deps));
  button(actions.followUpsEverywhere, createFollowUpsEverywhereAction(deps));
  // Exactly these ids, and every "open entry" button (`open_entry:<id>`).
  const matcher = new RegExp(`^(?:${[...byId.keys()].map(literal).join('|')})$|${openEntryPattern.source}`);
  const route = (id: string): Handler | undefined => byId.get(id) ?? (openEntryPattern.test(id) ? openEntry : undefined);
  app.action<BlockAction<ButtonAction | StaticSelectAction | FeedbackButtonsAction>>(matcher, async (args) => {
    await route(args.action.action_id)?.(args as AnyActionArgs);
  });
}
