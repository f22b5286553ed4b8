import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { actions } from '../../ids.js';
import type { SlackDeps } from '../../deps.js';
import type { FeedbackLog } from '../../../feedback/store.js';
import { register as registerFeedback } from './feedback.js';
import { guarded } from './guard.js';
import { createOpenEntryAction } from './openEntry.js';
import { createShareAction } from './share.js';
import { createAckOnly, createHelpAction } from './simple.js';

/** Action ids matched by these patterns; the manifest test reads them. */
export const actionPatterns = {
  openEntry: new RegExp(`^${actions.openEntry}:`),
};

/** `feedback`: the feedback log, or undefined with FEEDBACK=off (then 👍/👎/"Suggest this topic" are only acked). */
export function register(app: App, deps: SlackDeps, feedback?: FeedbackLog): void {
  app.action<BlockAction<ButtonAction>>(actionPatterns.openEntry, guarded(deps, createOpenEntryAction(deps)));
  app.action<BlockAction<ButtonAction>>(actions.share, guarded(deps, createShareAction(deps)));
  app.action<BlockAction<ButtonAction>>(actions.docsLink, createAckOnly());
  app.action<BlockAction<ButtonAction>>(actions.help, guarded(deps, createHelpAction(deps)));
  registerFeedback(app, deps, feedback);
}
