import type { App } from '@slack/bolt';
import { events } from '../../ids.js';
import type { SlackDeps } from '../../deps.js';
import { createDirectMessageListener } from './directMessage.js';
import { createHomeOpenedListener } from './homeOpened.js';
import { createMentionListener } from './mention.js';

export function register(app: App, deps: SlackDeps): void {
  app.event(events.appMention, createMentionListener(deps));
  app.event(events.message, createDirectMessageListener(deps));
  app.event(events.appHomeOpened, createHomeOpenedListener(deps));
}
