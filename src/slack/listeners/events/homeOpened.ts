/**
 * The App Home tab: what the bot does, how to ask, categories to browse, and today's tip; for ADMIN_USERS, the
 * switch of follow-ups without a mention for the whole workspace.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

export type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function createHomeOpenedListener(deps: SlackDeps) {
  return async ({ event, client }: HomeOpenedArgs): Promise<void> => {
    if (event.tab && event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: await homeView(deps, event.user) });
  };
}

/** The Home tab as `user` sees it: with the follow-ups switch when they may use it. */
export async function homeView(deps: SlackDeps, user: string): Promise<ReturnType<SlackDeps['render']['home']>> {
  const followUps = deps.admins.includes(user) ? await deps.conversations.everywhereFollowUps().catch(() => undefined) : undefined;
  return deps.render.home(deps.tips.today(), followUps === undefined ? {} : { followUps });
}
