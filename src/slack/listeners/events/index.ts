import type { App } from '@slack/bolt';
import { events } from '../../../ids.js';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft, isSlackApiError } from '../soft.js';
import { createFollowUpListener } from './followUp.js';
import { createHomeOpenedListener } from './homeOpened.js';
import { createMessageListener, fromDirectMessage, fromMention, type Incoming, type MentionArgs, type MessageArgs } from './message.js';

export function register(app: App, deps: SlackDeps): void {
  // The apology goes where the answer would have gone, unless posting there is what failed (an archived channel,
  // the bot removed): a second post would fail the same way, or land twice.
  const apologize =
    <A extends MentionArgs | MessageArgs>(read: (args: A) => Incoming | undefined) =>
    async (args: A, err: unknown): Promise<void> => {
      const m = read(args);
      if (m && !isSlackApiError(err))
        await deps.post(args.client, { channel: m.channel, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...renderError() });
    };
  app.event(events.appMention, failSoft(deps.log, 'mention', createMessageListener(deps, fromMention), apologize(fromMention)));
  // `message` events: DMs, and the channel messages the privacy gate let through (follow-ups in the bot's threads).
  // A follow-up that fails gets no apology: nobody asked the bot, and the thread is someone else's conversation.
  const dm = failSoft(deps.log, 'dm', createMessageListener(deps, fromDirectMessage), apologize(fromDirectMessage));
  const followUp = failSoft(deps.log, 'followup', createFollowUpListener(deps));
  app.event(events.message, (args) => ((args.event as { channel_type?: string }).channel_type === 'im' ? dm(args) : followUp(args)));
  app.event(events.appHomeOpened, failSoft(deps.log, 'home', createHomeOpenedListener(deps)));
}
