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

export function register(app: App, deps: SlackDeps): void {
  // A click that fails gets the apology where the person clicked (when Slack gave a response_url).
  const soft = <A extends ButtonArgs | SelectArgs | FeedbackArgs>(handler: (args: A) => Promise<void>) =>
    failSoft<A>(deps.log, 'button', handler, async ({ body, respond }) => {
      if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...renderError() });
    });
  const button = (id: string | RegExp, handler: (args: ButtonArgs) => Promise<void>): void =>
    void app.action<BlockAction<ButtonAction>>(id, soft(handler));
  button(openEntryPattern, createOpenEntryAction(deps));
  button(actions.share, createShareAction(deps));
  // A link button opens its URL in the browser; Slack still sends an action, which only needs acknowledging.
  button(actions.docsLink, async ({ ack }) => ack());
  button(actions.help, createHelpAction(deps));
  button(actions.feedbackUp, createVoteAction(deps, 'up'));
  button(actions.feedbackDown, createVoteAction(deps, 'down'));
  button(actions.suggestTopic, createSuggestAction(deps));
  app.action<BlockAction<FeedbackButtonsAction>>(actions.feedback, soft(createFeedbackAction(deps)));
  button(actions.depthLimits, createDepthAction(deps, 'limits'));
  button(actions.depthHowto, createDepthAction(deps, 'howto'));
  button(actions.depthPitfalls, createDepthAction(deps, 'pitfalls'));
  button(actions.overview, createOverviewAction(deps));
  app.action<BlockAction<StaticSelectAction>>(actions.compareWith, soft(createCompareAction(deps)));
  button(actions.postReview, createPostReviewAction(deps));
  button(actions.followUpsEverywhere, createFollowUpsEverywhereAction(deps));
}
