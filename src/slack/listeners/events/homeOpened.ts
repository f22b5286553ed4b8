/** The App Home tab: what the bot does, how to ask, categories to browse, and today's tip. */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

export type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function createHomeOpenedListener(deps: SlackDeps) {
  return async ({ event, client }: HomeOpenedArgs): Promise<void> => {
    if (event.tab && event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: deps.render.home(deps.tips.today()) });
  };
}
