import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { actions } from '../../ids.js';
import type { SlackDeps } from '../../deps.js';
import { createOpenEntryAction } from './openEntry.js';
import { createShareAction } from './share.js';
import { createAckOnly, createHelpAction } from './simple.js';

/** Action ids matched by these patterns; the manifest test reads them. */
export const actionPatterns = {
  openEntry: new RegExp(`^${actions.openEntry}:`),
};

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(actionPatterns.openEntry, createOpenEntryAction(deps));
  app.action<BlockAction<ButtonAction>>(actions.share, createShareAction(deps));
  app.action<BlockAction<ButtonAction>>(actions.docsLink, createAckOnly());
  app.action<BlockAction<ButtonAction>>(actions.help, createHelpAction(deps));
}
