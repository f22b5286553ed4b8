import type { App } from '@slack/bolt';
import { events } from '../../../ids.js';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft } from '../soft.js';
import { createHomeOpenedListener } from './homeOpened.js';
import { createMessageListener, fromDirectMessage, fromMention, type Incoming, type MentionArgs, type MessageArgs } from './message.js';

export function register(app: App, deps: SlackDeps): void {
  // The apology goes where the answer would have gone.
  const apologize =
    <A extends MentionArgs | MessageArgs>(read: (args: A) => Incoming | undefined) =>
    async (args: A): Promise<void> => {
      const m = read(args);
      if (m) await args.client.chat.postMessage({ channel: m.channel, ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...renderError() });
    };
  app.event(events.appMention, failSoft(deps.log, 'mention', createMessageListener(deps, fromMention), apologize(fromMention)));
  app.event(events.message, failSoft(deps.log, 'dm', createMessageListener(deps, fromDirectMessage), apologize(fromDirectMessage)));
  app.event(events.appHomeOpened, failSoft(deps.log, 'home', createHomeOpenedListener(deps)));
}
