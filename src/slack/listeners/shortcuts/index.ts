import type { App, MessageShortcut } from '@slack/bolt';
import { shortcuts } from '../../../ids.js';
import { renderError } from '../../../render/index.js';
import type { SlackDeps } from '../../deps.js';
import { failSoft } from '../soft.js';
import { createReviewShortcut, type ShortcutArgs } from './review.js';

/** Shortcuts. A failure gets the apology through the shortcut's response_url, to the person who used it. */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: shortcuts.reviewThread, type: 'message_action' },
    failSoft<ShortcutArgs>(deps.log, 'shortcut', createReviewShortcut(deps), async ({ shortcut, respond }) => {
      if (shortcut.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...renderError() });
    }),
  );
}
