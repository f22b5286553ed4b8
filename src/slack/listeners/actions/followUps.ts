/**
 * App Home's follow-ups switch (shown to ADMIN_USERS only): follow-ups without a mention off, or back on, in every
 * channel at once; a channel's own `/aws follow-ups off` still holds when they are on. The Home tab is drawn again
 * with the new state. A click from anyone else (an old Home tab, a forged payload) changes nothing.
 */
import type { SlackDeps } from '../../deps.js';
import { homeView } from '../events/homeOpened.js';
import type { ButtonArgs } from './args.js';

export function createFollowUpsEverywhereAction(deps: SlackDeps) {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const user = body.user.id;
    if (!deps.admins.includes(user)) {
      deps.log.info({ surface: 'home', user }, 'follow-ups switch clicked by someone not in ADMIN_USERS: nothing changed');
      return;
    }
    if (action.value !== 'on' && action.value !== 'off') return;
    await deps.conversations.setEverywhereFollowUps(action.value === 'on');
    deps.log.info({ surface: 'home', followUps: action.value }, 'follow-ups without a mention turned ' + action.value + ' for the workspace');
    await client.views.publish({ user_id: user, view: await homeView(deps, user) });
  };
}
